#!/usr/bin/env bash
# CDC benchmark: row changes per second from PostgreSQL (the engine's embedded one as the source) through Debezium,
# Kafka and the shipped route cdc-customers to crm_customers rows and customer.* outbox events.
#
# Usage: bench/cdc.sh                (from anywhere; paths default to this repository)
# Env:   CHANGES=50000               rows inserted, then the same rows updated (two phases of CHANGES changes each)
#        TX_ROWS=100                 rows per source transaction
#        ROUNDS=1 SKIP_BUILD=1 HOOKSYNC_JAR=… RESULTS_DIR=… HS_HTTP_PORT HS_KAFKA_PORT HS_CONTROLLER_PORT HS_DB_PORT
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

CHANGES=${CHANGES:-50000}
TX_ROWS=${TX_ROWS:-100}
ROUNDS=${ROUNDS:-1}
build

ROUTES=$WORK/routes-cdc
mkdir -p "$ROUTES"
cp "$ROOT/routes/cdc-customers.yaml" "$ROUTES/"
TABLE=$RESULTS_DIR/cdc.md

# phase NAME SQL_TEMPLATE EXPECTED_LEDGER: runs the statements (one transaction each), waits for the ledger, prints a row.
phase() {
  local name=$1 template=$2 expected=$3 sql=$WORK/$1.sql first
  : > "$sql"
  for ((first = 1; first <= CHANGES; first += TX_ROWS)); do
    printf "${template}\n" "$first" "$((first + TX_ROWS - 1 < CHANGES ? first + TX_ROWS - 1 : CHANGES))" >> "$sql"
  done
  local cpu0 busy0 t0 t_written t_end c
  cpu0=$(cpu_ticks "$ENGINE_PID"); busy0=$(busy_ticks); t0=$(date +%s.%N)
  PSQL_DB -f "$sql" >/dev/null
  t_written=$(date +%s.%N)
  local start=$SECONDS
  while :; do
    c=$(PSQL_DB -c "SELECT count(*) FROM hooksync_ledger WHERE consumer = 'cdc-customers'")
    (( c >= expected )) && break
    (( SECONDS - start < 600 )) || die "$name: ledger stuck at $c of $expected"
    sleep 0.2
  done
  t_end=$(date +%s.%N)
  local secs write_secs cores busy
  secs=$(awk -v a="$t_end" -v b="$t0" 'BEGIN { printf "%.1f", a - b }')
  write_secs=$(awk -v a="$t_written" -v b="$t0" 'BEGIN { printf "%.1f", a - b }')
  cores=$(awk -v a="$cpu0" -v b="$(cpu_ticks "$ENGINE_PID")" -v t="$CLK_TCK" -v s="$secs" 'BEGIN { printf "%.2f", (b - a) / t / s }')
  busy=$(awk -v a="$busy0" -v b="$(busy_ticks)" -v t="$CLK_TCK" -v s="$secs" 'BEGIN { printf "%.2f", (b - a) / t / s }')
  log "$name: $CHANGES changes written in ${write_secs}s, all in the ledger after ${secs}s"
  printf '| %s | %s | %s | %s | %s | %s | %s / %s |\n' "$round" "$name" "$CHANGES" "$write_secs" "$secs" \
    "$(awk -v n="$CHANGES" -v s="$secs" 'BEGIN { printf "%.0f", n / s }')" "$cores" "$busy" >> "$TABLE.rows"
}

for round in $(seq 1 "$ROUNDS"); do
  DATA=$WORK/cdc-data-r$round
  # The source table must exist before a CDC source starts (the setup check names missing tables).
  start_engine "cdc-prepare-r$round" "$ROOT/src/test/resources/routes-none" "$DATA"
  PSQL_DB -c 'CREATE TABLE customers (id bigint PRIMARY KEY, name text, email text, updated_at timestamp)'
  stop_engine

  export HOOKSYNC_CDC_CRM_ENABLED=true
  start_engine "cdc-r$round" "$ROUTES" "$DATA"
  unset HOOKSYNC_CDC_CRM_ENABLED
  until grep -q "streams changes" "$RESULTS_DIR/cdc-r$round.log"; do sleep 0.5; done

  phase insert "INSERT INTO customers SELECT i, 'customer ' || i, i || '@example.com', now() FROM generate_series(%s, %s) i;" "$CHANGES"
  phase update "UPDATE customers SET name = name || ' renamed', updated_at = now() WHERE id BETWEEN %s AND %s;" "$((2 * CHANGES))"
  OUTBOX=$(PSQL_DB -c "SELECT string_agg(event_type || ':' || n, ' ') FROM (SELECT event_type, count(*) n FROM hooksync_outbox GROUP BY 1 ORDER BY 1) o")
  log "round $round: outbox $OUTBOX"
  stop_engine
done

{
  echo "CDC, $(date -u +%F), $(nproc) cores, source = the embedded PostgreSQL, $TX_ROWS rows per source transaction, route cdc-customers (mapping cdc/customers, batch 500)."
  echo
  echo "| round | phase | changes | source write s | write start -> last ledger row s | changes/s end to end | engine JVM / machine busy CPU (cores) |"
  echo "|---|---|---|---|---|---|---|"
  cat "$TABLE.rows"
} > "$TABLE"
rm -f "$TABLE.rows"
cat "$TABLE"
log "results in $RESULTS_DIR"
