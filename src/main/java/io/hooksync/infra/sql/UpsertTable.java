package io.hooksync.infra.sql;

import java.util.List;

/**
 * A target table as the version-guarded upsert sees it: its columns in order with their types, the key, the
 * optional version column, and the three bookkeeping columns every target table has.
 *
 * @param table   table name (from a validated mapping file; quoted by the dialect)
 * @param columns the mapping's columns, in the order their values are given
 * @param types   the type of each column
 * @param key     the key columns (a subset of {@code columns})
 * @param version the version column, or null: an older version never overwrites a newer row
 */
public record UpsertTable(String table, List<String> columns, List<SqlType> types, List<String> key, String version) {

    public static final String DELETED = "_hooksync_deleted";
    public static final String EVENT_ID = "_hooksync_event_id";
    public static final String SYNCED_AT = "_hooksync_synced_at";

    public UpsertTable {
        columns = List.copyOf(columns);
        types = List.copyOf(types);
        key = List.copyOf(key);
    }

    /** One row to upsert: the values in column order, the deleted flag (a tombstone) and the event it came from. */
    public record Row(Object[] values, boolean deleted, String eventId) {
    }

    /** Every column an upsert writes: the mapping's, then the deleted flag, the event id and the sync time. */
    List<String> written() {
        List<String> written = new java.util.ArrayList<>(columns);
        written.addAll(List.of(DELETED, EVENT_ID, SYNCED_AT));
        return written;
    }

    /**
     * The columns an update assigns: the content columns, the deleted flag, event id, sync time and the version
     * last (MariaDB evaluates assignments left to right).
     */
    List<String> updated() {
        List<String> updated = new java.util.ArrayList<>(columns.stream()
                .filter(c -> !key.contains(c) && !c.equals(version)).toList());
        updated.addAll(List.of(DELETED, EVENT_ID, SYNCED_AT));
        if (version != null) {
            updated.add(version);
        }
        return updated;
    }

    /** Positions of the key columns in {@link #columns}. */
    int[] keyIndexes() {
        return key.stream().mapToInt(columns::indexOf).toArray();
    }

    /** The non-key columns but the version, then the deleted flag and (last) the version: what "the row changes" compares. */
    List<String> content() {
        List<String> content = new java.util.ArrayList<>(columns.stream()
                .filter(c -> !key.contains(c) && !c.equals(version)).toList());
        content.add(DELETED);
        if (version != null) {
            content.add(version);
        }
        return content;
    }
}
