// Hooksync dashboard: vanilla JS, no build step. Every value from the server is put into the page as
// text (never as HTML). Changes send the CSRF token from the XSRF-TOKEN cookie as X-XSRF-TOKEN.
'use strict';

const $ = (selector) => document.querySelector(selector);

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  Object.entries(attrs || {}).forEach(([key, value]) => {
    if (key === 'onclick') node.addEventListener('click', value);
    else if (key === 'class') node.className = value;
    else if (key === 'style') Object.assign(node.style, value);   // CSSOM, allowed by the CSP (style attributes are not)
    else if (value !== undefined && value !== null) node.setAttribute(key, value);
  });
  children.flat().forEach((child) => {
    if (child !== null && child !== undefined) node.append(child instanceof Node ? child : String(child));
  });
  return node;
}

function csrf() {
  const match = document.cookie.match(/(?:^|; )XSRF-TOKEN=([^;]+)/);
  return match ? decodeURIComponent(match[1]) : '';
}

async function api(method, path, body) {
  const headers = { Accept: 'application/json' };
  if (method !== 'GET') headers['X-XSRF-TOKEN'] = csrf();
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch('api' + path, {
    method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'same-origin',
  });
  if (response.status === 401) { location.href = 'login'; throw new Error('not logged in'); }
  const text = await response.text();
  const data = text ? JSON.parse(text) : null;
  if (!response.ok) {
    const detail = data && (data.errors ? data.errors.map((e) => e.field + ': ' + e.message).join('; ') : data.detail);
    throw new Error(detail || ('HTTP ' + response.status));
  }
  return data;
}

function notice(message, isError) {
  const box = $('#notice');
  box.textContent = message;
  box.className = isError ? 'error' : '';
  box.hidden = false;
  clearTimeout(notice.timer);
  notice.timer = setTimeout(() => { box.hidden = true; }, isError ? 10000 : 5000);
}

const guarded = (action) => async (event) => {
  if (event) event.preventDefault();
  try { await action(event); } catch (e) { notice(e.message, true); }
};

const time = (value) => (value === null || value === undefined ? '' : new Date(value).toLocaleString());
const badge = (value) => el('span', { class: 'badge s-' + value }, value);
const table = (headers, rows) => el('table', {}, el('thead', {}, el('tr', {}, headers.map((h) => el('th', {}, h)))),
  el('tbody', {}, rows));

// ---------- navigation ----------
const pages = { events: loadEvents, 'dead-letters': loadDeadLetters, endpoints: loadEndpoints, analytics: loadAnalytics, routes: loadRoutes };

function show() {
  const name = pages[location.hash.slice(1)] ? location.hash.slice(1) : 'events';
  document.querySelectorAll('.page').forEach((p) => { p.hidden = p.id !== 'page-' + name; });
  document.querySelectorAll('nav a[data-page]').forEach((a) => a.classList.toggle('active', a.dataset.page === name));
  pages[name]().catch((e) => notice(e.message, true));
}

// ---------- events ----------
let stream;
const filters = () => ({ source: $('#f-source').value.trim(), type: $('#f-type').value.trim(), status: $('#f-status').value });

function eventRow(e) {
  return el('tr', { class: 'clickable', 'data-event-id': e.eventId, onclick: () => openTimeline(e.source, e.eventId) },
    el('td', {}, time(e.receivedAt)), el('td', {}, e.source), el('td', {}, e.type || ''),
    el('td', {}, el('code', {}, e.eventId)), el('td', {}, badge(e.status)));
}

async function loadEvents() {
  const f = filters();
  const query = new URLSearchParams({ limit: '100' });
  Object.entries(f).forEach(([k, v]) => { if (v) query.set(k, v); });
  const events = await api('GET', '/events?' + query);
  $('#events tbody').replaceChildren(...events.map(eventRow));
  connectStream();
}

function connectStream() {
  if (stream) return;
  stream = new EventSource('api/events/stream');
  stream.onopen = () => { $('#live').textContent = 'live'; $('#live').className = 'badge live'; };
  stream.onerror = () => { $('#live').textContent = 'reconnecting…'; $('#live').className = 'badge'; };
  stream.addEventListener('event', (message) => {
    const e = JSON.parse(message.data);
    const f = filters();
    if ((f.source && f.source !== e.source) || (f.type && f.type !== e.type) || (f.status && f.status !== e.status)) return;
    const body = $('#events tbody');
    body.prepend(eventRow(e));
    while (body.children.length > 200) body.lastChild.remove();
  });
}

async function openTimeline(source, id) {
  const t = await api('GET', '/events/' + encodeURIComponent(source) + '/' + encodeURIComponent(id));
  document.querySelectorAll('#events tr.selected').forEach((r) => r.classList.remove('selected'));
  const status = t.deadLetters.some((d) => !d.replayedAt) ? 'dead_letter' : (t.routes.length ? 'processed' : 'received');
  document.querySelectorAll('#events tr').forEach((r) => {
    if (r.dataset.eventId === id) { r.classList.add('selected'); r.lastChild.replaceChildren(badge(status)); }
  });
  const panel = $('#timeline');
  const receipts = t.receipts.map((r) => el('div', {},
    el('h4', {}, (r.duplicate ? 'Received again (duplicate or replay) ' : 'Received ') + time(r.receivedAt)),
    el('div', {}, 'Kafka ', el('code', {}, r.topic + ' / partition ' + r.partition + ' / offset ' + r.offset)),
    table(['header', 'value'], Object.entries(r.headers).map(([k, v]) => el('tr', {}, el('td', {}, k), el('td', {}, v)))),
    el('div', {}, 'Body (' + r.bodyBytes + ' bytes' + (r.bodyTruncated ? ', truncated' : '') + ')'),
    r.body === null ? el('p', {}, 'Body not available: ' + r.bodyUnavailable) : el('pre', {}, pretty(r.body))));
  const routes = t.routes.length
    ? table(['route', 'outcome', 'rows written', 'when'], t.routes.map((r) => el('tr', {},
      el('td', {}, r.route), el('td', {}, badge(r.outcome)), el('td', {}, r.rowCount), el('td', {}, time(r.processedAt)))))
    : el('p', {}, 'No route has applied it (yet): no route subscribes to it, it is still queued, or it was dead-lettered.');
  const dead = t.deadLetters.map((d) => el('div', { class: 'panel' },
    el('strong', {}, 'Dead letter #' + d.id + ' in route ' + d.route + ' (mapping ' + (d.mapping || '-') + ')'),
    el('pre', {}, d.error), d.replayedAt ? el('div', {}, 'replayed ' + time(d.replayedAt)) :
      el('button', { onclick: guarded(async () => { await api('POST', '/dead-letters/' + d.id + '/replay'); notice('Replayed dead letter ' + d.id); openTimeline(source, id); }) }, 'Replay')));
  const messages = t.messages.map((m) => el('div', {},
    el('h4', {}, 'Outbound message ', el('code', {}, m.id)),
    m.deliveries.length ? table(['endpoint', 'status', 'attempts', 'last status'], m.deliveries.map((d) => el('tr', {},
      el('td', {}, d.endpointId), el('td', {}, badge(d.status)), el('td', {}, d.attempts), el('td', {}, d.lastStatusCode || d.lastError || ''))))
      : el('p', {}, 'No endpoint subscribes to this type.'),
    m.attempts.length ? table(['attempt', 'endpoint', 'outcome', 'status', 'latency'], m.attempts.map((a) => el('tr', {},
      el('td', {}, time(a.attemptedAt)), el('td', {}, a.endpointId), el('td', {}, badge(a.outcome)),
      el('td', {}, a.statusCode || a.error || ''), el('td', {}, a.latencyMs + ' ms')))) : null));
  panel.replaceChildren(el('h3', {}, t.source + ' event ', el('code', {}, t.eventId)), ...receipts,
    el('h4', {}, 'Routes'), routes, ...dead,
    t.outbox.length ? el('h4', {}, 'Outbox: ' + t.outbox.map((o) => o.type + ' (' + o.entityKey + ')' + (o.relayed ? '' : ', waiting for the relay')).join(', ')) : null,
    ...messages);
  panel.hidden = false;
}

function pretty(body) {
  try { return JSON.stringify(JSON.parse(body), null, 2); } catch (e) { return body; }
}

// ---------- dead letters ----------
async function loadDeadLetters() {
  const rows = await api('GET', '/dead-letters?limit=500&open=' + $('#dl-open').checked);
  $('#dead-letters tbody').replaceChildren(...rows.map((d) => el('tr', {},
    el('td', {}, d.id), el('td', {}, d.consumer), el('td', {}, d.mapping || ''), el('td', {}, el('code', {}, d.event_id)),
    el('td', {}, el('pre', {}, d.error)), el('td', {}, time(d.created_at)), el('td', {}, d.replayed_at ? time(d.replayed_at) : ''),
    el('td', {}, el('button', { class: 'replay', onclick: guarded(async () => {
      await api('POST', '/dead-letters/' + d.id + '/replay'); notice('Replayed dead letter ' + d.id); loadDeadLetters();
    }) }, 'Replay')))));
  const routes = [...new Set(rows.filter((d) => !d.replayed_at).map((d) => d.consumer))];
  $('#dl-bulk').replaceChildren(...routes.map((route) => el('button', { class: 'replay-all', onclick: guarded(async () => {
    const result = await api('POST', '/dead-letters/replay?route=' + encodeURIComponent(route));
    notice('Replayed ' + result.replayed + ' dead letter(s) of route ' + route); loadDeadLetters();
  }) }, 'Replay all of ' + route)));
  await loadSetAside();
}

async function loadSetAside() {
  const page = await api('GET', '/set-aside?limit=100');
  $('#set-aside-title').textContent = 'Set aside by consumers (' + page.total + ')';
  const where = (r) => r.topic + (r.partition === null ? ' @ ' + r.position : '/' + r.partition + ' @ ' + r.offset);
  $('#set-aside tbody').replaceChildren(...page.records.map((r) => el('tr', {},
    el('td', {}, time(r.setAsideAt)), el('td', {}, r.consumer), el('td', {}, el('code', {}, where(r))),
    el('td', {}, el('code', {}, r.key || '')), el('td', {}, el('code', {}, (r.valueExcerpt || '') + ' (' + r.valueBytes + ' bytes)')),
    el('td', {}, el('pre', {}, r.error)))));
}

// ---------- endpoints ----------
function showSecret(endpoint, why) {
  $('#secret').replaceChildren(el('strong', {}, why + ': the signing secret of ' + endpoint.id + ' is shown only now. '),
    el('code', { id: 'new-secret' }, endpoint.secret), ' ', el('button', { onclick: () => { $('#secret').hidden = true; } }, 'Done'));
  $('#secret').hidden = false;
}

function resetForm() {
  $('#ep-form').reset();
  $('#ep-id').value = '';
  $('#ep-form-title').textContent = 'New endpoint';
  $('#ep-save').textContent = 'Create';
  $('#ep-cancel').hidden = true;
}

async function saveEndpoint() {
  const body = {
    url: $('#ep-url').value.trim(),
    eventTypes: $('#ep-types').value.split(',').map((s) => s.trim()).filter(Boolean),
    description: $('#ep-description').value.trim(),
    filter: $('#ep-filter').value.trim(),
    maxInFlight: $('#ep-max-in-flight').value === '' ? 0 : Number($('#ep-max-in-flight').value),
  };
  const id = $('#ep-id').value;
  if (id) {
    await api('PATCH', '/endpoints/' + encodeURIComponent(id), body);
    notice('Saved endpoint ' + id);
  } else {
    const created = await api('POST', '/endpoints', body);
    showSecret(created, 'Created');
  }
  resetForm();
  loadEndpoints();
}

function edit(e) {
  $('#ep-id').value = e.id;
  $('#ep-url').value = e.url;
  $('#ep-types').value = e.eventTypes.join(', ');
  $('#ep-description').value = e.description || '';
  $('#ep-filter').value = e.filter || '';
  $('#ep-max-in-flight').value = e.maxInFlight == null ? '' : e.maxInFlight;
  $('#ep-form-title').textContent = 'Edit ' + e.id;
  $('#ep-save').textContent = 'Save';
  $('#ep-cancel').hidden = false;
}

async function showAttempts(e) {
  const page = await api('GET', '/endpoints/' + encodeURIComponent(e.id) + '/attempts?limit=100');
  const delivered = page.data.filter((a) => a.outcome === 'delivered').length;
  const rate = page.data.length ? Math.round((100 * delivered) / page.data.length) + '%' : 'n/a';
  $('#attempts').replaceChildren(el('h3', {}, 'Attempts of ' + e.id + ' (last ' + page.data.length + ', success ' + rate + ')'),
    table(['time', 'message', 'outcome', 'status', 'latency', 'response / error'], page.data.map((a) => el('tr', {},
      el('td', {}, time(a.attemptedAt)), el('td', {}, el('code', {}, a.messageId)), el('td', {}, badge(a.outcome)),
      el('td', {}, a.statusCode || ''), el('td', {}, a.latencyMs + ' ms'), el('td', {}, a.error || a.responseBody || '')))));
  $('#attempts').hidden = false;
}

async function loadEndpoints() {
  const endpoints = await api('GET', '/endpoints');
  const act = (label, action, cls) => el('button', { class: cls, onclick: guarded(action) }, label);
  $('#endpoints tbody').replaceChildren(...endpoints.map((e) => el('tr', { 'data-endpoint-id': e.id },
    el('td', {}, e.id), el('td', {}, el('code', {}, e.url)), el('td', {}, e.eventTypes.join(', ')),
    el('td', {}, badge(e.enabled ? 'enabled' : 'disabled'), ' ', e.enabled ? '' : (e.disabledReason || ''), ' breaker ', e.circuitBreaker),
    el('td', {}, el('code', {}, e.secret)),
    el('td', {},
      act('Edit', () => edit(e), 'edit'),
      e.enabled ? act('Disable', async () => { await api('POST', '/endpoints/' + e.id + '/disable'); loadEndpoints(); }, 'disable')
        : act('Enable', async () => { await api('POST', '/endpoints/' + e.id + '/enable'); loadEndpoints(); }, 'enable'),
      act('Rotate secret', async () => { showSecret(await api('POST', '/endpoints/' + e.id + '/rotate-secret', {}), 'Rotated'); loadEndpoints(); }, 'rotate'),
      act('Send test', async () => { const r = await api('POST', '/endpoints/' + e.id + '/test'); notice('Test message ' + r.messageId + ' queued'); }, 'test'),
      act('Attempts', () => showAttempts(e), 'attempts'),
      act('Delete', async () => { if (confirm('Delete endpoint ' + e.id + '?')) { await api('DELETE', '/endpoints/' + e.id); loadEndpoints(); } }, 'delete')))));
}

// ---------- analytics ----------
function lineChart(series, since, until) {
  const width = 560; const height = 180; const pad = 28;
  const colors = ['#2f6fde', '#d9480f', '#2b8a3e', '#862e9c', '#e67700', '#0b7285'];
  const max = Math.max(1, ...Object.values(series).flatMap((points) => Object.values(points)));
  const x = (t) => pad + (Math.max(0, t - since) / (until - since)) * (width - pad - 8);
  const y = (v) => height - pad - (v / max) * (height - pad - 10);
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', '0 0 ' + width + ' ' + height);
  svg.setAttribute('width', '100%');
  const add = (tag, attrs, text) => {
    const n = document.createElementNS(ns, tag);
    Object.entries(attrs).forEach(([k, v]) => n.setAttribute(k, v));
    if (text !== undefined) n.textContent = text;
    svg.append(n);
  };
  add('line', { x1: pad, y1: height - pad, x2: width - 8, y2: height - pad, stroke: '#99a' });
  add('line', { x1: pad, y1: 10, x2: pad, y2: height - pad, stroke: '#99a' });
  add('text', { x: 2, y: 14 }, String(max));
  add('text', { x: pad, y: height - 8 }, new Date(since).toLocaleTimeString());
  add('text', { x: width - 80, y: height - 8 }, new Date(until).toLocaleTimeString());
  Object.entries(series).forEach(([source, points], i) => {
    const coords = Object.entries(points).map(([t, v]) => x(Number(t)) + ',' + y(v)).join(' ');
    add('polyline', { points: coords, fill: 'none', stroke: colors[i % colors.length], 'stroke-width': 2 });
    Object.entries(points).filter(([, v]) => v > 0)
      .forEach(([t, v]) => add('circle', { cx: x(Number(t)), cy: y(v), r: 2.5, fill: colors[i % colors.length] }));
    add('text', { x: pad + 8 + i * 90, y: 22, fill: colors[i % colors.length] }, source);
  });
  return svg;
}

function bars(values) {
  const entries = Object.entries(values);
  if (!entries.length) return el('p', {}, 'none');
  const max = Math.max(...entries.map(([, v]) => v), 1);
  return el('div', {}, entries.map(([k, v]) => el('div', {}, el('span', { class: 'bar-label' }, k),
    el('span', { class: 'badge', style: { width: Math.max(2, (v / max) * 60) + '%' } }, String(v)))));
}

// Buckets without events are zeros, so a quiet minute shows as a dip, not as a straight line over it.
function withZeros(series, since, until, bucketMs) {
  const filled = {};
  Object.entries(series).forEach(([source, points]) => {
    filled[source] = {};
    for (let t = Math.floor(since / bucketMs) * bucketMs; t <= until; t += bucketMs) filled[source][t] = points[t] || 0;
  });
  return filled;
}

async function loadAnalytics() {
  const a = await api('GET', '/analytics?window=' + $('#an-window').value);
  const series = withZeros(a.eventsPerSource, a.since, a.until, a.bucketMs);
  $('#an-events').replaceChildren(Object.keys(series).length ? lineChart(series, a.since, a.until)
    : el('p', {}, 'No events in this window.'), el('div', {}, 'per ' + Math.round(a.bucketMs / 60000) + ' min'));
  $('#an-ingress').replaceChildren(el('h4', {}, 'Accepted by source'), bars(a.ingress.acceptedBySource),
    el('h4', {}, 'Rejected by reason'), bars(a.ingress.rejectedByReason));
  const l = a.ingestToRowMs;
  $('#an-latency').replaceChildren(el('p', {}, l.count ? 'p50 ' + l.p50 + ' ms, p99 ' + l.p99 + ' ms over ' + l.count + ' applied events'
    : 'No applied events in this window.'));
  $('#an-deliveries').replaceChildren(a.deliveries.length ? table(['endpoint', 'attempts', 'success', 'p50', 'p99'],
    a.deliveries.map((d) => el('tr', {}, el('td', {}, d.endpointId), el('td', {}, d.attempts),
      el('td', {}, Math.round(d.successRate * 100) + '%'), el('td', {}, d.p50Ms + ' ms'), el('td', {}, d.p99Ms + ' ms'))))
    : el('p', {}, 'No delivery attempts in this window.'));
}

// ---------- routes ----------
async function loadRoutes() {
  const [routes, refused] = await Promise.all([api('GET', '/routes'), api('GET', '/file-problems')]);
  showRefused(refused);
  $('#routes tbody').replaceChildren(...routes.map((r) => el('tr', {},
    el('td', {}, r.id), el('td', {}, el('code', {}, r.from)), el('td', {}, badge(r.state)),
    el('td', {}, r.exchangesTotal), el('td', {}, r.exchangesFailed), el('td', {}, r.meanProcessingMs),
    el('td', { title: r.group ? 'consumer group ' + r.group : '' }, r.lag === undefined ? '' : r.lag),
    el('td', {}, r.eventsLastHour), el('td', {}, r.lastError ? el('pre', {}, r.lastError + (r.lastErrorAt ? '\n' + time(r.lastErrorAt) : '')) : ''),
    el('td', {}, el('a', { href: r.hawtio.replace(/^\//, ''), target: '_blank', rel: 'noopener' }, 'Hawtio')))));
}

// Files whose last edit the engine refused: an older version (or nothing) runs instead, which a log line alone hides.
function showRefused(refused) {
  const panel = $('#rt-problems');
  panel.hidden = refused.length === 0;
  panel.replaceChildren(el('h4', {}, 'Refused edits: these files are not what runs'),
    ...refused.map((r) => el('div', {}, el('code', {}, r.file), el('pre', {}, r.problems.join('\n')))));
}

// ---------- start ----------
document.addEventListener('DOMContentLoaded', async () => {
  window.addEventListener('hashchange', show);
  $('#f-apply').addEventListener('click', guarded(loadEvents));
  $('#dl-refresh').addEventListener('click', guarded(loadDeadLetters));
  $('#dl-open').addEventListener('change', guarded(loadDeadLetters));
  $('#ep-form').addEventListener('submit', guarded(saveEndpoint));
  $('#ep-cancel').addEventListener('click', resetForm);
  $('#an-refresh').addEventListener('click', guarded(loadAnalytics));
  $('#an-window').addEventListener('change', guarded(loadAnalytics));
  $('#rt-refresh').addEventListener('click', guarded(loadRoutes));
  $('#logout').addEventListener('submit', () => { $('#logout-csrf').value = csrf(); });
  try {
    const me = await api('GET', '/me');
    $('#who').textContent = me.name + (me.admin ? '' : ' (read only)');
    const refused = await api('GET', '/file-problems');
    if (refused.length) {
      notice(refused.length + ' route or mapping file(s) refused: an older version runs (see Routes): '
        + refused.map((r) => r.file).join(', '), true);
    }
  } catch (e) { notice(e.message, true); }
  show();
});
