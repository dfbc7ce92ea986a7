// Hooksync dashboard, Backfill page: choose a route and a start, preview the difference a replay of the route's
// history through its current mapping would make, read it, apply it, follow the progress. Uses dashboard.js's
// helpers (el, api, guarded, notice, badge, time, table) and registers itself in its pages.
'use strict';

const backfill = { timer: null, shown: null };

pages.backfill = loadBackfill;

async function loadBackfill() {
  const [routes, history] = await Promise.all([api('GET', '/routes'), api('GET', '/event-history')]);
  const select = $('#bf-route');
  const chosen = select.value;
  const candidates = routes.filter((r) => String(r.from).startsWith('hooksync://events') || String(r.from).startsWith('hooksync:events'));
  select.replaceChildren(...candidates.map((r) => el('option', { value: r.id }, r.id)));
  if (chosen && candidates.some((r) => r.id === chosen)) select.value = chosen;
  const topics = Object.entries(history.topicRetentionMs || {})
    .map(([topic, ms]) => topic + ' ' + (ms < 0 ? 'forever' : Math.round(ms / 86400000) + ' d')).join(', ');
  $('#bf-history').textContent = 'Event history kept: ' + history.retentionDays + ' days (hooksync.kafka.event-retention)'
    + (topics ? '; topics: ' + topics : '');
  await loadReplays();
}

async function loadReplays() {
  const route = $('#bf-route').value;
  if (!route) return;
  const replays = await api('GET', '/routes/' + encodeURIComponent(route) + '/replays');
  $('#bf-replays tbody').replaceChildren(...replays.map((r) => replayRow(route, r)));
  const active = replays.find((r) => r.state === 'queued' || r.state === 'running');
  showCurrent(replays[0]);
  clearTimeout(backfill.timer);
  if (active && location.hash === '#backfill') backfill.timer = setTimeout(() => loadReplays().catch((e) => notice(e.message, true)), 1000);
  if (replays[0] && replays[0].mode === 'preview' && replays[0].state === 'succeeded' && backfill.shown !== replays[0].id) {
    await showDiff(route, replays[0].id);
  }
}

function replayRow(route, r) {
  const actions = [];
  if (r.state === 'queued' || r.state === 'running') {
    actions.push(el('button', { class: 'cancel', onclick: guarded(() => cancelReplay(route, r.id)) }, 'Cancel'));
  }
  if (r.mode === 'preview' && r.state === 'succeeded') {
    actions.push(el('button', { class: 'diff', onclick: guarded(() => showDiff(route, r.id)) }, 'Difference'));
  }
  return el('tr', { 'data-replay-id': r.id },
    el('td', {}, time(r.startedAt || r.createdAt)), el('td', {}, r.mode + (r.emit ? ' (emit)' : '')), el('td', {}, r.start),
    el('td', {}, badge(r.state), r.error ? el('div', {}, r.error) : null),
    el('td', {}, el('progress', { max: '1', value: String(r.progress) }), ' ' + r.eventsRead + ' / ' + r.eventsTotal),
    el('td', {}, r.eventsPerSecond === null ? '' : Math.round(r.eventsPerSecond)),
    el('td', {}, r.rowsWritten + ' / ' + r.rowsUnchanged + ' / ' + r.rowsDeleted), el('td', {}, actions));
}

function showCurrent(r) {
  const panel = $('#bf-current');
  if (!r) { panel.hidden = true; return; }
  panel.replaceChildren(el('h3', {}, 'Latest: ', r.mode, ' from ', r.start, ' ', badge(r.state)),
    el('div', {}, el('progress', { max: '1', value: String(r.progress) }),
      ' ' + r.eventsRead + ' of ' + r.eventsTotal + ' events', r.mappingErrors ? ', ' + r.mappingErrors + ' the mapping refused' : ''));
  panel.hidden = false;
}

async function showDiff(route, id) {
  const d = await api('GET', '/routes/' + encodeURIComponent(route) + '/replays/' + encodeURIComponent(id) + '/result');
  backfill.shown = id;
  const sample = d.sample.map((row) => el('tr', { class: 'kind-' + row.kind },
    el('td', {}, badge(row.kind)), el('td', {}, Object.entries(row.key).map(([k, v]) => k + '=' + v).join(', ')),
    el('td', {}, row.columns.map((c) => el('div', {}, el('code', {}, c.name), ': ', c.before === null ? 'null' : c.before,
      ' → ', c.after === null ? 'null' : c.after)))));
  const columns = Object.entries(d.changedColumns).map(([c, n]) => c + ' (' + n + ')').join(', ');
  $('#bf-diff').replaceChildren(
    el('h3', {}, 'Difference of preview ', el('code', {}, id)),
    el('p', { id: 'bf-counts' }, d.inserted + ' inserted, ' + d.changed + ' changed, ' + d.unchanged + ' unchanged, '
      + d.deleted + ' deleted'),
    columns ? el('p', {}, 'Changed columns: ' + columns) : null,
    el('p', { class: 'hint' }, 'Sample: up to ' + d.sampleLimit + ' rows of each kind.'),
    table(['kind', 'key', 'columns (stored → replayed)'], sample),
    el('button', { id: 'bf-apply-diff', onclick: guarded(() => startReplay('apply')) }, 'Apply this'));
  $('#bf-diff').hidden = false;
}

async function startReplay(mode) {
  const route = $('#bf-route').value;
  if (!route) throw new Error('choose a route');
  const body = { mode, start: $('#bf-start').value.trim() };
  if (mode === 'apply') body.emit = $('#bf-emit').checked;
  const r = await api('POST', '/routes/' + encodeURIComponent(route) + '/replays', body);
  notice((mode === 'preview' ? 'Preview ' : 'Apply ') + r.id + ' started');
  if (mode === 'apply') $('#bf-diff').hidden = true;
  await loadReplays();
}

async function cancelReplay(route, id) {
  await api('POST', '/routes/' + encodeURIComponent(route) + '/replays/' + encodeURIComponent(id) + '/cancel');
  notice('Cancel requested for ' + id);
  await loadReplays();
}

document.addEventListener('DOMContentLoaded', () => {
  $('#bf-form').addEventListener('submit', guarded(() => startReplay('preview')));
  $('#bf-apply').addEventListener('click', guarded(() => startReplay('apply')));
  $('#bf-route').addEventListener('change', guarded(() => { backfill.shown = null; $('#bf-diff').hidden = true; return loadReplays(); }));
});
