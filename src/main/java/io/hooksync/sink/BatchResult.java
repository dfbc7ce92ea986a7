package io.hooksync.sink;

/** What one batch did, event by event outcome counts (rows counts upserted rows). */
record BatchResult(int applied, int stale, int deleted, int filtered, int duplicates, int deadLettered, int rows) {

    static final BatchResult EMPTY = new BatchResult(0, 0, 0, 0, 0, 0, 0);

    BatchResult plus(BatchResult o) {
        return new BatchResult(applied + o.applied, stale + o.stale, deleted + o.deleted, filtered + o.filtered,
                duplicates + o.duplicates, deadLettered + o.deadLettered, rows + o.rows);
    }
}
