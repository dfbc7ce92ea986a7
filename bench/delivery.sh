#!/usr/bin/env bash
# Outbound delivery benchmark: deliveries per second to 10 fast local receivers, and to 10 endpoints of which 3 hang.
#
# Usage: bench/delivery.sh               (from anywhere; paths default to this repository)
# Env:   MESSAGES=3000   messages per scenario (each goes to every endpoint)
#        WARMUP=2000     messages of a warm-up scenario with 10 healthy endpoints, not reported (JIT)
#        ROUNDS=1        repeat both scenarios
#        SKIP_BUILD=1 HOOKSYNC_JAR=… RESULTS_DIR=… HS_HTTP_PORT HS_KAFKA_PORT HS_CONTROLLER_PORT HS_DB_PORT
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

MESSAGES=${MESSAGES:-3000}
WARMUP=${WARMUP:-2000}
ROUNDS=${ROUNDS:-1}
BENCH_TOKEN=$(od -An -tx1 -N24 /dev/urandom | tr -d ' \n')   # an admin API token for the script's API calls
export HOOKSYNC_BENCH_API_TOKEN=$BENCH_TOKEN
build

HS_EXTRA_ARGS="--hooksync.outbound.allowed-networks=127.0.0.1/32 --hooksync.management.tokens.bench.secret=env:HOOKSYNC_BENCH_API_TOKEN --hooksync.management.tokens.bench.role=admin $HS_EXTRA_ARGS"
DATA=$WORK/delivery-data
start_engine delivery "$ROOT/src/test/resources/routes-none" "$DATA"
API="http://127.0.0.1:$HS_HTTP_PORT"
TABLE=$RESULTS_DIR/delivery.md

# resends: requests the engine sent again at once on another connection (the receiver had closed the pooled one)
resends() {
  { curl -sS -m 5 -H "Authorization: Bearer $BENCH_TOKEN" "$API/actuator/metrics/hooksync.delivery.resends" 2>/dev/null || true; } \
    | awk -F'"statistic":"COUNT","value":' 'NF > 1 { split($2, v, /[,}]/); n = v[1] } END { printf "%d", n + 0 }'   # 0 before the first
}

scenario() {   # scenario TAG MESSAGES HEALTHY HANGING
  local tag=$1 n=$2 healthy=$3 hanging=$4 before_engine before_busy before_resends t0 out secs
  before_engine=$(cpu_ticks "$ENGINE_PID"); before_busy=$(busy_ticks); before_resends=$(resends); t0=$(date +%s.%N)
  # DeliveryBench writes the outbox with the engine's own OutboxWriter: the engine's classes after the tools'
  out=$("$JAVA" -cp "$TOOLS_CP:$ROOT/target/classes" io.hooksync.bench.DeliveryBench api="$API" jdbc="$(engine_jdbc)" token="$BENCH_TOKEN" messages="$n" \
        healthy="$healthy" hanging="$hanging" tag="$tag" | tee "$RESULTS_DIR/delivery-$tag.txt" | grep '^RESULT')
  secs=$(awk -v t0="$t0" -v now="$(date +%s.%N)" 'BEGIN { print now - t0 }')
  ENGINE_CORES=$(awk -v a="$before_engine" -v b="$(cpu_ticks "$ENGINE_PID")" -v s="$secs" -v hz="$CLK_TCK" 'BEGIN { printf "%.2f", (b - a) / hz / s }')
  MACHINE_CORES=$(awk -v a="$before_busy" -v b="$(busy_ticks)" -v s="$secs" -v hz="$CLK_TCK" 'BEGIN { printf "%.2f", (b - a) / hz / s }')
  RESENDS=$(( $(resends) - before_resends ))
  RESULT=$out
  log "$out engine_cores=$ENGINE_CORES machine_cores=$MACHINE_CORES resends=$RESENDS"
}

if (( WARMUP > 0 )); then scenario warmup "$WARMUP" 10 0; fi
{
  echo "| round | scenario | messages | healthy endpoints | delivered to healthy | duplicates | seconds (first to last) | deliveries/s to healthy | requests to hanging | resends | engine / machine CPU (cores) |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|"
} > "$TABLE"
for round in $(seq 1 "$ROUNDS"); do
  for spec in "healthy 10 0" "hanging 7 3"; do
    read -r name healthy hanging <<<"$spec"
    scenario "$name-r$round" "$MESSAGES" "$healthy" "$hanging"
    printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s / %s |\n' "$round" "$name" "$MESSAGES" "$healthy" \
      "$(result_field "$RESULT" delivered)/$(result_field "$RESULT" expected)" "$(result_field "$RESULT" duplicates)" \
      "$(result_field "$RESULT" seconds)" "$(result_field "$RESULT" per_s)" "$(result_field "$RESULT" hanging_requests)" \
      "$RESENDS" "$ENGINE_CORES" "$MACHINE_CORES" >> "$TABLE"
  done
done
stop_engine
cat "$TABLE"
log "results in $RESULTS_DIR"
