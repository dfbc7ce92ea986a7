#!/usr/bin/env bash
# CPU by thread group of a running engine over a window, with its embedded PostgreSQL's processes beside it: where the
# cores go, undisturbed (reads /proc; a JFR recording started on a cold JVM changed what it measured, see
# docs/benchmarks.md). Thread names come from jstack, digits folded (http-nio-#-exec-#).
#
# The shares are what to compare: on a virtualised machine the absolute figures need not add up to its cores (seen
# here: more than 2 "cores" of ticks on a 2-core sandbox).
#
# Usage: bench/threadcpu.sh PID SECONDS [PG_PORT]     PG_PORT: the embedded PostgreSQL's port (default 18432)
set -euo pipefail
pid=$1; secs=$2; pg_port=${3:-18432}
[[ -d /proc/$pid ]] || { echo "no process $pid" >&2; exit 1; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

# snap: "id utime+stime name" per thread of PID and per process of its PostgreSQL
snap() {
  local t stat rest comm pm c
  for t in /proc/"$pid"/task/*; do
    stat=$(cat "$t/stat" 2>/dev/null) || continue
    comm=$(cat "$t/comm" 2>/dev/null) || continue
    rest=${stat##*) }
    # shellcheck disable=SC2086
    set -- $rest
    echo "${t##*/} $(( ${12} + ${13} )) $comm"
  done
  pm=$(pgrep -f "bin/postgres .*-p $pg_port" | head -1 || true)
  [[ -n $pm ]] || return 0
  for c in $pm $(pgrep -P "$pm" || true); do
    stat=$(cat /proc/"$c"/stat 2>/dev/null) || continue
    rest=${stat##*) }
    # shellcheck disable=SC2086
    set -- $rest
    echo "pg$c $(( ${12} + ${13} )) postgresql"
  done
}

snap > "$out/before"
sleep "$secs"
snap > "$out/after"
jstack "$pid" 2>/dev/null | awk '/^"/ && match($0, /nid=0x[0-9a-f]+/) {
    name = $0; sub(/^"/, "", name); sub(/".*/, "", name)
    printf "%d %s\n", strtonum("0x" substr($0, RSTART + 6, RLENGTH - 6)), name }' > "$out/names" || true
ticks=$(getconf CLK_TCK)
awk -v secs="$secs" -v hz="$ticks" '
  FILENAME ~ /names$/ { id = $1; $1 = ""; name[id] = substr($0, 2); next }
  FILENAME ~ /before$/ { before[$1] = $2; next }
  { used = $2 - before[$1]; n = ($1 in name) ? name[$1] : substr($0, index($0, $3)); gsub(/[0-9]+/, "#", n)
    group[n] += used; total += used }
  END {
    for (g in group) if (group[g] > 0) printf "%6.2f cores %5.1f%%  %s\n", group[g] / hz / secs, 100 * group[g] / total, g | "sort -rn"
    close("sort -rn"); printf "%6.2f cores in all (engine JVM + its PostgreSQL) over %d s\n", total / hz / secs, secs
  }' "$out/names" "$out/before" "$out/after"
