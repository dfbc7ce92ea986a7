package io.hooksync.infra.sql;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.postgresql.PGStatement;

/**
 * PostgreSQL writes a batch with one statement per table instead of one execution per row: the
 * values are bound as arrays (one per column) and {@code unnest} turns them back into rows. Each
 * execution costs the server a round of parse/bind/execute and the driver a message; a batch of
 * 500 events paid that 1,500 times. Upserted values travel as text and are cast in SQL to the column's
 * type, so every value is still a bound parameter.
 *
 * <p>{@code ON CONFLICT DO UPDATE} cannot touch one row twice in a statement, so rows of a batch
 * that share a key are split into generations (the n-th row of a key goes into statement n) and
 * the generations run in order: the same result as applying the rows one by one in Kafka order,
 * since rows of different keys do not interact. The upsert returns the positions of the rows it
 * inserted or updated; a row whose version guard refused it is not returned (stale).
 */
final class PostgresArrays {

    private PostgresArrays() {
    }

    /** Runs an upsert built by {@link PostgresDialect#upsert(UpsertTable)}: per row 1 when written, 0 when stale. */
    static int[] upsert(Connection c, String sql, List<UpsertTable.Row> rows, int[] keyIndexes) throws SQLException {
        int[] counts = new int[rows.size()];
        List<Object[]> values = rows.stream().map(UpsertTable.Row::values).toList();
        for (List<Integer> generation : generations(values, keyIndexes)) {
            int width = values.get(generation.get(0)).length;
            String[][] arrays = new String[width + 2][generation.size()];
            for (int r = 0; r < generation.size(); r++) {
                UpsertTable.Row row = rows.get(generation.get(r));
                for (int i = 0; i < width; i++) {
                    arrays[i][r] = text(row.values()[i]);
                }
                arrays[width][r] = Boolean.toString(row.deleted());
                arrays[width + 1][r] = row.eventId();
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

    /**
     * Has PostgreSQL plan this statement at each execution, for the table as it is then. After five executions the
     * driver switches to a named server-side statement whose generic plan the server keeps until the table's
     * statistics change. A plan made while the table was nearly empty (a new install, or the first seconds after a
     * start on a fresh database) is a sequential scan, and it stayed one while the table grew, until autovacuum's
     * first ANALYZE a minute or more later: the ledger lookup of every batch scanned the whole ledger (25 ms per
     * batch after 30,000 events, 40% of a core in the first minute under load; docs/benchmarks.md). Planning anew
     * costs a fraction of a millisecond per batch.
     */
    static void planEachExecution(PreparedStatement statement) throws SQLException {
        statement.unwrap(PGStatement.class).setPrepareThreshold(0);
    }

    /** Row indexes grouped so that no group holds two rows with the same key; groups in order. */
    static List<List<Integer>> generations(List<Object[]> values, int[] keyIndexes) {
        Map<List<Object>, Integer> occurrences = new HashMap<>();
        List<List<Integer>> generations = new ArrayList<>();
        for (int row = 0; row < values.size(); row++) {
            int generation = occurrences.merge(LatestPerKey.key(values.get(row), keyIndexes), 1, Integer::sum) - 1;
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

    /**
     * One {@code INSERT ... SELECT FROM unnest(...)} for all rows, in their order (text, integer and bigint columns),
     * {@code suffix} after it (such as {@code ON CONFLICT DO NOTHING}); returns how many rows it inserted.
     */
    static int insert(Connection c, String table, List<SqlDialect.Column> columns, List<Object[]> rows, String suffix)
            throws SQLException {
        if (rows.isEmpty()) {
            return 0;
        }
        try (PreparedStatement insert = c.prepareStatement(insertText(table, columns) + suffix)) {
            bindColumns(c, insert, columns, rows);
            return insert.executeUpdate();
        }
    }

    /**
     * {@link #insert}, and each inserted row's generated {@code id} into {@code queue}, in one statement (a
     * data-modifying {@code WITH}).
     */
    static void insertQueued(Connection c, String table, List<SqlDialect.Column> columns, List<Object[]> rows,
                             String queue, String queueColumn) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        try (PreparedStatement insert = c.prepareStatement("WITH inserted AS (" + insertText(table, columns)
                + " RETURNING id) INSERT INTO " + queue + " (" + queueColumn + ") SELECT id FROM inserted")) {
            bindColumns(c, insert, columns, rows);
            insert.executeUpdate();
        }
    }

    /** {@code INSERT INTO table (columns) SELECT ... FROM unnest(one array per column)}, in the arrays' order. */
    private static String insertText(String table, List<SqlDialect.Column> columns) {
        List<String> aliases = aliases(columns.size());
        return "INSERT INTO " + table + " (" + columns.stream().map(SqlDialect.Column::name)
                .collect(Collectors.joining(", ")) + ") SELECT " + String.join(", ", aliases) + " FROM unnest("
                + arrayParameters(columns) + ") WITH ORDINALITY AS u(" + String.join(", ", aliases) + ", ord) ORDER BY ord";
    }

    /**
     * One {@code UPDATE ... FROM unnest(...)} for all rows: the key is the last value of each row. PostgreSQL updates
     * a row at most once per statement, with any one of the rows naming it, so only the last row per key is sent.
     */
    static void update(Connection c, String table, List<SqlDialect.Column> columns, String fixed, SqlDialect.Column key,
                       SqlDialect.Column guard, List<Object[]> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        Map<Object, Object[]> lastPerKey = new LinkedHashMap<>();
        for (Object[] row : rows) {
            lastPerKey.put(row[columns.size()], row);
        }
        List<SqlDialect.Column> all = new ArrayList<>(columns);
        all.add(key);
        if (guard != null) {
            all.add(guard);
        }
        List<String> aliases = aliases(all.size());
        List<String> assignments = new ArrayList<>();
        for (int i = 0; i < columns.size(); i++) {
            assignments.add(columns.get(i).name() + " = u." + aliases.get(i));
        }
        if (!fixed.isBlank()) {
            assignments.add(fixed);
        }
        String sql = "UPDATE " + table + " t SET " + String.join(", ", assignments) + " FROM unnest(" + arrayParameters(all)
                + ") AS u(" + String.join(", ", aliases) + ") WHERE t." + key.name() + " = u." + aliases.get(columns.size())
                + (guard == null ? "" : " AND t." + guard.name() + " = u." + aliases.get(columns.size() + 1));
        try (PreparedStatement update = c.prepareStatement(sql)) {
            bindColumns(c, update, all, List.copyOf(lastPerKey.values()));
            update.executeUpdate();
        }
    }

    private static List<String> aliases(int count) {
        List<String> aliases = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            aliases.add("c" + i);
        }
        return aliases;
    }

    private static String arrayParameters(List<SqlDialect.Column> columns) {
        return columns.stream().map(column -> "?::" + elementType(column.type()) + "[]").collect(Collectors.joining(", "));
    }

    /** Binds column i of every row as the statement's i-th parameter, an array. */
    private static void bindColumns(Connection c, PreparedStatement statement, List<SqlDialect.Column> columns,
                                    List<Object[]> rows) throws SQLException {
        for (int i = 0; i < columns.size(); i++) {
            Object[] column = newArray(columns.get(i).type(), rows.size());
            for (int r = 0; r < rows.size(); r++) {
                column[r] = rows.get(r)[i];
            }
            statement.setArray(i + 1, c.createArrayOf(elementType(columns.get(i).type()), column));
        }
    }

    private static String elementType(SqlType type) {
        return switch (type) {
            case TEXT -> "text";
            case INTEGER -> "int4";
            case BIGINT -> "int8";
            default -> throw new IllegalArgumentException("no array insert for " + type + " columns");
        };
    }

    private static Object[] newArray(SqlType type, int size) {
        return switch (type) {
            case INTEGER -> new Integer[size];
            case BIGINT -> new Long[size];
            default -> new String[size];
        };
    }

    static Set<String> matching(Connection c, String sql, List<String> leading, List<String> values) throws SQLException {
        Set<String> found = new HashSet<>();
        try (PreparedStatement select = c.prepareStatement(sql)) {
            planEachExecution(select);
            int index = 1;
            for (String value : leading) {
                select.setString(index++, value);
            }
            select.setArray(index, c.createArrayOf("text", values.toArray(new String[0])));
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    found.add(rs.getString(1));
                }
            }
        }
        return found;
    }
}
