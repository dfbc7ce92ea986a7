#!/usr/bin/env bash
# Sink benchmark: drain rate of N queued GitHub issues events into github_issues against the same-writes JDBC ceiling
# (plain JDBC writing, per batch of 500 in one transaction, what the sink writes per event: the row upsert, the ledger
# row and the outbox row, into copies of the engine's tables with their indexes; the best of four statement shapes,
# with and without the ledger lookup before), the upsert-only ceiling, a same-work reference (a plain Kafka consumer
# that parses, maps and does the same writes, bench ConsumerJdbcReference), and
# 202->row-visible latency at 500/s.
#
# Usage: bench/sink.sh               (from anywhere; paths default to this repository)
# Env:   EVENTS=50000 FILL_CONNECTIONS=32   events put on Kafka through the engine's ingress (routes-none)
#        LAT_RATE=500 LAT_SECONDS=60 LAT_WARMUP=30 LAT_CONNECTIONS=16 POLL_MS=10   the steady-load latency run
#                                    (the warm-up at the same rate is not counted: the restarted engine's ingress
#                                    path is still being JIT-compiled in its first ~20 s)
#        ROUNDS=2                    repeat everything on a fresh data directory (default 1)
#        DRAIN_ANALYZE_EVERY=5       diagnostic: ANALYZE hooksync_ledger every 5 s while draining (default 0: never)
#        SKIP_BUILD=1 HOOKSYNC_JAR=… RESULTS_DIR=… PROFILE=1 (JFR flat profile of the engine from the first applied event to the end of the drain)
#        PROFILE=async PROFILE_SECONDS=20 (async-profiler from the first applied event on: CPU by thread and frame,
#                                    without the JFR's deoptimisation; sink-drain-rN.top.txt and .collapsed)
#        PROFILE_FROM=50000          (PROFILE=1 or async: start once the ledger holds this many rows instead of the first,
#                                    to profile the drain after the JIT's first seconds; PG_STATEMENTS too)
#        PG_STATEMENTS=1             (pg_stat_statements loaded into the embedded PostgreSQL at the drain's restart: the
#                                    database's statements from the first applied event to the end of the drain,
#                                    sink-drain-rN.statements.txt)
#        HS_HTTP_PORT HS_KAFKA_PORT HS_CONTROLLER_PORT HS_DB_PORT
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

EVENTS=${EVENTS:-50000}
FILL_CONNECTIONS=${FILL_CONNECTIONS:-32}
LAT_RATE=${LAT_RATE:-500}
LAT_SECONDS=${LAT_SECONDS:-60}
LAT_WARMUP=${LAT_WARMUP:-30}
LAT_CONNECTIONS=${LAT_CONNECTIONS:-16}
POLL_MS=${POLL_MS:-10}
ROUNDS=${ROUNDS:-1}
DRAIN_ANALYZE_EVERY=${DRAIN_ANALYZE_EVERY:-0}
build
prepare_payload

# Only the github-issues flow: a routes directory holding a copy of routes/github-issues.yaml, with start=beginning
# (the events are queued before the route is first deployed; a new route starts from now by default).
ROUTES=$WORK/routes-github-issues
mkdir -p "$ROUTES"
sed 's/parameters: { source: github, types: "issues" }/parameters: { source: github, types: "issues", start: beginning }/' \
  "$ROOT/routes/github-issues.yaml" > "$ROUTES/github-issues.yaml"
grep -q 'start: beginning' "$ROUTES/github-issues.yaml" || die "could not add start=beginning to the github-issues route"
URL="http://127.0.0.1:$HS_HTTP_PORT/webhooks/github"
TABLE=$RESULTS_DIR/sink.md

for round in $(seq 1 "$ROUNDS"); do
  DATA=$WORK/sink-data-r$round

  # 1. N signed events with distinct issue ids (and delivery ids) onto Kafka through the ingress, no flows running.
  start_engine "sink-fill-r$round" "$ROOT/src/test/resources/routes-none" "$DATA"
  # the library loads only at a server start: the drain's restart below loads it
  [[ ${PG_STATEMENTS:-0} == 1 ]] && PSQL_DB -c "ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements'" >/dev/null
  log "round $round: putting $EVENTS events on Kafka ($FILL_CONNECTIONS connections)"
  fill=$(tool io.hooksync.bench.LoadGen fill url="$URL" body="$BODY" secret="$BENCH_SECRET" count="$EVENTS" \
         connections="$FILL_CONNECTIONS" idBase=1000000000 tag="fill-r$round-$STAMP" | tee "$RESULTS_DIR/sink-fill-r$round.txt" | grep '^RESULT')
  [[ $(result_field "$fill" accepted) == "$EVENTS" ]] || die "not every event was accepted: $fill"
  stop_engine

  # 2. Restart with the github-issues flow and watch the ledger fill, once a second, from the JVM launch on.
  launch_engine "sink-drain-r$round" "$ROUTES" "$DATA" ""
  log "round $round: engine restarted with routes/github-issues.yaml; polling SELECT count(*) FROM hooksync_ledger every second"
  series=$RESULTS_DIR/sink-drain-r$round.tsv
  echo -e "seconds_since_launch\tledger_rows\tengine_cpu_ticks\tmachine_busy_ticks" > "$series"
  t0=$(date +%s.%N); last_change=$SECONDS; prev=-1; tick=0
  while :; do
    tick=$((tick + 1))
    sleep "$(awk -v t0="$t0" -v k="$tick" -v now="$(date +%s.%N)" 'BEGIN { s = t0 + k - now; print (s > 0 ? s : 0) }')"
    kill -0 "$ENGINE_PID" 2>/dev/null || die "engine exited while draining (log $RESULTS_DIR/sink-drain-r$round.log)"
    c=$(PSQL_DB -c 'SELECT count(*) FROM hooksync_ledger' 2>/dev/null) || c=
    now=$(date +%s.%N)
    [[ -n $c ]] || continue
    printf '%.3f\t%s\t%s\t%s\n' "$(awk -v a="$now" -v b="$t0" 'BEGIN { print a - b }')" "$c" "$(cpu_ticks "$ENGINE_PID")" "$(busy_ticks)" >> "$series"
    (( c != prev )) && { last_change=$SECONDS; prev=$c; }
    # PROFILE=1: record from the first applied event on, so the engine's own startup stays out of the profile
    if [[ -z ${profiling:-} ]] && (( c > ${PROFILE_FROM:-0} )); then
      profiling=1
      [[ ${PROFILE:-0} == 1 ]] && jcmd "$ENGINE_PID" JFR.start name=drain settings=profile >/dev/null
      [[ ${PROFILE:-0} == async ]] && { async_profile "$ENGINE_PID" "sink-drain-r$round" "${PROFILE_SECONDS:-20}" & profiler=$!; }
      [[ ${PG_STATEMENTS:-0} == 1 ]] && PSQL_DB -c 'CREATE EXTENSION IF NOT EXISTS pg_stat_statements; SELECT pg_stat_statements_reset()' >/dev/null
    fi
    if (( DRAIN_ANALYZE_EVERY > 0 && tick % DRAIN_ANALYZE_EVERY == 0 )); then PSQL_DB -c 'ANALYZE hooksync_ledger' || true; fi
    (( c >= EVENTS )) && break
    (( SECONDS - last_change < 120 )) || die "ledger stuck at $c of $EVENTS for 120 s"
  done
  # D_HALF: the rate over the second half of the backlog (from the sample passing N/2 to the last one), once the
  # JIT has compiled the hot paths (the C2 compiler threads take ~0.6 cores in the first ~30 s after a start)
  read -r D_RATE D_FROM_LAUNCH D_PEAK D_SECS D_ENGINE D_BUSY D_HALF D_HALF_ENGINE D_HALF_BUSY < <(awk -v n="$EVENTS" -v tck="$CLK_TCK" 'NR > 1 {
      if (first == "" && $2 > 0) { first = $1; c1 = $2; e1 = $3; b1 = $4 }
      if (half == "" && $2 >= n / 2) { half = $1; ch = $2; eh = $3; bh = $4 }
      if ($2 >= n && last == "") { last = $1; e2 = $3; b2 = $4 }
      if (pt != "" && ($2 - pc) / ($1 - pt) > peak) peak = ($2 - pc) / ($1 - pt)
      pt = $1; pc = $2 }
    END { d = last - first; h = last - half; if (h <= 0) h = 1e-9
          printf "%.0f %.0f %.0f %.1f %.2f %.2f %.0f %.2f %.2f\n", (n - c1) / d, n / last, peak, d,
          (e2 - e1) / tck / d, (b2 - b1) / tck / d, (n - ch) / h, (e2 - eh) / tck / h, (b2 - bh) / tck / h }' "$series")
  log "round $round: drained $EVENTS in ${D_SECS}s between the first and the last sample: $D_RATE events/s (engine JVM $D_ENGINE cores, machine $D_BUSY cores busy); second half $D_HALF events/s ($D_HALF_ENGINE / $D_HALF_BUSY cores)"
  if [[ ${PROFILE:-0} == 1 ]]; then
    jcmd "$ENGINE_PID" JFR.dump name=drain filename="$RESULTS_DIR/sink-drain-r$round.jfr" >/dev/null
    jcmd "$ENGINE_PID" JFR.stop name=drain >/dev/null
    jfr_summary "$RESULTS_DIR/sink-drain-r$round.jfr"
  fi
  [[ ${PG_STATEMENTS:-0} == 1 ]] && statements "$RESULTS_DIR/sink-drain-r$round.statements.txt"
  [[ -z ${profiler:-} ]] || wait "$profiler" || true
  profiling= profiler=
  wait_health "http://127.0.0.1:$HS_HTTP_PORT/actuator/health" "$ENGINE_PID" "$RESULTS_DIR/sink-drain-r$round.log"
  ROWS=$(PSQL_DB -c 'SELECT count(*) FROM github_issues')
  OUTCOMES=$(PSQL_DB -c "SELECT string_agg(outcome || ':' || n, ' ') FROM (SELECT outcome, count(*) n FROM hooksync_ledger GROUP BY 1) o")
  DEAD=$(PSQL_DB -c 'SELECT count(*) FROM hooksync_dead_letters')
  log "round $round: github_issues rows $ROWS, ledger outcomes $OUTCOMES, dead letters $DEAD"

  # The drain leaves N outbox rows (issue.synced) for the relay and the dispatcher: wait until both are done, so
  # the ceiling and the latency run below measure the database and the engine idle, not their catching up.
  # (A run without the dispatcher or without the outbox row, the diagnostics in docs/benchmarks.md, stores no messages:
  # the wait ends when the count has not moved for 15 s.)
  waited=$SECONDS; moved=$SECONDS; last=
  for _ in $(seq 1 900); do
    pending=$(PSQL_DB -c "SELECT (SELECT count(*) FROM hooksync_outbox_queue)
                                 + greatest(0, $EVENTS - (SELECT count(*) FROM hooksync_messages))") || pending=1
    [[ $pending == 0 ]] && break
    [[ $pending != "$last" ]] && { last=$pending; moved=$SECONDS; }
    (( SECONDS - moved < 15 )) || break
    sleep 1
  done
  log "round $round: outbox relayed and messages stored $((SECONDS - waited)) s after the drain (pending $pending)"

  # 3. Database ceiling on the same server with the engine idle: the same rows, plain JDBC batches of 500.
  ceil_plain=$(tool io.hooksync.bench.JdbcCeiling jdbc="$(engine_jdbc)" shape=plain | grep '^RESULT')
  ceil_engine=$(tool io.hooksync.bench.JdbcCeiling jdbc="$(engine_jdbc)" shape=engine | grep '^RESULT')
  ceil_analyzed=$(tool io.hooksync.bench.JdbcCeiling jdbc="$(engine_jdbc)" shape=engine-analyzed | grep '^RESULT')
  ceil_arrays=$(tool io.hooksync.bench.JdbcCeiling jdbc="$(engine_jdbc)" shape=engine-arrays | grep '^RESULT')
  ceil_claims=$(tool io.hooksync.bench.JdbcCeiling jdbc="$(engine_jdbc)" shape=engine-claims | grep '^RESULT')
  ceil_rewrite=$(tool io.hooksync.bench.JdbcCeiling jdbc="$(engine_jdbc)&reWriteBatchedInserts=true" shape=plain | grep '^RESULT')
  printf '%s\n' "$ceil_plain" "$ceil_engine" "$ceil_analyzed" "$ceil_arrays" "$ceil_claims" "$ceil_rewrite" > "$RESULTS_DIR/sink-ceiling-r$round.txt"
  C_PLAIN=$(result_field "$ceil_plain" rows_per_s)
  C_SAME=$(printf '%s\n' "$(result_field "$ceil_engine" rows_per_s)" "$(result_field "$ceil_analyzed" rows_per_s)" \
           "$(result_field "$ceil_arrays" rows_per_s)" "$(result_field "$ceil_claims" rows_per_s)" | sort -n | tail -1)
  # The same work by hand (docs/benchmarks.md, issue 15, fourteenth session): consume the queued events from the idle
  # engine's broker, parse them, map, and the same writes; a reference reported beside the ceiling, not a ceiling.
  ref=$(tool io.hooksync.bench.ConsumerJdbcReference bootstrap="127.0.0.1:$HS_KAFKA_PORT" jdbc="$(engine_jdbc)" \
        events="$EVENTS" | grep '^RESULT' | tee -a "$RESULTS_DIR/sink-ceiling-r$round.txt") \
    || die "the same-work reference failed (its output is above)"
  C_REF=$(result_field "$ref" rows_per_s)
  [[ $(result_field "$ref" same_as_engine) == "$EVENTS" ]] || die "the consumer reference's rows are not the engine's for every event: $ref"
  log "round $round: same-work reference (Kafka consumer + Jackson + the same writes, a thread per partition) $C_REF events/s"
  log "round $round: same-writes JDBC ceiling $C_SAME events/s (row-by-row $(result_field "$ceil_engine" rows_per_s), analyzed $(result_field "$ceil_analyzed" rows_per_s), arrays $(result_field "$ceil_arrays" rows_per_s), arrays without lookup $(result_field "$ceil_claims" rows_per_s)); upsert only $C_PLAIN rows/s, reWriteBatchedInserts $(result_field "$ceil_rewrite" rows_per_s)"

  # 4. Latency from 202 to the row being visible under a steady open-loop load.
  log "round $round: $LAT_RATE events/s for ${LAT_SECONDS}s (+${LAT_WARMUP}s warm-up), polling the ledger every ${POLL_MS} ms"
  ANALYZED=$(PSQL_DB -c "SELECT coalesce(greatest(last_analyze, last_autoanalyze)::text, 'never') FROM pg_stat_user_tables WHERE relname = 'hooksync_ledger'")
  log "round $round: hooksync_ledger last analyzed: $ANALYZED"
  cpu0=$(cpu_ticks "$ENGINE_PID"); busy0=$(busy_ticks)
  lat=$(tool io.hooksync.bench.LoadGen rate url="$URL" body="$BODY" secret="$BENCH_SECRET" rate="$LAT_RATE" \
        seconds="$LAT_SECONDS" warmup="$LAT_WARMUP" connections="$LAT_CONNECTIONS" distinct=true idBase=2000000000 \
        visible="$(engine_jdbc)" consumer=github-issues pollMs="$POLL_MS" tag="lat-r$round-$STAMP" \
        timeline="$RESULTS_DIR/sink-latency-r$round.timeline.tsv" \
        | tee "$RESULTS_DIR/sink-latency-r$round.txt" | grep '^RESULT')
  cpu1=$(cpu_ticks "$ENGINE_PID"); busy1=$(busy_ticks)
  LAT_CORES=$(awk -v a="$cpu0" -v b="$cpu1" -v t="$CLK_TCK" -v s="$((LAT_SECONDS + LAT_WARMUP))" 'BEGIN { printf "%.2f", (b - a) / t / s }')
  LAT_BUSY=$(awk -v a="$busy0" -v b="$busy1" -v t="$CLK_TCK" -v s="$((LAT_SECONDS + LAT_WARMUP))" 'BEGIN { printf "%.2f", (b - a) / t / s }')
  stop_engine

  printf '| %s | %s | %s | %s | %s / %s / %s | %s | %s | %s / %s | %s / %s / %s / %s | %s | %s | %s | %s | %s | %s |\n' "$round" "$EVENTS" "$(result_field "$fill" accepted_per_s)" \
    "$D_RATE" "$D_HALF" "$D_HALF_ENGINE" "$D_HALF_BUSY" "$D_FROM_LAUNCH" "$D_PEAK" "$D_ENGINE" "$D_BUSY" \
    "$(result_field "$ceil_engine" rows_per_s)" "$(result_field "$ceil_analyzed" rows_per_s)" "$(result_field "$ceil_arrays" rows_per_s)" "$(result_field "$ceil_claims" rows_per_s)" \
    "$(awk -v d="$D_RATE" -v h="$D_HALF" -v c="$C_SAME" 'BEGIN { printf "**%.0f%%** (second half %.0f%%)", 100 * d / c, 100 * h / c }')" \
    "$C_PLAIN" "$(result_field "$ceil_rewrite" rows_per_s)" \
    "$(awk -v d="$D_RATE" -v c="$C_PLAIN" 'BEGIN { printf "%.0f%%", 100 * d / c }')" \
    "$C_REF" "$(awk -v d="$D_RATE" -v h="$D_HALF" -v c="$C_REF" 'BEGIN { printf "%.0f%% (second half %.0f%%)", 100 * d / c, 100 * h / c }')" \
    >> "$TABLE.drain"
  f() { result_field "$lat" "$1"; }
  printf '| %s | %s | %s | %s | %s | %s | %s | %s / %s | %s / %s | %s / %s | %s | %s | %s |\n' "$round" "$LAT_RATE" "$(f accepted_per_s)" \
    "$(f vis_p50_ms)" "$(f vis_p90_ms)" "$(f vis_p99_ms)" "$(f vis_max_ms)" "$(f duevis_p50_ms)" "$(f duevis_p99_ms)" \
    "$(f txn_p50_ms)" "$(f txn_p99_ms)" "$(f p50_ms)" "$(f p99_ms)" "$(f vis_missing) / $(f non202) / $(f errors)" "$LAT_CORES / $LAT_BUSY" "${ANALYZED%%.*}" \
    >> "$TABLE.latency"
done

{
  echo "Sink, $(date -u +%F), $(nproc) cores, $EVENTS events of $PAYLOAD_BYTES bytes, route github-issues (mapping github/issues, batch 500)$( (( DRAIN_ANALYZE_EVERY > 0 )) && echo ", ANALYZE hooksync_ledger every ${DRAIN_ANALYZE_EVERY}s while draining")."
  echo
  echo "| round | events | fill accepted/s | drain events/s (first->last sample) | second half events/s / engine JVM / machine cores | N / s since JVM launch | peak 1-s rate | engine JVM / machine busy CPU while draining (cores) | same-writes JDBC ceiling events/s: row by row / analyzed / arrays / arrays without lookup | drain / same-writes ceiling (best of the four) | upsert-only JDBC rows/s | upsert-only reWriteBatchedInserts rows/s | drain / upsert-only | same-work reference events/s (consumer + Jackson + same writes) | drain / same-work reference |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
  cat "$TABLE.drain"
  echo
  echo "Latency under a steady open-loop $LAT_RATE events/s (distinct issues), ${LAT_SECONDS}s after a ${LAT_WARMUP}s warm-up at the same rate; ledger polled every ${POLL_MS} ms by delivery id."
  echo
  echo "| round | target /s | accepted /s | 202->visible p50 ms | p90 ms | p99 ms | max ms | send->visible p50 / p99 ms | processed_at-202 p50 / p99 ms | HTTP p50 / p99 ms | not visible / non-202 / errors | engine JVM / machine busy CPU (cores) | ledger last analyzed |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|"
  cat "$TABLE.latency"
} > "$TABLE"
rm -f "$TABLE.drain" "$TABLE.latency"
cat "$TABLE"
log "results in $RESULTS_DIR"
