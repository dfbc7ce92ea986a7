#!/usr/bin/env bash
# Ingress benchmark: signed 11.6 kB GitHub webhooks with wrk against Hooksync (routes-none), a bare Camel->Kafka route and the Express baseline.
#
# Usage: bench/ingress.sh            (from anywhere; paths default to this repository)
# Env:   EXPRESS_BASELINE_DIR=dir    also measure the Express baseline from that folder (server.mjs + package.json)
#        PG_URL=postgres://...       database for the Express baseline (default postgres://postgres@127.0.0.1:5432/hooksync_bench)
#        ROUNDS=2                    measure every target that many times, interleaved (default 1)
#        COLD_SECONDS=120 STEADY_SECONDS=30 COLD_CONNECTIONS=64   every target starts under load: LoadGen series
#                                    from UP (per-5-s accepted/s), the first 60 s against the last STEADY_SECONDS
#        HS_ROUTES=dir               Hooksync's routes directory (default src/test/resources/routes-none; routes/ = shipped)
#        ROUND_CONNECTIONS="64 256"   one round per connection count (wrk and the half-rate run)
#        DURATION=15 WARMUP=10 FIRST_WARMUP=30 CONNECTIONS=64   wrk settings (wrk -t2 -c64 -d15s --latency; the
#                                    warm-up before a target's first round, after its cold series, is longer)
#        SKIP_BUILD=1 HOOKSYNC_JAR=… RESULTS_DIR=… PROFILE=1 (JFR flat profile of Hooksync during its wrk run)
#        BARE_BROKER=own|hooksync    the bare route's broker: its own in-JVM one (default) or the idle engine's
#        HS_HTTP_PORT HS_KAFKA_PORT HS_CONTROLLER_PORT HS_DB_PORT BARE_PORT BARE_KAFKA_PORT BARE_CONTROLLER_PORT EXPRESS_PORT
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ROUNDS=${ROUNDS:-1}
DURATION=${DURATION:-15}
WARMUP=${WARMUP:-10}
FIRST_WARMUP=${FIRST_WARMUP:-30}
CONNECTIONS=${CONNECTIONS:-64}
# ROUND_CONNECTIONS="64 256": round i uses the i-th count (and ROUNDS is their number); else CONNECTIONS every round
read -r -a ROUND_CONNS <<<"${ROUND_CONNECTIONS:-}"
(( ${#ROUND_CONNS[@]} > 0 )) && ROUNDS=${#ROUND_CONNS[@]}
HALF_SECONDS=${HALF_SECONDS:-15}
ensure_wrk
build
prepare_payload

TABLE=$RESULTS_DIR/ingress.md
declare -A BEST_ACC

# measure NAME PID URL ROUND: warm-up, the wrk run at full load, then the open-loop run at half that rate.
measure() {
  local name=$1 pid=$2 url=$3 round=$4
  local CONNECTIONS=${ROUND_CONNS[$((round - 1))]:-$CONNECTIONS}
  local warm=$WARMUP
  (( round == 1 )) && warm=$FIRST_WARMUP   # the first round: more warm-up after the cold series (JIT still compiling)
  log "$name round $round: warm-up ${warm}s"
  run_wrk "$name-r$round-warmup" "$url" "$warm" "$CONNECTIONS"
  log "$name round $round: wrk -t2 -c$CONNECTIONS -d${DURATION}s --latency"
  local gc0 cpu0 cpu1 gc1 gc_ms cores
  local busy0 busy1 kids0 kids1 others
  gc0=$(gc_seconds "$pid"); cpu0=$(cpu_ticks "$pid"); busy0=$(busy_ticks); children_cpu "$WORK/times0"
  [[ $name == hooksync ]] && jfr_start "$pid" "hooksync-ingress-r$round" "$DURATION"
  run_wrk "$name-r$round" "$url" "$DURATION" "$CONNECTIONS"
  cpu1=$(cpu_ticks "$pid"); busy1=$(busy_ticks); children_cpu "$WORK/times1"; gc1=$(gc_seconds "$pid")
  [[ $name == hooksync ]] && { sleep 2; jfr_summary "$RESULTS_DIR/hooksync-ingress-r$round.jfr"; }
  parse_wrk "$RESULTS_DIR/$name-r$round.wrk"
  cores=$(awk -v a="$cpu0" -v b="$cpu1" -v t="$CLK_TCK" -v s="$W_SECS" 'BEGIN { printf "%.2f", (b - a) / t / s }')
  kids0=$(children_seconds "$WORK/times0"); kids1=$(children_seconds "$WORK/times1")
  # CPU the rest of the machine used meanwhile: all busy time minus the server's and wrk's (the noise indicator).
  others=$(awk -v b0="$busy0" -v b1="$busy1" -v a="$cpu0" -v b="$cpu1" -v k0="$kids0" -v k1="$kids1" -v t="$CLK_TCK" -v s="$W_SECS" \
    'BEGIN { o = ((b1 - b0) - (b - a)) / t - (k1 - k0); printf "%.2f", (o < 0 ? 0 : o) / s }')
  local wrkcores; wrkcores=$(awk -v k0="$kids0" -v k1="$kids1" -v s="$W_SECS" 'BEGIN { printf "%.2f", (k1 - k0) / s }')
  gc_ms=$( [[ $gc0 == - ]] && echo - || awk -v a="$gc0" -v b="$gc1" 'BEGIN { printf "%.0f", (b - a) * 1000 }')
  (( W_ACC_PER_S > ${BEST_ACC[$name]:-0} )) && BEST_ACC[$name]=$W_ACC_PER_S
  local half=$(( W_ACC_PER_S / 2 ))
  log "$name round $round: $W_ACC_PER_S accepted/s; open loop at $half/s for ${HALF_SECONDS}s"
  local r
  r=$(tool io.hooksync.bench.LoadGen rate url="$url" body="$BODY" secret="$BENCH_SECRET" rate="$half" \
      seconds="$HALF_SECONDS" warmup=3 connections="$CONNECTIONS" distinct=false tag="$name-half-r$round-$STAMP" \
      timeline="$RESULTS_DIR/$name-r$round-half.timeline.tsv" \
      | tee "$RESULTS_DIR/$name-r$round-half.txt" | grep '^RESULT')
  printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' \
    "$name" "$round" "$CONNECTIONS" "$W_ACC_PER_S" "$W_P50" "$W_P99" "$W_NON2XX" "$W_SOCKERR" "$cores" "$wrkcores" "$others" "$gc_ms" \
    "$half" "$(result_field "$r" accepted_per_s)" "$(result_field "$r" p50_ms)" \
    "$(result_field "$r" p99_ms) (non-202: $(result_field "$r" non202), errors: $(result_field "$r" errors))" >> "$TABLE.rows"
  eval "HALF_P99_${name//-/_}_r$round=$(result_field "$r" p99_ms)"
}

# gc_seconds PID: total GC time of a JVM so far (jstat GCT), or "-" for other processes.
gc_seconds() { local v; v=$(jstat -gcutil "$1" 2>/dev/null | awk 'NR == 2 {print $NF}') || true; echo "${v:--}"; }

# Every target starts cold under load: LoadGen series from the moment it is UP, COLD_SECONDS long (per 5 s accepted/s;
# the first 60 s against the last STEADY_SECONDS), which is also its first warm-up (the wrk rounds follow).
COLD_TABLE=$RESULTS_DIR/ingress-cold.rows

# --- Hooksync, routes-none by default: only the ingress runs (no consumers, the database idles).
HS_ROUTES=${HS_ROUTES:-$ROOT/src/test/resources/routes-none}
load=$(load_1min); launched=$(now_ms)
launch_engine hooksync "$HS_ROUTES" "$WORK/hooksync-data"
HS_PID=$ENGINE_PID
cold_series hooksync "http://127.0.0.1:$HS_HTTP_PORT/webhooks/github" "http://127.0.0.1:$HS_HTTP_PORT/actuator/health" "$launched"
cold_row "hooksync (routes ${HS_ROUTES#"$ROOT"/})" "$load" >> "$COLD_TABLE"

# --- Bare Camel route (its own JVM). BARE_BROKER=own (default): with its own in-JVM KRaft broker configured like
# the engine's, so both sides pay for HTTP, the producer and a broker in one JVM. BARE_BROKER=hooksync: it produces
# to the idle Hooksync engine's broker instead (two JVMs share the work). Topic bench.bare, 3 partitions.
BARE_BROKER=${BARE_BROKER:-own}
BARE_KAFKA_PORT=${BARE_KAFKA_PORT:-18494}
BARE_CONTROLLER_PORT=${BARE_CONTROLLER_PORT:-18495}
require_ports "$BARE_PORT"
if [[ $BARE_BROKER == own ]]; then
  require_ports "$BARE_KAFKA_PORT" "$BARE_CONTROLLER_PORT"
  BARE_KAFKA_ARGS=(--bench.broker-dir="$WORK/bare-kafka" --bench.broker-port="$BARE_KAFKA_PORT" --bench.controller-port="$BARE_CONTROLLER_PORT")
else
  BARE_KAFKA_ARGS=(--bench.kafka="127.0.0.1:$HS_KAFKA_PORT")
fi
log "starting the bare Camel->Kafka route, broker: $BARE_BROKER (log $RESULTS_DIR/bare-camel-kafka.log)"
bare_load=$(load_1min); bare_launched=$(now_ms)
# shellcheck disable=SC2086
"$JAVA" $HS_JAVA_OPTS -cp "$TOOLS_CP" io.hooksync.bench.BareKafkaRouteApp --server.port="$BARE_PORT" "${BARE_KAFKA_ARGS[@]}" \
  --logging.level.kafka=WARN --logging.level.org.apache.kafka=WARN --logging.level.state.change.logger=WARN \
  >"$RESULTS_DIR/bare-camel-kafka.log" 2>&1 &
BARE_PID=$!
STARTED_PIDS+=("$BARE_PID")
cold_series bare-camel-kafka "http://127.0.0.1:$BARE_PORT/webhooks/github" "http://127.0.0.1:$BARE_PORT/actuator/health" "$bare_launched"
cold_row "bare Camel -> Kafka ($BARE_BROKER broker)" "$bare_load" >> "$COLD_TABLE"

# --- Express baseline (optional): verify + INSERT into the local PostgreSQL, MODE=db.
EXPRESS_PID=
if [[ -n ${EXPRESS_BASELINE_DIR:-} ]]; then
  install_express "$EXPRESS_BASELINE_DIR"
  load=$(load_1min)
  launch_express
  cold_series express "http://127.0.0.1:$EXPRESS_PORT/webhooks/github" "http://127.0.0.1:$EXPRESS_PORT/" "$EXPRESS_LAUNCHED" true
  cold_row "Express + pg (MODE=db)" "$load" >> "$COLD_TABLE"
fi

for round in $(seq 1 "$ROUNDS"); do
  measure hooksync "$HS_PID" "http://127.0.0.1:$HS_HTTP_PORT/webhooks/github" "$round"
  measure bare-camel-kafka "$BARE_PID" "http://127.0.0.1:$BARE_PORT/webhooks/github" "$round"
  [[ -n $EXPRESS_PID ]] && measure express "$EXPRESS_PID" "http://127.0.0.1:$EXPRESS_PORT/webhooks/github" "$round"
done

[[ -n $EXPRESS_PID ]] && drop_express
# Where the topics stand: Hooksync's and the bare route's records should equal their 202s (warm-ups included).
log "Hooksync /actuator/health: $(curl -s "http://127.0.0.1:$HS_HTTP_PORT/actuator/health" | head -c 300)"

{
  echo "Cold start under load (LoadGen series, $COLD_CONNECTIONS connections, closed loop, distinct issues; steady = the last ${STEADY_SECONDS}s of ${COLD_SECONDS}s after UP):"
  echo
  echo "$COLD_HEADER"
  cat "$COLD_TABLE"
  echo
  echo "Ingress, $(date -u +%F), $(nproc) cores, payload $PAYLOAD_BYTES bytes, wrk -t2 -c$CONNECTIONS -d${DURATION}s (after a ${WARMUP}s warm-up, ${FIRST_WARMUP}s before round 1), bare route broker: $BARE_BROKER."
  echo "Accepted/s counts only 202 answers. Half-rate: open-loop LoadGen at half the target's own accepted/s for ${HALF_SECONDS}s"
  echo "(first 3 s skipped), latency measured from each request's scheduled send time."
  echo
  echo "| target | round | connections | accepted/s | p50 ms | p99 ms | non-2xx | socket errors | server CPU (cores) | wrk CPU | other processes' CPU | GC ms | half rate /s | achieved /s | half p50 ms | half p99 ms |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
  cat "$TABLE.rows"
  echo
  hs=${BEST_ACC[hooksync]:-0}; bare=${BEST_ACC[bare-camel-kafka]:-0}; ex=${BEST_ACC[express]:-0}
  awk -v h="$hs" -v b="$bare" 'BEGIN { printf "- Hooksync / bare Camel route (best rounds): %d / %d = %.0f%% (target >= 90%%)\n", h, b, 100 * h / b }'
  [[ $ex != 0 ]] && awk -v h="$hs" -v e="$ex" 'BEGIN { printf "- Hooksync / Express (best rounds): %d / %d = %.2fx (target >= 2x)\n", h, e, h / e }'
  for round in $(seq 1 "$ROUNDS"); do
    v=HALF_P99_hooksync_r$round; echo "- Hooksync p99 at half its max rate, round $round: ${!v} ms (target < 50 ms)"
  done
} > "$TABLE"
rm -f "$TABLE.rows" "$COLD_TABLE"
cat "$TABLE"
log "results in $RESULTS_DIR"
