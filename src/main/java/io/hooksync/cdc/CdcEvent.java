package io.hooksync.cdc;

/**
 * One captured row change, ready for Kafka: a stable id (the same change replayed after a crash gets
 * the same id, so the sink's ledger absorbs it), the row key as JSON (per-row order on one partition),
 * the envelope JSON, the table as event type, the operation as action, and the commit time.
 */
record CdcEvent(String id, byte[] key, byte[] envelope, String table, String op, String time) {
}
