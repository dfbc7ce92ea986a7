#!/usr/bin/env bash
# Whole-pipeline benchmark: signed GitHub issues webhooks at fixed open-loop rates through the ingress, the shipped
# routes (github-issues upserts the row, the ledger and the outbox row), the outbox relay and the delivery to a local
# receiver endpoint, all in one engine. Per rate: 202 -> row visible and 202 -> delivered, and whether it was held.
#
# Usage: bench/pipeline.sh                (from anywhere; paths default to this repository)
# Env:   COLD_RATE=500                   the first step after UP (STEP_SECONDS long) at this rate (the cold step;
#                                        reported, never "held")
#        LADDER="250 500 1000 1500"      distinct issues, STEP_SECONDS each, no pause between steps (empty: no
#                                        distinct run, e.g. for the hot-row mix alone)
#        HOT_LADDER="500 1000"           the hot-row mix (10% of the events about 10 issues: HOT=0.1, HOT_ROWS=10) on a
#                                        restarted engine, after its own cold step, so no backlog of the distinct run
#                                        is still being delivered
#        STEP_SECONDS=60 SKIP_SECONDS=5 CONNECTIONS=64 POLL_MS=20 DRAIN_SECONDS=60 RECEIVER_PORT=18496
#        PROFILE=1 (JFR flat profile of the engine over each ladder, pipeline-NAME.top.txt)
#        PROFILE=async (async-profiler over each ladder after its cold step: CPU by thread and frame, without the
#                       JFR's deoptimisation; pipeline-NAME.top.txt and .collapsed)
#        PG_STATEMENTS=1 (pg_stat_statements in the embedded PostgreSQL, which costs one extra restart before the run:
#                       the database's time per statement over each ladder after its cold step, pipeline-NAME.statements.txt)
#        SKIP_BUILD=1 JAVA=… HOOKSYNC_JAR=… HS_JAVA_OPTS=… RESULTS_DIR=… HS_HTTP_PORT HS_KAFKA_PORT HS_CONTROLLER_PORT HS_DB_PORT
# Besides pipeline.md: per ladder its timeline (per second), the cores of engine / its PostgreSQL / load generator, a
# 10-s view beside autovacuum runs and GC pauses, with where the messages not delivered yet wait (relay queue, between
# relay and dispatcher, deliveries not claimed, claimed) and the receiver's mean answer time (pipeline-NAME.waves.md),
# and per-table row statistics (.tables.txt).
# The receiver is LoadGen's own (127.0.0.1:RECEIVER_PORT), registered through the API for issue.synced; the engine
# allows 127.0.0.1/32 for it. Event i carries issue.updated_at = 2026-01-01 + i s, so a later event about a hot row
# rewrites it and emits; its outbound message carries data.cause.id (the delivery id), which the receiver matches.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

COLD_RATE=${COLD_RATE:-500}
LADDER=${LADDER-"250 500 1000 1500"}   # empty: no distinct run
HOT_LADDER=${HOT_LADDER-"500 1000"}   # empty: no hot-row run
HOT=${HOT:-0.1}
HOT_ROWS=${HOT_ROWS:-10}
STEP_SECONDS=${STEP_SECONDS:-60}
SKIP_SECONDS=${SKIP_SECONDS:-5}
CONNECTIONS=${CONNECTIONS:-64}
POLL_MS=${POLL_MS:-20}
DRAIN_SECONDS=${DRAIN_SECONDS:-60}
RECEIVER_PORT=${RECEIVER_PORT:-18496}
# API changes from a script take an API token (Basic would need the dashboard's CSRF token)
BENCH_TOKEN=$(od -An -tx1 -N24 /dev/urandom | tr -d ' \n')
export HOOKSYNC_BENCH_API_TOKEN=$BENCH_TOKEN
build
prepare_payload
require_ports "$RECEIVER_PORT"

HS_EXTRA_ARGS="--hooksync.outbound.allowed-networks=127.0.0.1/32 --hooksync.management.tokens.bench.secret=env:HOOKSYNC_BENCH_API_TOKEN --hooksync.management.tokens.bench.role=admin $HS_EXTRA_ARGS"
API="http://127.0.0.1:$HS_HTTP_PORT"
URL="$API/webhooks/github"
TABLE=$RESULTS_DIR/pipeline.md
# start_pipeline_engine NAME: a restart on the primed data directory of bench/coldstart.sh when there is one (else
# a first start), UP, and the receiver endpoint registered; sets UP_S and LOAD0.
start_pipeline_engine() {
  local name=$1 data=$WORK/pipeline-data-$1 launched created
  [[ -d $ROOT/target/bench-jvm/prime-data ]] && cp -a "$ROOT/target/bench-jvm/prime-data" "$data"
  if [[ ${PG_STATEMENTS:-0} == 1 ]]; then   # the library loads only at a server start: set it, then restart
    start_engine "pipeline-$name-preload" "$ROOT/routes" "$data"
    PSQL_DB -c "ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements'" >/dev/null
    stop_engine
  fi
  LOAD0=$(load_1min); launched=$(now_ms)
  # the JVM's collections with their wall-clock time, for the once-a-minute view (waves) after the ladder
  start_engine "pipeline-$name" "$ROOT/routes" "$data" "-Xlog:gc:file=$RESULTS_DIR/pipeline-$name.gc.log:timemillis"
  UP_S=$(awk -v ms="$(( $(now_ms) - launched ))" 'BEGIN { printf "%.1f", ms / 1000 }')
  log "UP $UP_S s after launch (load $LOAD0 at launch)"
  [[ ${PG_STATEMENTS:-0} == 1 ]] && PSQL_DB -c 'CREATE EXTENSION IF NOT EXISTS pg_stat_statements' >/dev/null
  # every autovacuum and autoanalyze into the server's log (a line each, read by waves; no restart needed)
  PSQL_DB -c 'ALTER SYSTEM SET log_autovacuum_min_duration = 0' >/dev/null && PSQL_DB -c 'SELECT pg_reload_conf()' >/dev/null
  cpu_sampler_start "$ENGINE_PID" "$RESULTS_DIR/pipeline-$name.cpu" "$data"
  queue_sampler_start "$name"
  created=$(curl -sS -H "Authorization: Bearer $BENCH_TOKEN" -H 'Content-Type: application/json' -w '\n%{http_code}' "$API/api/endpoints" \
    -d "{\"url\":\"http://127.0.0.1:$RECEIVER_PORT/hooks\",\"description\":\"bench/pipeline.sh receiver\",\"eventTypes\":[\"issue.synced\"]}")
  [[ ${created##*$'\n'} == 201 ]] || die "endpoint not created: $created"
  sleep 1.5   # the engine re-reads its endpoint table every second
}

# queue_sampler_start NAME: where the messages not delivered yet wait, every 2 s, into pipeline-NAME.queues
# ("epoch_ms relay_queue unclaimed claimed answers answer_seconds limit"): outbox rows the relay has not published,
# the deliveries written but not claimed, the deliveries claimed (in an endpoint's lane: at the receiver or waiting
# for a place), the engine's count and total time of receivers' answers (hooksync.delivery.latency) and the
# receiver endpoint's limit of requests in flight (hooksync.delivery.concurrency.limit; "-" before it has one). What is
# waiting and in none of the first three is between the relay and the dispatcher (Kafka, hooksync.outbound). One
# psql session for the whole run (no process per sample); the counts read the deliveries' partial index of pending
# rows.
queue_sampler_start() {
  local file=$RESULTS_DIR/pipeline-$1.queues run=$WORK/queues-$1.run
  : > "$file.dbs"; : > "$file.latency"; touch "$run"
  ( while [[ -e $run ]] && kill -0 "$ENGINE_PID" 2>/dev/null; do
      echo "SELECT (extract(epoch FROM clock_timestamp()) * 1000)::bigint AS now_ms \gset"
      echo "SELECT :now_ms, (SELECT count(*) FROM hooksync_outbox_queue), count(*) FILTER (WHERE locked_until <= :now_ms),
              count(*) FILTER (WHERE locked_until > :now_ms) FROM hooksync_deliveries WHERE status = 'pending' \g $file.db"
      echo "\! cat $file.db >> $file.dbs"
      sleep 2
    done | PSQL_DB -F ' ' >/dev/null 2>&1 ) &
  QUEUE_SAMPLER_PIDS=("$!")
  # the timer's statistics in the order Micrometer lists them: COUNT, TOTAL_TIME (seconds), MAX; the gauge's VALUE
  ( metric() { curl -sS -m 2 -H "Authorization: Bearer $BENCH_TOKEN" "$API/actuator/metrics/$1" 2>/dev/null \
                 | grep -o '"statistic":"\(COUNT\|TOTAL_TIME\|VALUE\)","value":[0-9.eE+-]*' | sed 's/.*://' | paste -sd' '; }
    while [[ -e $run ]] && kill -0 "$ENGINE_PID" 2>/dev/null; do
      local limit; limit=$(metric hooksync.delivery.concurrency.limit) || true   # no gauge before the first claim
      echo "$(now_ms) $(metric hooksync.delivery.latency || true) ${limit:--}"
      sleep 2
    done >> "$file.latency" ) &
  QUEUE_SAMPLER_PIDS+=("$!")
  STARTED_PIDS+=("${QUEUE_SAMPLER_PIDS[@]}")
}
# queue_sampler_stop NAME: ends both samplers and joins their samples by time into pipeline-NAME.queues.
queue_sampler_stop() {
  local pid file=$RESULTS_DIR/pipeline-$1.queues
  rm -f "$WORK/queues-$1.run"
  for pid in "${QUEUE_SAMPLER_PIDS[@]}"; do wait "$pid" 2>/dev/null; forget_pid "$pid"; done
  # each database sample beside the latest answer counts taken at or before it (0 0 before the first answer)
  awk 'FILENAME ~ /latency$/ { if (NF == 4) { n++; t[n] = $1; c[n] = $2; s[n] = $3; l[n] = $4 } next }
       NF == 4 { while (j < n && t[j + 1] <= $1) j++; print $1, $2, $3, $4, (j ? c[j] : 0), (j ? s[j] : 0), (j ? l[j] : "-") }' \
    "$file.latency" "$file.dbs" > "$file"
  rm -f "$file.db" "$file.dbs" "$file.latency"
}

# stop_pipeline_engine: what the database holds, then a graceful stop; appends a summary line.
stop_pipeline_engine() {
  cpu_sampler_stop
  queue_sampler_stop "$1"
  local rows outcomes dead attempts errors unsent
  cat "$ENGINE_DATA"/postgres/log/*.log > "$RESULTS_DIR/pipeline-$1.pg.log" 2>/dev/null || true
  # per table: rows inserted, updated (of which heap-only), deleted, vacuums, analyzes, size with indexes
  PSQL_DB -P pager=off -F ' | ' -c "SELECT relname, n_tup_ins, n_tup_upd, n_tup_hot_upd, n_tup_del, autovacuum_count,
      autoanalyze_count, pg_size_pretty(pg_total_relation_size(relid)) FROM pg_stat_user_tables WHERE n_tup_ins > 1000
      ORDER BY relname" > "$RESULTS_DIR/pipeline-$1.tables.txt" 2>&1 || true
  rows=$(PSQL_DB -c 'SELECT count(*) FROM github_issues')
  outcomes=$(PSQL_DB -c "SELECT string_agg(outcome || ':' || n, ' ') FROM (SELECT outcome, count(*) n FROM hooksync_ledger GROUP BY 1) o")
  dead=$(PSQL_DB -c 'SELECT count(*) FROM hooksync_dead_letters')
  # every attempt, not only the first arrival the receiver counts: failed attempts and re-claims cost the chain
  attempts=$(PSQL_DB -c "SELECT string_agg(outcome || ':' || n, ' ') FROM (SELECT outcome, count(*) n FROM hooksync_attempts GROUP BY 1) a")
  errors=$(PSQL_DB -c "SELECT string_agg(n || ' x ' || e, '; ') FROM (SELECT left(coalesce(error, status_code::text), 80) e, count(*) n
      FROM hooksync_attempts WHERE outcome <> 'delivered' GROUP BY 1 ORDER BY 2 DESC LIMIT 3) f")
  # claimed deliveries that were put back unsent (breaker open, queue full, endpoint stopped), by counter and reason
  unsent=$(curl -sS -H "Authorization: Bearer $BENCH_TOKEN" "$API/actuator/prometheus" \
    | awk '/^hooksync_delivery_(deferred|released)_total/ { n = $1; sub(/\{.*reason="/, ":", n); sub(/".*/, "", n)
             sub(/\{.*/, "", n); sub(/^hooksync_delivery_/, "", n); sub(/_total/, "", n); s[n] += $2 }
           END { for (k in s) { printf "%s%s %d", sep, k, s[k]; sep = ", " } }')
  stop_engine
  SUMMARY+="- $1 run: UP ${UP_S}s after launch (load $LOAD0); github_issues rows $rows; ledger outcomes $outcomes; dead letters $dead; delivery attempts ${attempts:-none}${errors:+ (failed: $errors)}; claimed and put back unsent: ${unsent:-none}"$'\n'
}
SUMMARY=

# ladder NAME RATES(comma) EXTRA...: one LoadGen ladder run; appends a table row per step.
ladder() {
  local name=$1 rates=$2; shift 2
  local load; load=$(load_1min)
  log "$name: rates $rates/s, ${STEP_SECONDS}s each (load $load)"
  local out r start steps
  steps=$(tr ',' '\n' <<<"$rates" | grep -c .)
  jfr_start "$ENGINE_PID" "pipeline-$name" $((steps * STEP_SECONDS))
  local after_cold=0 watcher=
  [[ -n $COLD_RATE ]] && after_cold=$STEP_SECONDS
  if [[ ${PROFILE:-0} == async || ${PG_STATEMENTS:-0} == 1 ]]; then
    ( sleep "$after_cold"
      [[ ${PG_STATEMENTS:-0} == 1 ]] && PSQL_DB -c 'SELECT pg_stat_statements_reset()' >/dev/null
      [[ ${PROFILE:-0} == async ]] && async_profile "$ENGINE_PID" "pipeline-$name" $((steps * STEP_SECONDS - after_cold)) ) &
    watcher=$!
  fi
  # the load generator's own CPU (it shares the machine with the engine): "epoch_ms ticks" every second
  ( while :; do
      local lg; lg=$(pgrep -f 'io[.]hooksync[.]bench[.]LoadGen ladder' | head -1) || true
      [[ -n $lg ]] && echo "$(now_ms) $(cpu_ticks "$lg")"; sleep 1
    done ) > "$RESULTS_DIR/pipeline-$name.loadgen.cpu" &
  local loadgen_sampler=$!
  STARTED_PIDS+=("$loadgen_sampler")
  out=$(tool io.hooksync.bench.LoadGen ladder url="$URL" body="$BODY" secret="$BENCH_SECRET" rates="$rates" \
        stepSeconds="$STEP_SECONDS" skipSeconds="$SKIP_SECONDS" connections="$CONNECTIONS" visible="$(engine_jdbc)" \
        consumer=github-issues pollMs="$POLL_MS" receiverPort="$RECEIVER_PORT" drainSeconds="$DRAIN_SECONDS" \
        stamped=true tag="$name-$STAMP" timeline="$RESULTS_DIR/pipeline-$name.timeline.tsv" "$@" \
        | tee "$RESULTS_DIR/pipeline-$name.txt")
  stop_pid "$loadgen_sampler"; forget_pid "$loadgen_sampler"
  [[ ${PG_STATEMENTS:-0} == 1 ]] && statements "$RESULTS_DIR/pipeline-$name.statements.txt"
  [[ -z $watcher ]] || wait "$watcher" || true
  r=$(grep '^RESULT' <<<"$out") || die "$name: no RESULT (see $RESULTS_DIR/pipeline-$name.txt)"
  start=$(result_field "$r" start_ms)
  local k=0 step
  while read -r step; do
    f() { result_field "$step" "$1"; }
    local from=$((start + k * STEP_SECONDS * 1000 + SKIP_SECONDS * 1000)) to=$((start + (k + 1) * STEP_SECONDS * 1000))
    local cpu pg lg; cpu=$(cpu_between "$RESULTS_DIR/pipeline-$name.cpu" "$from" "$to")
    pg=$(pg_between "$RESULTS_DIR/pipeline-$name.cpu" "$from" "$to")
    lg=$(cpu_between "$RESULTS_DIR/pipeline-$name.loadgen.cpu" "$from" "$to")
    local phase=$name held
    held=$(f held)
    [[ $k == 0 && -n $COLD_RATE ]] && { phase="$name: cold step (first ${STEP_SECONDS} s from UP)"; held="-"; }
    printf '| %s | %s | %s | %s | %s / %s | %s / %s / %s | %s / %s / %s | %s / %s of %s | %s -> %s | %s -> %s | %s | %s / %s / %s / %s | %s |\n' \
      "$phase" "$(f rate)" "$(f accepted_per_s)" "$(f refused)" "$(f http_p50_ms)" "$(f http_p99_ms)" \
      "$(f row_p50_ms)" "$(f row_p99_ms)" "$(f row_max_ms)" "$(f delivered_p50_ms)" "$(f delivered_p99_ms)" "$(f delivered_max_ms)" \
      "$(f not_visible)" "$(f not_delivered)" "$(f applied)" "$(f row_backlog_mid)" "$(f row_backlog_end)" \
      "$(f msg_backlog_mid)" "$(f msg_backlog_end)" "$held" "${cpu% *}" "$pg" "${lg% *}" "${cpu#* }" "$load" >> "$TABLE.rows"
    k=$((k + 1))
  done < <(grep '^STEP' <<<"$out")
  LADDER_RESULT=$r
  log "$name: $r"
  jfr_summary "$RESULTS_DIR/pipeline-$name.jfr"
}

# waves NAME START_MS FROM_S TO_S: the ladder's seconds FROM_S..TO_S (from the timeline's start) in 10-s windows, beside
# what the machine did in each: accepted and delivered a second, messages waiting at the window's end, the cores of
# the engine, its PostgreSQL, the load generator and the machine, the autovacuum/autoanalyze runs that ended in it
# (table: seconds), the JVM's collection pauses (count, ms) and where the messages waiting are (see
# queue_sampler_start) with the receiver's mean answer time. For the delivered rate's swings between and within
# runs: whether they follow the database's or the JVM's periodic work. Writes pipeline-NAME.waves.md.
waves() {
  local name=$1 start=$2 from_s=$3 to_s=$4 events=$WORK/waves-$1.events
  : > "$events"
  if [[ -f $RESULTS_DIR/pipeline-$name.pg.log ]]; then
    awk '/automatic (vacuum|analyze) of table/ {
           match($0, /table "[^"]*"/); t = substr($0, RSTART + 7, RLENGTH - 8); sub(/.*\./, "", t)
           pending = $1 " " $2 " " $3 "\t" ($0 ~ /automatic vacuum/ ? "V " : "A ") t; next }
         pending != "" && /elapsed:/ { match($0, /elapsed: [0-9.]+/); print pending "\t" substr($0, RSTART + 9, RLENGTH - 9); pending = "" }' \
      "$RESULTS_DIR/pipeline-$name.pg.log" | while IFS=$'\t' read -r ts what elapsed; do
        echo "AV $(date -d "$ts" +%s%3N) ${what// /:}:${elapsed}s"
      done >> "$events"
  fi
  [[ -f $RESULTS_DIR/pipeline-$name.gc.log ]] && sed -n 's/^\[\([0-9]*\)ms\].*Pause.* \([0-9.]*\)ms$/GC \1 \2/p' \
    "$RESULTS_DIR/pipeline-$name.gc.log" >> "$events"
  {
    echo "| seconds | accepted /s | delivered /s | messages waiting at end | of which: to relay / relayed, not dispatched / deliveries not claimed / claimed | receivers' answer, mean ms | endpoint's limit at end | engine / PostgreSQL / load generator / machine cores | autovacuum (V) / analyze (A) ended: table:seconds | GC pauses (n, ms) |"
    echo "|---|---|---|---|---|---|---|---|---|---|"
    awk -v start="$start" -v from="$from_s" -v to="$to_s" -v hz="$CLK_TCK" '
      function at(arr, n, ms,   i, j) { j = 0; for (i = 1; i <= n; i++) if (arr[i] <= ms) j = i; return j }
      FILENAME ~ /timeline/ && FNR > 1 { acc[$1] = $4; del[$1] = $6; msg[$1] = $8; next }
      FILENAME ~ /loadgen/ { ln++; lt[ln] = $1; lv[ln] = $2; next }
      FILENAME ~ /[.]cpu$/ { cn++; ct[cn] = $1; ce[cn] = $2; cb[cn] = $3; cp[cn] = $4; next }
      FILENAME ~ /[.]queues$/ { qn++; qt[qn] = $1; qr[qn] = $2; qu[qn] = $3; qc[qn] = $4; qa[qn] = $5; qs[qn] = $6; ql[qn] = $7; next }
      $1 == "AV" { an++; at_[an] = $2; aw[an] = $3; next }
      $1 == "GC" { gn++; gt[gn] = $2; gp[gn] = $3; next }
      END {
        for (s = from; s + 10 <= to; s += 10) {
          a = 0; d = 0; for (k = s; k < s + 10; k++) { a += acc[k]; d += del[k] }
          lo = start + s * 1000; hi = lo + 10000
          i = at(ct, cn, lo); j = at(ct, cn, hi); cores = "-"
          if (i && j > i) { w = (ct[j] - ct[i]) / 1000
            cores = sprintf("%.2f / %.2f / ", (ce[j] - ce[i]) / hz / w, (cp[j] - cp[i]) / hz / w) }
          i = at(lt, ln, lo); j = at(lt, ln, hi)
          cores = cores ((i && j > i) ? sprintf("%.2f", (lv[j] - lv[i]) / hz / ((lt[j] - lt[i]) / 1000)) : "-")
          i = at(ct, cn, lo); j = at(ct, cn, hi)
          cores = cores ((i && j > i) ? sprintf(" / %.2f", (cb[j] - cb[i]) / hz / ((ct[j] - ct[i]) / 1000)) : "")
          av = ""; for (k = 1; k <= an; k++) if (at_[k] >= lo && at_[k] < hi) av = av (av == "" ? "" : " ") aw[k]
          n = 0; ms = 0; for (k = 1; k <= gn; k++) if (gt[k] >= lo && gt[k] < hi) { n++; ms += gp[k] }
          # the queues at the end of the window (its last sample); the mean answer time over the window
          i = at(qt, qn, lo); j = at(qt, qn, hi); split_ = "-"; answer = "-"; limit = "-"
          if (j && qt[j] > lo) { split_ = sprintf("%d / %d / %d / %d", qr[j], msg[s + 9] - qr[j] - qu[j] - qc[j], qu[j], qc[j]); limit = ql[j] }
          if (i && j > i && qa[j] > qa[i]) answer = sprintf("%.1f", (qs[j] - qs[i]) * 1000 / (qa[j] - qa[i]))
          printf "| %d-%d | %.0f | %.0f | %d | %s | %s | %s | %s | %s | %d, %.0f |\n", s, s + 10, a / 10, d / 10, msg[s + 9], split_, answer, limit, cores, av, n, ms
        }
      }' "$RESULTS_DIR/pipeline-$name.timeline.tsv" "$RESULTS_DIR/pipeline-$name.loadgen.cpu" \
         "$RESULTS_DIR/pipeline-$name.cpu" "$RESULTS_DIR/pipeline-$name.queues" "$events"
  } > "$RESULTS_DIR/pipeline-$name.waves.md"
}

HELD_DISTINCT=-
if [[ -n $LADDER ]]; then
  start_pipeline_engine distinct
  ladder distinct "$(tr ' ' ',' <<<"${COLD_RATE:+$COLD_RATE }$LADDER")" idBase=5000000000
  HELD_DISTINCT=$(result_field "$LADDER_RESULT" highest_rate_held)
  stop_pipeline_engine distinct
  waves distinct "$(result_field "$LADDER_RESULT" start_ms)" "${COLD_RATE:+$STEP_SECONDS}" "$(( $(wc -w <<<"${COLD_RATE:+$COLD_RATE }$LADDER") * STEP_SECONDS ))"
fi
HELD_HOT=-
if [[ -n $HOT_LADDER ]]; then
  start_pipeline_engine hot
  ladder hot "$(tr ' ' ',' <<<"${COLD_RATE:+$COLD_RATE }$HOT_LADDER")" idBase=6000000000 hot="$HOT" hotRows="$HOT_ROWS"
  HELD_HOT=$(result_field "$LADDER_RESULT" highest_rate_held)
  stop_pipeline_engine hot
  waves hot "$(result_field "$LADDER_RESULT" start_ms)" "${COLD_RATE:+$STEP_SECONDS}" "$(( $(wc -w <<<"${COLD_RATE:+$COLD_RATE }$HOT_LADDER") * STEP_SECONDS ))"
fi

{
  echo "Whole pipeline, $(date -u '+%F %H:%M') UTC, $(nproc) cores, one engine per run (embedded Kafka + PostgreSQL, routes/ shipped),"
  echo "${HS_JAVA_OPTS:-default JVM flags}. Signed ${PAYLOAD_BYTES}-byte GitHub issues webhooks,"
  echo "open-loop LoadGen, $CONNECTIONS connections, ${STEP_SECONDS}s per rate (the first ${SKIP_SECONDS}s of each not counted), ledger polled every ${POLL_MS} ms,"
  echo "receiver on 127.0.0.1 registered for issue.synced. Latencies in ms from the 202. Held = all accepted and both backlogs"
  echo "under 2 s of events at the step's end and not growing by 1 s of events over its second half."
  echo
  echo "| phase | rate /s | accepted /s | refused | HTTP p50 / p99 | 202->row p50 / p99 / max | 202->delivered p50 / p99 / max | not visible / not delivered of applied | row backlog mid -> end | message backlog mid -> end | held | engine / its PostgreSQL / load generator / machine CPU (cores) | load (1 min) at start |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|"
  cat "$TABLE.rows"
  echo
  echo "- highest rate held: distinct issues $HELD_DISTINCT/s, hot-row mix $HELD_HOT/s (target >= 1,000/s, p99 202->row < 250 ms, 202->delivered < 1 s)"
  printf '%s' "$SUMMARY"
} > "$TABLE"
rm -f "$TABLE.rows"
cat "$TABLE"
log "results in $RESULTS_DIR"
