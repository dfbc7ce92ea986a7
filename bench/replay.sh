#!/usr/bin/env bash
# Backfill benchmark (issue 13): on one data directory, the live sink drain rate of the github-issues route from a
# cold start, then the replay rates of the same history through a changed mapping: a preview (shadow table and
# difference) and an apply (the real table), each on a freshly started engine, created as soon as it reports UP.
#
# Usage: bench/replay.sh               (from anywhere; paths default to this repository)
# Env:   EVENTS=50000 FILL_CONNECTIONS=32   events put on Kafka through the engine's ingress (routes-none)
#        BACKFILL_BATCH=500          hooksync.backfill.batch-size of the replays (the engine's default)
#        OUTBOX_WAIT=900             at most this many seconds for the drain's outbox to be relayed before the replays
#        SKIP_BUILD=1 HOOKSYNC_JAR=… RESULTS_DIR=… HS_HTTP_PORT HS_KAFKA_PORT HS_CONTROLLER_PORT HS_DB_PORT
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

EVENTS=${EVENTS:-50000}
FILL_CONNECTIONS=${FILL_CONNECTIONS:-32}
BACKFILL_BATCH=${BACKFILL_BATCH:-500}
OUTBOX_WAIT=${OUTBOX_WAIT:-900}
# the replays API is called with an admin API token (Basic credentials would need the CSRF token for a POST)
export HOOKSYNC_BENCH_TOKEN=${HOOKSYNC_BENCH_TOKEN:-bench-replay-token-0123456789abcdef}
AUTH="Authorization: Bearer $HOOKSYNC_BENCH_TOKEN"
HS_EXTRA_ARGS="--hooksync.management.admin-password=bench-admin --hooksync.management.tokens.bench.secret=env:HOOKSYNC_BENCH_TOKEN --hooksync.management.tokens.bench.role=admin --hooksync.backfill.batch-size=$BACKFILL_BATCH $HS_EXTRA_ARGS"
build
prepare_payload

# Only the github-issues flow, from the beginning of the topic (the events are queued before it is first deployed),
# as in bench/sink.sh; and a copy of the mappings, so the mapping can change between the drain and the replays.
ROUTES=$WORK/routes-github-issues
mkdir -p "$ROUTES"
sed 's/parameters: { source: github, types: "issues" }/parameters: { source: github, types: "issues", start: beginning }/' \
  "$ROOT/routes/github-issues.yaml" > "$ROUTES/github-issues.yaml"
grep -q 'start: beginning' "$ROUTES/github-issues.yaml" || die "could not add start=beginning to the github-issues route"
HS_MAPPINGS_DIR=$WORK/mappings
cp -r "$ROOT/mappings" "$HS_MAPPINGS_DIR"
MAPPING=$HS_MAPPINGS_DIR/github/issues.yaml
URL="http://127.0.0.1:$HS_HTTP_PORT/webhooks/github"
HEALTH="http://127.0.0.1:$HS_HTTP_PORT/actuator/health"
REPLAYS="http://127.0.0.1:$HS_HTTP_PORT/api/routes/github-issues/replays"
DATA=$WORK/replay-data
TABLE=$RESULTS_DIR/replay.md

# json FILE EXPRESSION: a value of the JSON in FILE (a JavaScript expression over `j`), printed as text.
json() { node -e 'const j = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")); const v = eval(process.argv[2]); console.log(v === null || v === undefined ? "" : v)' "$1" "$2"; }
secs() { awk -v ms="$1" 'BEGIN { printf "%.1f", ms / 1000 }'; }
up_now() { curl -fsS "$HEALTH" 2>/dev/null | grep -q '"status":"UP"'; }

# 1. N signed events with distinct issue ids (and delivery ids) onto Kafka through the ingress, no flows running.
start_engine replay-fill "$ROOT/src/test/resources/routes-none" "$DATA"
log "putting $EVENTS events on Kafka ($FILL_CONNECTIONS connections)"
fill=$(tool io.hooksync.bench.LoadGen fill url="$URL" body="$BODY" secret="$BENCH_SECRET" count="$EVENTS" \
       connections="$FILL_CONNECTIONS" idBase=1000000000 tag="replay-fill-$STAMP" | tee "$RESULTS_DIR/replay-fill.txt" | grep '^RESULT')
[[ $(result_field "$fill" accepted) == "$EVENTS" ]] || die "not every event was accepted: $fill"
stop_engine

# 2. The live route drains them from a cold start (mapping github/issues as shipped): the ledger counted once a
#    second from the JVM launch, the rate computed as bench/sink.sh does (first non-zero sample -> sample reaching N).
launched=$(now_ms)
launch_engine replay-drain "$ROUTES" "$DATA" ""
log "engine restarted with the github-issues route; polling SELECT count(*) FROM hooksync_ledger every second"
series=$RESULTS_DIR/replay-drain.tsv
echo -e "seconds_since_launch\tledger_rows\tengine_cpu_ticks\tmachine_busy_ticks" > "$series"
t0=$(date +%s.%N); last_change=$SECONDS; prev=-1; tick=0; drain_up=
while :; do
  tick=$((tick + 1))
  sleep "$(awk -v t0="$t0" -v k="$tick" -v now="$(date +%s.%N)" 'BEGIN { s = t0 + k - now; print (s > 0 ? s : 0) }')"
  kill -0 "$ENGINE_PID" 2>/dev/null || die "engine exited while draining (log $RESULTS_DIR/replay-drain.log)"
  [[ -z $drain_up ]] && up_now && drain_up=$(( $(now_ms) - launched ))
  c=$(PSQL_DB -c 'SELECT count(*) FROM hooksync_ledger' 2>"$WORK/psql.err") || c=
  now=$(date +%s.%N)
  if [[ -z $c ]]; then
    (( SECONDS - last_change < 180 )) || die "no answer from the database for 180 s: $(cat "$WORK/psql.err")"
    continue
  fi
  printf '%.3f\t%s\t%s\t%s\n' "$(awk -v a="$now" -v b="$t0" 'BEGIN { print a - b }')" "$c" "$(cpu_ticks "$ENGINE_PID")" "$(busy_ticks)" >> "$series"
  (( c != prev )) && { last_change=$SECONDS; prev=$c; }
  (( c >= EVENTS )) && break
  (( SECONDS - last_change < 120 )) || die "ledger stuck at $c of $EVENTS for 120 s"
done
read -r D_RATE D_SECS D_ENGINE D_BUSY < <(awk -v n="$EVENTS" -v tck="$CLK_TCK" 'NR > 1 {
    if (first == "" && $2 > 0) { first = $1; c1 = $2; e1 = $3; b1 = $4 }
    if ($2 >= n && last == "") { last = $1; e2 = $3; b2 = $4 } }
  END { d = last - first; if (d <= 0) d = 1e-9
        printf "%.0f %.1f %.2f %.2f\n", (n - c1) / d, d, (e2 - e1) / tck / d, (b2 - b1) / tck / d }' "$series")
wait_health "$HEALTH" "$ENGINE_PID" "$RESULTS_DIR/replay-drain.log"
[[ -n $drain_up ]] || drain_up=$(( $(now_ms) - launched ))
ROWS=$(PSQL_DB -c 'SELECT count(*) FROM github_issues')
log "drained $EVENTS in ${D_SECS}s: $D_RATE events/s (engine JVM $D_ENGINE cores, machine $D_BUSY cores busy); github_issues rows $ROWS"
[[ $ROWS == "$EVENTS" ]] || die "github_issues holds $ROWS rows, not $EVENTS"
# The drain leaves N outbox rows (issue.synced) for the relay and the dispatcher: wait until both are done, so the
# replays below do not share the engine with them.
waited=$SECONDS
for _ in $(seq 1 "$OUTBOX_WAIT"); do
  pending=$(PSQL_DB -c "SELECT (SELECT count(*) FROM hooksync_outbox_queue)
                               + greatest(0, $EVENTS - (SELECT count(*) FROM hooksync_messages))") || pending=1
  [[ $pending == 0 ]] && break
  sleep 1
done
log "outbox relayed and messages stored $((SECONDS - waited)) s after the drain (pending $pending; outbox rows $(PSQL_DB -c 'SELECT count(*) FROM hooksync_outbox'), messages $(PSQL_DB -c 'SELECT count(*) FROM hooksync_messages'))"
stop_engine

# 3. The mapping changes: state upper-cased and a new column, so every row of the history differs.
sed -i 's/^  state:      { expr: issue.state, type: text }$/  state:      { expr: "$uppercase(issue.state)", type: text }/' "$MAPPING"
sed -i 's/^\(  labels: .*\)$/\1\n  title_length: { expr: "$length(issue.title)", type: integer }/' "$MAPPING"
grep -q 'uppercase(issue.state)' "$MAPPING" && grep -q '^  title_length:' "$MAPPING" \
  || die "could not change the mapping $MAPPING (its state line changed?)"
log "mapping github/issues changed: state upper-cased, new column title_length"

# replay MODE: a fresh engine on the same data; as soon as it reports UP, a replay of the whole history (start
# beginning) through /api/routes/github-issues/replays, its status polled every 0.5 s until it ends. Sets R_* from the
# replay's own status (startedAt -> finishedAt, eventsPerSecond) and the engine's CPU between creation and end.
replay() {
  local mode=$1 launched up created status=$WORK/replay-$1.json response code cpu0 busy0 t0 t1 cpu1 busy1
  launched=$(now_ms)
  start_engine "replay-$mode" "$ROUTES" "$DATA"
  up=$(now_ms)
  cpu0=$(cpu_ticks "$ENGINE_PID"); busy0=$(busy_ticks); t0=$(now_ms)
  response=$(curl -sS -H "$AUTH" -H 'Content-Type: application/json' -o "$status" -w '%{http_code}' \
    "$REPLAYS" -d "{\"mode\":\"$mode\",\"start\":\"beginning\"}")
  [[ $response == 202 ]] || die "$mode not created ($response): $(cat "$status")"
  R_ID=$(json "$status" j.id)
  log "$mode $R_ID created $(( $(now_ms) - up )) ms after UP, $(json "$status" j.eventsTotal) events"
  while :; do
    code=$(curl -sS -H "$AUTH" -o "$status" -w '%{http_code}' "$REPLAYS/$R_ID") || code=000
    if [[ $code == 200 ]]; then
      case $(json "$status" j.state) in queued|running) ;; *) break ;; esac
    fi
    kill -0 "$ENGINE_PID" 2>/dev/null || die "engine exited during the $mode (log $RESULTS_DIR/replay-$mode.log)"
    sleep 0.5
  done
  cpu1=$(cpu_ticks "$ENGINE_PID"); busy1=$(busy_ticks); t1=$(now_ms)
  cp "$status" "$RESULTS_DIR/replay-$mode.status.json"
  [[ $(json "$status" j.state) == succeeded ]] || die "$mode ended $(json "$status" j.state): $(cat "$status")"
  R_READ=$(json "$status" j.eventsRead)
  R_RATE=$(json "$status" 'Math.round(j.eventsPerSecond)')
  R_SECS=$(secs "$(json "$status" 'j.finishedAt - j.startedAt')")
  R_UP=$(secs $(( up - launched )))
  R_UP_DONE=$(secs "$(( $(json "$status" j.finishedAt) - up ))")
  R_CORES=$(awk -v a="$cpu0" -v b="$cpu1" -v c="$busy0" -v d="$busy1" -v t="$CLK_TCK" -v s="$(( t1 - t0 ))" \
    'BEGIN { s /= 1000; printf "%.2f / %.2f", (b - a) / t / s, (d - c) / t / s }')
  R_ROWS="written $(json "$status" j.rowsWritten), unchanged $(json "$status" j.rowsUnchanged)"
  if [[ $mode == preview ]]; then
    curl -fsS -H "$AUTH" "$REPLAYS/$R_ID/result" -o "$RESULTS_DIR/replay-preview.result.json" \
      || die "no difference for preview $R_ID"
    R_ROWS="difference: inserted $(json "$RESULTS_DIR/replay-preview.result.json" j.inserted), changed $(json "$RESULTS_DIR/replay-preview.result.json" j.changed), unchanged $(json "$RESULTS_DIR/replay-preview.result.json" j.unchanged), deleted $(json "$RESULTS_DIR/replay-preview.result.json" j.deleted)"
  fi
  log "$mode $R_ID: $R_READ events in ${R_SECS}s = $R_RATE events/s (UP after ${R_UP}s; done ${R_UP_DONE}s after UP; $R_ROWS; engine / machine cores $R_CORES)"
  [[ $R_READ == "$EVENTS" ]] || die "$mode read $R_READ events, not $EVENTS"
}

# 4. Preview, then apply, each on a cold engine. The apply must write every row (the mapping changed all of them).
replay preview
P=("$R_RATE" "$R_SECS" "$R_UP" "$R_UP_DONE" "$R_ROWS" "$R_CORES")
[[ $(json "$RESULTS_DIR/replay-preview.result.json" j.changed) == "$EVENTS" ]] || die "the preview should find $EVENTS changed rows"
[[ -z $(PSQL_DB -c "SELECT string_agg(tablename, ' ') FROM pg_tables WHERE tablename LIKE 'hooksync\_shadow\_%'") ]] \
  || die "the preview left a shadow table"
stop_engine
replay apply
A=("$R_RATE" "$R_SECS" "$R_UP" "$R_UP_DONE" "$R_ROWS" "$R_CORES")
APPLIED=$(PSQL_DB -c "SELECT count(*) FROM github_issues WHERE state = 'OPEN' AND title_length = length(title)")
log "github_issues rows in the new mapping's shape after the apply: $APPLIED of $EVENTS"
[[ $APPLIED == "$EVENTS" ]] || die "the apply left $((EVENTS - APPLIED)) rows in the old shape"
OUTBOX=$(PSQL_DB -c 'SELECT count(*) FROM hooksync_outbox')
[[ $OUTBOX == "$EVENTS" ]] || die "outbox holds $OUTBOX rows: the apply should emit nothing (drain: $EVENTS)"
stop_engine

{
  echo "Backfill, $(date -u +%F), $(nproc) cores, $EVENTS events of $PAYLOAD_BYTES bytes, route github-issues (mapping github/issues; replays: state upper-cased + new column title_length, backfill batch $BACKFILL_BATCH); each phase on a freshly started engine on the same data."
  echo
  echo "| phase | events | events/s | seconds | launch -> UP s | UP -> done s | rows | engine JVM / machine busy CPU (cores) |"
  echo "|---|---|---|---|---|---|---|---|"
  printf '| live drain (sink, first -> last ledger sample) | %s | %s | %s | %s | - | %s rows applied | %s / %s |\n' \
    "$EVENTS" "$D_RATE" "$D_SECS" "$(secs "$drain_up")" "$ROWS" "$D_ENGINE" "$D_BUSY"
  printf '| preview (startedAt -> finishedAt, with the difference) | %s | %s | %s | %s | %s | %s | %s |\n' \
    "$EVENTS" "${P[0]}" "${P[1]}" "${P[2]}" "${P[3]}" "${P[4]}" "${P[5]}"
  printf '| apply (startedAt -> finishedAt) | %s | %s | %s | %s | %s | %s | %s |\n' \
    "$EVENTS" "${A[0]}" "${A[1]}" "${A[2]}" "${A[3]}" "${A[4]}" "${A[5]}"
} > "$TABLE"
cat "$TABLE"
log "results in $RESULTS_DIR"
