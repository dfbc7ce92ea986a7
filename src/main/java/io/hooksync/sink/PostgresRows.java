package io.hooksync.sink;

import java.math.BigDecimal;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import io.hooksync.mapping.Mapping;

/**
 * PostgreSQL writes a batch with one statement per table instead of one execution per row: the
 * values are bound as arrays (one per column) and {@code unnest} turns them back into rows. Each
 * execution costs the server a round of parse/bind/execute and the driver a message; a batch of
 * 500 events paid that 1,500 times. Values travel as text and are cast in SQL to the column's type,
 * so every value is still a bound parameter.
 *
 * <p>{@code ON CONFLICT DO UPDATE} cannot touch one row twice in a statement, so rows of a batch
 * that share a key are split into generations (the n-th row of a key goes into statement n) and
 * the generations run in order: the same result as applying the rows one by one in Kafka order,
 * since rows of different keys do not interact. The upsert returns the positions of the rows it
 * inserted or updated; a row whose version guard refused it is not returned (stale).
 */
final class PostgresRows {

    private PostgresRows() {
    }

    /** The multi-row upsert for {@link SqlDialect#upsert}. */
    static String upsert(SqlDialect dialect, Mapping mapping, String table, String names, String onConflict) {
        List<Mapping.Column> columns = List.copyOf(mapping.columns().values());
        List<String> aliases = new ArrayList<>();
        List<String> casts = new ArrayList<>();
        Map<String, String> castOf = new HashMap<>();
        for (int i = 0; i < columns.size(); i++) {
            Mapping.Column column = columns.get(i);
            String cast = "u.v" + i + "::" + dialect.sqlType(column.type(), mapping.key().contains(column.name()));
            aliases.add("v" + i);
            casts.add(cast);
            castOf.put(column.name(), cast);
        }
        String join = mapping.key().stream().map(k -> castOf.get(k) + " = w." + dialect.quote(k))
                .collect(Collectors.joining(" AND "));
        return "WITH u AS (SELECT * FROM unnest(" + "?::text[], ".repeat(columns.size() + 1) + "?::text[])"
                + " WITH ORDINALITY AS u(" + String.join(", ", aliases) + ", del, eid, ord)),"
                + " w AS (INSERT INTO " + table + " (" + names + ") SELECT " + String.join(", ", casts)
                + ", u.del::boolean, u.eid, now() FROM u WHERE true" + onConflict
                + " RETURNING " + mapping.key().stream().map(dialect::quote).collect(Collectors.joining(", ")) + ")"
                + " SELECT u.ord FROM u JOIN w ON " + join;
    }

    /**
     * Runs the upsert for {@code rows} (values in column order, deleted flag, event id); returns per
     * row 1 when it was inserted or updated, 0 when the version guard kept the stored row.
     */
    static int[] upsert(Connection c, String sql, List<Object[]> values, List<Boolean> deleted, List<String> eventIds,
                        int[] keyIndexes) throws SQLException {
        int[] counts = new int[values.size()];
        for (List<Integer> generation : generations(values, keyIndexes)) {
            int width = values.get(generation.get(0)).length;
            String[][] arrays = new String[width + 2][generation.size()];
            for (int r = 0; r < generation.size(); r++) {
                int row = generation.get(r);
                Object[] v = values.get(row);
                for (int i = 0; i < width; i++) {
                    arrays[i][r] = text(v[i]);
                }
                arrays[width][r] = Boolean.toString(deleted.get(row));
                arrays[width + 1][r] = eventIds.get(row);
            }
            try (PreparedStatement upsert = c.prepareStatement(sql)) {
                for (int i = 0; i < arrays.length; i++) {
                    upsert.setArray(i + 1, c.createArrayOf("text", arrays[i]));
                }
                try (ResultSet rs = upsert.executeQuery()) {
                    while (rs.next()) {
                        counts[generation.get(rs.getInt(1) - 1)] = 1;
                    }
                }
            }
        }
        return counts;
    }

    /** Row indexes grouped so that no group holds two rows with the same key; groups in order. */
    static List<List<Integer>> generations(List<Object[]> values, int[] keyIndexes) {
        Map<List<Object>, Integer> occurrences = new HashMap<>();
        List<List<Integer>> generations = new ArrayList<>();
        for (int row = 0; row < values.size(); row++) {
            Object[] key = new Object[keyIndexes.length];
            for (int k = 0; k < keyIndexes.length; k++) {
                Object value = values.get(row)[keyIndexes[k]];
                key[k] = value instanceof BigDecimal d ? d.stripTrailingZeros() : value;
            }
            int generation = occurrences.merge(Arrays.asList(key), 1, Integer::sum) - 1;
            if (generation == generations.size()) {
                generations.add(new ArrayList<>());
            }
            generations.get(generation).add(row);
        }
        return generations;
    }

    /** The text PostgreSQL reads back as the same value when cast to the column's type. */
    static String text(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof BigDecimal d) {
            return d.toPlainString();
        }
        return value.toString();
    }

    static void insertLedger(Connection c, List<SinkWriter.LedgerRow> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        int n = rows.size();
        String[] consumer = new String[n];
        String[] source = new String[n];
        String[] eventId = new String[n];
        String[] outcome = new String[n];
        Integer[] rowCount = new Integer[n];
        String[] topic = new String[n];
        Integer[] partition = new Integer[n];
        Long[] offset = new Long[n];
        for (int i = 0; i < n; i++) {
            SinkWriter.LedgerRow row = rows.get(i);
            consumer[i] = row.consumer();
            source[i] = row.source();
            eventId[i] = row.eventId();
            outcome[i] = row.outcome();
            rowCount[i] = row.rowCount();
            topic[i] = row.topic();
            partition[i] = row.partition();
            offset[i] = row.offset();
        }
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO hooksync_ledger (consumer, source, event_id,"
                + " outcome, row_count, topic, kafka_partition, kafka_offset) SELECT * FROM unnest(?::text[], ?::text[],"
                + " ?::text[], ?::text[], ?::int4[], ?::text[], ?::int4[], ?::int8[])")) {
            insert.setArray(1, c.createArrayOf("text", consumer));
            insert.setArray(2, c.createArrayOf("text", source));
            insert.setArray(3, c.createArrayOf("text", eventId));
            insert.setArray(4, c.createArrayOf("text", outcome));
            insert.setArray(5, c.createArrayOf("int4", rowCount));
            insert.setArray(6, c.createArrayOf("text", topic));
            insert.setArray(7, c.createArrayOf("int4", partition));
            insert.setArray(8, c.createArrayOf("int8", offset));
            insert.executeUpdate();
        }
    }

    /** Outbox rows keep their order (the relay reads them by id). */
    static void insertOutbox(Connection c, List<SinkWriter.OutboxRow> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        int n = rows.size();
        String[][] columns = new String[5][n];
        for (int i = 0; i < n; i++) {
            SinkWriter.OutboxRow row = rows.get(i);
            columns[0][i] = row.eventType();
            columns[1][i] = row.entityKey();
            columns[2][i] = row.payload();
            columns[3][i] = row.source();
            columns[4][i] = row.sourceEventId();
        }
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO hooksync_outbox (event_type, entity_key, payload,"
                + " source, source_event_id) SELECT t, k, p, s, e FROM unnest(?::text[], ?::text[], ?::text[], ?::text[],"
                + " ?::text[]) WITH ORDINALITY AS u(t, k, p, s, e, ord) ORDER BY ord")) {
            for (int i = 0; i < columns.length; i++) {
                insert.setArray(i + 1, c.createArrayOf("text", columns[i]));
            }
            insert.executeUpdate();
        }
    }

    /** Ids among {@code ids} already in the ledger: one statement text whatever the batch size, so one plan. */
    static Set<String> seen(Connection c, String consumer, String source, List<String> ids) throws SQLException {
        Set<String> seen = new java.util.HashSet<>();
        try (PreparedStatement select = c.prepareStatement(
                "SELECT event_id FROM hooksync_ledger WHERE consumer = ? AND source = ? AND event_id = ANY(?::text[])")) {
            select.setString(1, consumer);
            select.setString(2, source);
            Array array = c.createArrayOf("text", ids.toArray(new String[0]));
            select.setArray(3, array);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    seen.add(rs.getString(1));
                }
            }
        }
        return seen;
    }
}
