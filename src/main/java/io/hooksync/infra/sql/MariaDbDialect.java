package io.hooksync.infra.sql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * MariaDB and MySQL: backtick quoting, {@code INSERT IGNORE}, {@code DELETE ... LIMIT}, JDBC batches of
 * single-row statements, {@code IN} lists of at most 500 values, and the upsert as
 * {@code ON DUPLICATE KEY UPDATE col = IF(guard, VALUES(col), col)} (the connection needs
 * {@code useAffectedRows=true} so that an upsert that changed nothing reports 0).
 */
final class MariaDbDialect implements SqlDialect {

    private static final int IN_LIST = 500;
    private static final Set<String> STRINGS = Set.of("char", "varchar", "tinytext", "text", "mediumtext", "longtext");
    private static final Set<String> NUMBERS = Set.of("tinyint", "smallint", "mediumint", "int", "integer", "bigint",
            "decimal", "numeric", "float", "double", "real", "bool", "boolean");
    private static final Set<String> TIMES = Set.of("datetime", "timestamp", "date");

    @Override
    public String name() {
        return "mariadb";
    }

    @Override
    public String differs(String a, String b) {
        return "NOT (BINARY " + a + " <=> BINARY " + b + ")";   // byte by byte: 'foo' and 'Foo' differ (see below)
    }

    @Override
    public String quote(String identifier) {
        return "`" + identifier + "`";
    }

    @Override
    public String columnType(SqlType type, boolean key) {
        return switch (type) {
            case TEXT -> key ? "varchar(255)" : "longtext";
            case INTEGER -> "integer";
            case BIGINT -> "bigint";
            case NUMERIC -> "decimal(38,10)";
            case DOUBLE -> "double";
            case BOOLEAN -> "boolean";
            case TIMESTAMPTZ -> "datetime(6)";
            case DATE -> "date";
            case JSON -> "longtext";
        };
    }

    @Override
    public Map<String, String> columnTypes(Connection c, String table) throws SQLException {
        Map<String, String> types = new HashMap<>();
        try (PreparedStatement query = c.prepareStatement("SELECT COLUMN_NAME, COLUMN_TYPE FROM information_schema.COLUMNS"
                + " WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?")) {
            query.setString(1, table);
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    types.put(rs.getString(1).toLowerCase(Locale.ROOT), rs.getString(2).toLowerCase(Locale.ROOT));
                }
            }
        }
        return types;
    }

    /**
     * MariaDB converts any bound value at run time and refuses (strict mode) the values a column cannot hold, so the
     * question is which column types hold the values of a mapping type: text in a string column (or an enum), numbers
     * and booleans in a numeric or string column, times and dates in a date/time or string column, JSON in a string or
     * {@code json} column. {@code SchemaManagerIT} writes a typical value of every type into every kind of column and
     * holds this rule to what MariaDB did.
     */
    @Override
    public String refusal(Connection c, String table, String column, String existing, SqlType type) {
        String base = existing.toLowerCase(Locale.ROOT).replaceFirst("[ (].*", "");
        boolean string = STRINGS.contains(base);
        boolean holds = switch (type) {
            case TEXT -> string || base.equals("enum") || base.equals("set");
            case JSON -> string || base.equals("json");
            case INTEGER, BIGINT, NUMERIC, DOUBLE, BOOLEAN -> string || NUMBERS.contains(base);
            case TIMESTAMPTZ, DATE -> string || TIMES.contains(base);
        };
        return holds ? null : "the database does not convert to it";
    }

    @Override
    public void bind(PreparedStatement statement, int index, Object value, SqlType type) throws SQLException {
        if (value == null) {
            statement.setNull(index, JdbcTypes.of(type));
        } else if (value instanceof OffsetDateTime time) {
            statement.setObject(index, time.withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime());
        } else {
            statement.setObject(index, value);
        }
    }

    @Override
    public String insertIgnoring(String table, String columns, int count) {
        return "INSERT IGNORE INTO " + table + " (" + columns + ") VALUES (" + "?, ".repeat(count - 1) + "?)";
    }

    @Override
    public String deleteAtMost(String table, String condition) {
        return "DELETE FROM " + table + " WHERE " + condition + " LIMIT ?";
    }

    @Override
    public void insertRows(Connection c, String table, List<Column> columns, List<Object[]> rows) throws SQLException {
        batch(c, insertText(table, columns), columns, rows);
    }

    private static String insertText(String table, List<Column> columns) {
        return "INSERT INTO " + table + " (" + names(columns) + ") VALUES (" + "?, ".repeat(columns.size() - 1) + "?)";
    }

    @Override
    public void insertRowsQueued(Connection c, String table, List<Column> columns, List<Object[]> rows, String queue,
                                 String queueColumn) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        List<Object[]> ids = new ArrayList<>(rows.size());
        try (PreparedStatement insert = c.prepareStatement(insertText(table, columns), Statement.RETURN_GENERATED_KEYS)) {
            addBatch(insert, columns, rows);
            insert.executeBatch();
            try (ResultSet keys = insert.getGeneratedKeys()) {
                while (keys.next()) {
                    ids.add(new Object[]{keys.getLong(1)});
                }
            }
        }
        if (ids.size() != rows.size()) {   // a row without its queue entry would never be relayed: roll back instead
            throw new SQLException(table + ": " + rows.size() + " rows inserted but the driver returned " + ids.size()
                    + " generated keys, so they cannot be queued; the batch is rolled back. MariaDB Connector/J 3 returns"
                    + " one key per row of a batch: check the JDBC driver and its URL options");
        }
        insertRows(c, queue, List.of(Column.bigint(queueColumn)), ids);
    }

    @Override
    public int insertRowsIgnoring(Connection c, String table, List<Column> columns, List<Object[]> rows)
            throws SQLException {
        batch(c, insertIgnoring(table, names(columns), columns.size()), columns, rows);
        return -1;
    }

    /** One execution per row in a JDBC batch; rows apply in order. */
    @Override
    public void updateRows(Connection c, String table, List<Column> columns, String fixed, Column key, Column guard,
                           List<Object[]> rows) throws SQLException {
        List<Column> all = new ArrayList<>(columns);
        all.add(key);
        if (guard != null) {
            all.add(guard);
        }
        String assignments = columns.stream().map(column -> column.name() + " = ?").collect(Collectors.joining(", "))
                + (fixed.isBlank() ? "" : ", " + fixed);
        batch(c, "UPDATE " + table + " SET " + assignments + " WHERE " + key.name() + " = ?"
                + (guard == null ? "" : " AND " + guard.name() + " = ?"), all, rows);
    }

    private static String names(List<Column> columns) {
        return columns.stream().map(Column::name).collect(Collectors.joining(", "));
    }

    private void batch(Connection c, String sql, List<Column> columns, List<Object[]> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        try (PreparedStatement statement = c.prepareStatement(sql)) {
            addBatch(statement, columns, rows);
            statement.executeBatch();
        }
    }

    private void addBatch(PreparedStatement statement, List<Column> columns, List<Object[]> rows) throws SQLException {
        for (Object[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                bind(statement, i + 1, row[i], columns.get(i).type());
            }
            statement.addBatch();
        }
    }

    @Override
    public Set<String> matching(Connection c, String select, List<String> leading, String column, List<String> values)
            throws SQLException {
        Set<String> found = new HashSet<>();
        for (int from = 0; from < values.size(); from += IN_LIST) {
            List<String> chunk = values.subList(from, Math.min(values.size(), from + IN_LIST));
            try (PreparedStatement query = c.prepareStatement(select + column + " IN ("
                    + "?, ".repeat(chunk.size() - 1) + "?)")) {
                int index = 1;
                for (String value : leading) {
                    query.setString(index++, value);
                }
                for (String value : chunk) {
                    query.setString(index++, value);
                }
                try (ResultSet rs = query.executeQuery()) {
                    while (rs.next()) {
                        found.add(rs.getString(1));
                    }
                }
            }
        }
        return found;
    }

    @Override
    public String upsert(UpsertTable table) {
        String names = table.written().stream().map(this::quote).collect(Collectors.joining(", "));
        return "INSERT INTO " + quote(table.table()) + " (" + names + ") VALUES ("
                + "?, ".repeat(table.columns().size() + 2) + "UTC_TIMESTAMP(6)) ON DUPLICATE KEY UPDATE "
                + assignments(table);
    }

    /**
     * MariaDB/MySQL evaluate assignments left to right and each condition sees the columns assigned before it, so the
     * order carries the logic: the event id and sync time first (while every column is still the stored one), then
     * the content columns (a column that differs keeps "the row changes" true for itself), the version last. Each is
     * assigned only when the version guard holds and the row changes; an upsert that would leave the row as it was
     * assigns nothing, reports 0 affected rows (useAffectedRows) and is recorded as stale.
     */
    private String assignments(UpsertTable table) {
        List<String> content = table.content();
        String changes = "NOT (" + content.stream().map(c -> same(table, c)).collect(Collectors.joining(" AND ")) + ")";
        String version = table.version() == null ? null : quote(table.version());
        String guard = version == null ? changes
                : "(" + version + " IS NULL OR " + version + " <= VALUES(" + version + ")) AND " + changes;
        List<String> ordered = new java.util.ArrayList<>(List.of(UpsertTable.EVENT_ID, UpsertTable.SYNCED_AT));
        ordered.addAll(content);
        return ordered.stream().map(c -> {
            String condition = c.equals(table.version())
                    ? version + " IS NULL OR " + version + " <= VALUES(" + version + ")" : guard;
            return quote(c) + " = IF(" + condition + ", VALUES(" + quote(c) + "), " + quote(c) + ")";
        }).collect(Collectors.joining(", "));
    }

    /**
     * The stored and the incoming value of a column are the same. Text compares byte by byte: MariaDB's default
     * collations ignore letter case (and trailing spaces), which would keep "foo" when an event says "Foo".
     */
    private String same(UpsertTable table, String column) {
        int i = table.columns().indexOf(column);
        boolean text = i >= 0 && (table.types().get(i) == SqlType.TEXT || table.types().get(i) == SqlType.JSON);
        return text ? "BINARY " + quote(column) + " <=> BINARY VALUES(" + quote(column) + ")"
                : quote(column) + " <=> VALUES(" + quote(column) + ")";
    }

    @Override
    public int[] upsert(Connection c, String sql, UpsertTable table, List<UpsertTable.Row> rows) throws SQLException {
        try (PreparedStatement upsert = c.prepareStatement(sql)) {
            for (UpsertTable.Row row : rows) {
                Object[] values = row.values();
                for (int i = 0; i < values.length; i++) {
                    bind(upsert, i + 1, values[i], table.types().get(i));
                }
                upsert.setBoolean(values.length + 1, row.deleted());
                upsert.setString(values.length + 2, row.eventId());
                upsert.addBatch();
            }
            int[] counts = upsert.executeBatch();
            for (int i = 0; i < counts.length; i++) {
                counts[i] = counts[i] == Statement.SUCCESS_NO_INFO ? 1 : counts[i];
            }
            return counts;
        }
    }
}
