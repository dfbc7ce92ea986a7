#!/usr/bin/env bash
# Cold and warm start under load: accepted webhooks/s per 5 s from the moment each target reports UP, against its own
# steady state later in the same run, for Hooksync (JVM variants, shipped routes on or routes-none) and Express + pg.
#
# Usage: bench/coldstart.sh                      (from anywhere; paths default to this repository)
#        bench/coldstart.sh prepare              only the primed data directory and the training runs, no measurement
# Env:   RUNS="express default:routes default:none"   what to measure, in order: express, or VARIANT:routes|none
#        VARIANTS (see variant() below): default (java -jar, Java 17), extracted (Spring Boot's extracted layout),
#          appcds (extracted + an AppCDS archive from a training run), c1 (-XX:TieredStopAtLevel=1),
#          serialgc (-XX:+UseSerialGC), jdk25 (Temurin 25, extracted), jdk25-aot (+ the AOT cache of a training run),
#          jdk25-aot-c1 (the same with -XX:TieredStopAtLevel=1); any other NAME runs java -jar with the JVM options
#          in OPTS_NAME (dashes in NAME read as underscores), e.g. RUNS=pgc:routes OPTS_pgc=-XX:+UseParallelGC
#        COLD_SECONDS=120 STEADY_SECONDS=30 COLD_CONNECTIONS=64   load after UP; the last STEADY_SECONDS are the steady state
#        EXPRESS_BASELINE_DIR=dir (the Express baseline folder: server.mjs + package.json; needed for "express") PG_URL=...
#        TRAIN_EVENTS=4000   webhooks a training run takes (routes on) before it stops and writes its archive
#        JDK25_HOME=/usr/lib/jvm/temurin-25-jdk-amd64  SKIP_BUILD=1 RESULTS_DIR=… HS_*_PORT EXPRESS_PORT
#        PROFILE=1   a JFR flat profile of each Hooksync target's first 60 s after UP (hooksync-N-….top.txt); the
#                    recording slows the minute it measures (332 vs 512/s seen): its rows are not comparable figures
#        PROFILE=async  async-profiler instead (CPU samples by thread and frame, hooksync-N-….top.txt and .collapsed);
#                    it does not invalidate compiled code
# Every Hooksync start gets a copy of one primed data directory (target/bench-jvm/prime-data: engine tables, topics
# and consumer groups already created), so a start is a restart, as in a deployment. Archives and the primed
# directory stay in target/bench-jvm/ between runs (delete it after changing the engine: the archives check the jar).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

RUNS=${RUNS:-"express default:routes default:none"}
EXPRESS_BASELINE_DIR=${EXPRESS_BASELINE_DIR:-}
TRAIN_EVENTS=${TRAIN_EVENTS:-4000}
JDK25_HOME=${JDK25_HOME:-$(ls -d /usr/lib/jvm/temurin-25* 2>/dev/null | head -1)}
JVM_DIR=$ROOT/target/bench-jvm
FAT_JAR=$JAR
JAVA17=$JAVA
URL="http://127.0.0.1:$HS_HTTP_PORT/webhooks/github"
HEALTH="http://127.0.0.1:$HS_HTTP_PORT/actuator/health"
ensure_wrk
build
prepare_payload
mkdir -p "$JVM_DIR"

# extracted: Spring Boot's `-Djarmode=tools extract` layout (the application jar + lib/), which class data sharing needs.
extracted() {
  local dir=$JVM_DIR/extracted
  if [[ ! -f $dir/$(basename "$FAT_JAR") || $FAT_JAR -nt $dir/$(basename "$FAT_JAR") ]]; then
    rm -rf "$dir"
    "$JAVA17" -Djarmode=tools -jar "$FAT_JAR" extract --destination "$dir" >/dev/null 2>&1
  fi
  echo "$dir/$(basename "$FAT_JAR")"
}

# prime: a data directory the engine has started in once with the shipped routes (tables, topics, groups).
prime() {
  PRIME=$JVM_DIR/prime-data
  [[ -d $PRIME ]] && return 0
  log "priming $PRIME (one start with the shipped routes)"
  JAVA=$JAVA17 JAR=$FAT_JAR start_engine prime "$ROOT/routes" "$PRIME.tmp"
  stop_engine
  mv "$PRIME.tmp" "$PRIME"
}

# train NAME JAVA JAR OPTIONS: one start with the shipped routes and TRAIN_EVENTS webhooks, then a graceful stop
# (the JVM writes its archive or cache at exit).
train() {
  local name=$1 java=$2 jar=$3 opts=$4
  log "training run $name: $opts"
  rm -rf "$WORK/train-$name"; cp -a "$PRIME" "$WORK/train-$name"
  JAVA=$java JAR=$jar start_engine "train-$name" "$ROOT/routes" "$WORK/train-$name" "$opts"
  tool io.hooksync.bench.LoadGen fill url="$URL" body="$BODY" secret="$BENCH_SECRET" count="$TRAIN_EVENTS" \
    connections=32 idBase=$((4000000000 + RANDOM * 100000)) tag="train-$name-$STAMP" > "$RESULTS_DIR/train-$name.txt"
  sleep 10   # let the flows, the outbox relay and the timeline run on what came in
  kill "$ENGINE_PID"
  for _ in $(seq 1 600); do kill -0 "$ENGINE_PID" 2>/dev/null || break; sleep 0.5; done   # the AOT cache takes a while
  forget_pid "$ENGINE_PID"
}

# variant NAME: sets V_JAVA, V_JAR and V_OPTS (training first when the variant needs an archive that is missing).
variant() {
  V_JAVA=$JAVA17; V_JAR=$FAT_JAR; V_OPTS=""
  case $1 in
    default) ;;
    extracted) V_JAR=$(extracted) ;;
    c1) V_OPTS="-XX:TieredStopAtLevel=1" ;;
    serialgc) V_OPTS="-XX:+UseSerialGC" ;;
    appcds)
      V_JAR=$(extracted)
      [[ -f $JVM_DIR/hooksync-17.jsa ]] || train appcds "$V_JAVA" "$V_JAR" "-XX:ArchiveClassesAtExit=$JVM_DIR/hooksync-17.jsa"
      V_OPTS="-XX:SharedArchiveFile=$JVM_DIR/hooksync-17.jsa" ;;
    jdk25)
      [[ -x $JDK25_HOME/bin/java ]] || die "no JDK 25 at JDK25_HOME=$JDK25_HOME"
      V_JAVA=$JDK25_HOME/bin/java; V_JAR=$(extracted) ;;
    jdk25-aot)
      [[ -x $JDK25_HOME/bin/java ]] || die "no JDK 25 at JDK25_HOME=$JDK25_HOME"
      V_JAVA=$JDK25_HOME/bin/java; V_JAR=$(extracted)
      [[ -f $JVM_DIR/hooksync-25.aot ]] || train jdk25-aot "$V_JAVA" "$V_JAR" "-XX:AOTCacheOutput=$JVM_DIR/hooksync-25.aot"
      V_OPTS="-XX:AOTCache=$JVM_DIR/hooksync-25.aot" ;;
    jdk25-aot-c1) variant jdk25-aot; V_OPTS="$V_OPTS -XX:TieredStopAtLevel=1" ;;
    *) local custom=OPTS_${1//-/_}
       [[ -n ${!custom:-} ]] || die "unknown variant $1 (a variant of your own: set $custom to its JVM options)"
       V_OPTS=${!custom} ;;
  esac
}

# profile_cold_minute NAME (PROFILE=1): a JFR profile of the first 60 s after UP, the minute the table's ratio is about.
profile_cold_minute() {
  [[ ${PROFILE:-0} == 1 || ${PROFILE:-0} == async ]] || return 0
  until curl -fsS "$HEALTH" 2>/dev/null | grep -q '"UP"'; do
    kill -0 "$ENGINE_PID" 2>/dev/null || return 0   # the engine died: cold_series says so
    sleep 0.2
  done
  if [[ $PROFILE == async ]]; then async_profile "$ENGINE_PID" "$1" 60
  else jfr_start "$ENGINE_PID" "$1" 60; sleep 62; fi
}

prime
if [[ ${1:-} == prepare ]]; then
  for run in $RUNS; do [[ $run == express ]] || variant "${run%%:*}"; done
  log "prepared: $(ls "$JVM_DIR")"
  exit 0
fi

TABLE=$RESULTS_DIR/coldstart.md
ROWS=$RESULTS_DIR/coldstart.rows
n=0
for run in $RUNS; do
  n=$((n + 1))
  if [[ $run == express ]]; then
    [[ -n $EXPRESS_BASELINE_DIR ]] || die "RUNS has express: set EXPRESS_BASELINE_DIR to the Express baseline folder"
    [[ -n ${EXPRESS_DIR:-} ]] || install_express "$EXPRESS_BASELINE_DIR"
    load=$(load_1min)
    launch_express
    cpu_sampler_start "$EXPRESS_PID" "$RESULTS_DIR/express-$n.cpu"
    cold_series "express-$n" "http://127.0.0.1:$EXPRESS_PORT/webhooks/github" "http://127.0.0.1:$EXPRESS_PORT/" "$EXPRESS_LAUNCHED" true
    launched=$EXPRESS_LAUNCHED; name="Express + pg (MODE=db)"; pid_cpu=$RESULTS_DIR/express-$n.cpu
    cpu_sampler_stop
    drop_express
  else
    var=${run%%:*}; routes=${run#*:}
    variant "$var"
    dir=$ROOT/routes; [[ $routes == none ]] && dir=$ROOT/src/test/resources/routes-none
    data=$WORK/data-$n; cp -a "$PRIME" "$data"
    load=$(load_1min); launched=$(now_ms)
    JAVA=$V_JAVA JAR=$V_JAR launch_engine "hooksync-$n-$var-$routes" "$dir" "$data" "$V_OPTS"
    cpu_sampler_start "$ENGINE_PID" "$RESULTS_DIR/hooksync-$n.cpu"
    profile_cold_minute "hooksync-$n-$var-$routes" & profiler=$!
    cold_series "hooksync-$n-$var-$routes" "$URL" "$HEALTH" "$launched"
    wait "$profiler"
    jfr_summary "$RESULTS_DIR/hooksync-$n-$var-$routes.jfr"
    cpu_sampler_stop
    stop_engine
    rm -rf "$data"
    label="routes/ (shipped)"; [[ $routes == none ]] && label=routes-none
    name="Hooksync $var, $label (Java $("$V_JAVA" -version 2>&1 | awk -F'"' 'NR == 1 {print $2}')${V_OPTS:+ ${V_OPTS//$JVM_DIR\//}})"
    pid_cpu=$RESULTS_DIR/hooksync-$n.cpu
  fi
  up_ms=$(awk -v l="$launched" -v u="$(result_field "$COLD_RESULT" up_s)" 'BEGIN { printf "%d", l + u * 1000 }')
  read -r c_cold m_cold < <(cpu_between "$pid_cpu" "$up_ms" $((up_ms + 60000)))
  read -r c_steady m_steady < <(cpu_between "$pid_cpu" $((up_ms + (COLD_SECONDS - STEADY_SECONDS) * 1000)) $((up_ms + COLD_SECONDS * 1000)))
  read -r c_start m_start < <(cpu_between "$pid_cpu" "$launched" "$up_ms")
  cold_row "$name" "$load" | sed "s/ |\$/ | $c_start \/ $m_start | $c_cold \/ $m_cold | $c_steady \/ $m_steady |/" >> "$ROWS"
done

{
  echo "Cold start under load, $(date -u '+%F %H:%M') UTC, $(nproc) cores: LoadGen series (closed loop, $COLD_CONNECTIONS connections,"
  echo "signed ${PAYLOAD_BYTES}-byte GitHub issues webhooks, distinct issues) from the moment the target reports UP, ${COLD_SECONDS}s;"
  echo "steady = the last ${STEADY_SECONDS}s. Hooksync restarts on a copy of a primed data directory. CPU in cores: the server / the whole machine."
  echo
  echo "${COLD_HEADER%%$'\n'*} server / machine CPU launch -> UP | in the first 60 s | steady |"
  echo "${COLD_HEADER#*$'\n'}---|---|---|"
  cat "$ROWS"
} > "$TABLE"
cat "$TABLE"
log "results in $RESULTS_DIR"
