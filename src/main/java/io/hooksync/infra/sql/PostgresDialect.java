package io.hooksync.infra.sql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * PostgreSQL: double-quoted identifiers, {@code ON CONFLICT DO NOTHING}, bounded deletes by {@code ctid},
 * and batches written as one statement per table with the values bound as arrays ({@link PostgresArrays}).
 */
final class PostgresDialect implements SqlDialect {

    private static final String DATATYPE_MISMATCH = "42804";
    private static final String UNDEFINED_FUNCTION = "42883";

    @Override
    public String name() {
        return "postgresql";
    }

    @Override
    public String differs(String a, String b) {
        return "(" + a + " IS DISTINCT FROM " + b + ")";
    }

    @Override
    public String quote(String identifier) {
        return "\"" + identifier + "\"";
    }

    @Override
    public String columnType(SqlType type, boolean key) {
        return switch (type) {
            case TEXT -> "text";
            case INTEGER -> "integer";
            case BIGINT -> "bigint";
            case NUMERIC -> "numeric";
            case DOUBLE -> "double precision";
            case BOOLEAN -> "boolean";
            case TIMESTAMPTZ -> "timestamptz";
            case DATE -> "date";
            case JSON -> "jsonb";
        };
    }

    @Override
    public Map<String, String> columnTypes(Connection c, String table) throws SQLException {
        Map<String, String> types = new HashMap<>();
        try (PreparedStatement query = c.prepareStatement("SELECT a.attname, format_type(a.atttypid, a.atttypmod)"
                + " FROM pg_attribute a JOIN pg_class t ON t.oid = a.attrelid WHERE t.relname = ?"
                + " AND t.relnamespace = to_regnamespace(current_schema()) AND a.attnum > 0 AND NOT a.attisdropped")) {
            query.setString(1, table);
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    types.put(rs.getString(1).toLowerCase(Locale.ROOT), rs.getString(2));
                }
            }
        }
        return types;
    }

    /**
     * Asks the database: an {@code EXPLAIN} (planned, never run: no row, no trigger) of an update that assigns a value
     * cast as the upsert casts it and compares the column with itself as the upsert's guard does. PostgreSQL refuses
     * it as it refuses the upsert: {@code 42804} ("column is of type integer but expression is of type text") when no
     * implicit or assignment cast leads from the one type to the other, {@code 42883} when the column's type has no
     * equality ({@code json}).
     */
    @Override
    public String refusal(Connection c, String table, String column, String existing, SqlType type)
            throws SQLException {
        Savepoint savepoint = c.getAutoCommit() ? null : c.setSavepoint();
        String quoted = quote(column);
        try (Statement explain = c.createStatement()) {
            explain.execute("EXPLAIN UPDATE " + quote(table) + " SET " + quoted + " = CAST(NULL AS "
                    + columnType(type, false) + ") WHERE ROW(" + quoted + ") IS DISTINCT FROM ROW(" + quoted + ")");
            return null;
        } catch (SQLException e) {
            if (savepoint != null) {
                c.rollback(savepoint);
            }
            if (DATATYPE_MISMATCH.equals(e.getSQLState())) {
                return "the database does not convert to it";
            }
            if (UNDEFINED_FUNCTION.equals(e.getSQLState())) {
                return "the upsert cannot compare with the stored value (" + existing + " has no equality operator)";
            }
            throw e;
        } finally {
            if (savepoint != null) {
                c.releaseSavepoint(savepoint);
            }
        }
    }

    @Override
    public void bind(PreparedStatement statement, int index, Object value, SqlType type) throws SQLException {
        if (value == null) {
            statement.setNull(index, JdbcTypes.of(type));
        } else if (value instanceof OffsetDateTime time) {
            statement.setObject(index, time);
        } else if (type == SqlType.JSON) {
            statement.setObject(index, value, Types.OTHER);
        } else {
            statement.setObject(index, value);
        }
    }

    @Override
    public String insertIgnoring(String table, String columns, int count) {
        return "INSERT INTO " + table + " (" + columns + ") VALUES (" + "?, ".repeat(count - 1) + "?) ON CONFLICT DO NOTHING";
    }

    @Override
    public String deleteAtMost(String table, String condition) {
        return "DELETE FROM " + table + " WHERE ctid IN (SELECT ctid FROM " + table + " WHERE " + condition + " LIMIT ?)";
    }

    @Override
    public void planEachExecution(PreparedStatement statement) throws SQLException {
        PostgresArrays.planEachExecution(statement);
    }

    @Override
    public void readQueuesInIndexOrder(Connection c) throws SQLException {
        try (Statement set = c.createStatement()) {
            set.execute("SET LOCAL enable_bitmapscan = off; SET LOCAL enable_sort = off");   // one round trip
        }
    }

    @Override
    public boolean deletesInWith() {
        return true;
    }

    @Override
    public void insertRows(Connection c, String table, List<Column> columns, List<Object[]> rows) throws SQLException {
        PostgresArrays.insert(c, table, columns, rows, "");
    }

    /** {@code WITH inserted AS (INSERT ... RETURNING id) INSERT INTO queue ... SELECT id FROM inserted}. */
    @Override
    public void insertRowsQueued(Connection c, String table, List<Column> columns, List<Object[]> rows, String queue,
                                 String queueColumn) throws SQLException {
        PostgresArrays.insertQueued(c, table, columns, rows, queue, queueColumn);
    }

    @Override
    public int insertRowsIgnoring(Connection c, String table, List<Column> columns, List<Object[]> rows)
            throws SQLException {
        return PostgresArrays.insert(c, table, columns, rows, " ON CONFLICT DO NOTHING");
    }

    @Override
    public boolean countsIgnoredInserts() {
        return true;
    }

    @Override
    public void updateRows(Connection c, String table, List<Column> columns, String fixed, Column key, Column guard,
                           List<Object[]> rows) throws SQLException {
        PostgresArrays.update(c, table, columns, fixed, key, guard, rows);
    }

    /**
     * One statement text whatever the number of values ({@code = ANY(?::text[])}), planned at each execution
     * ({@link PostgresArrays#planEachExecution}: a generic plan made on a nearly empty table stays a scan).
     */
    @Override
    public Set<String> matching(Connection c, String select, List<String> leading, String column, List<String> values)
            throws SQLException {
        return PostgresArrays.matching(c, select + column + " = ANY(?::text[])", leading, values);
    }

    /**
     * Many rows in one statement ({@link PostgresArrays#upsert}); parameters are one text array per column, then the
     * deleted flags and event ids, and it returns the 1-based positions of the rows it inserted or updated.
     */
    @Override
    public String upsert(UpsertTable table) {
        String quoted = quote(table.table());
        String set = table.updated().stream().map(c -> quote(c) + " = EXCLUDED." + quote(c)).collect(Collectors.joining(", "));
        String onConflict = " ON CONFLICT (" + table.key().stream().map(this::quote).collect(Collectors.joining(", "))
                + ") DO UPDATE SET " + set + " WHERE " + guard(table, quoted);
        List<String> aliases = new ArrayList<>();
        List<String> casts = new ArrayList<>();
        for (int i = 0; i < table.columns().size(); i++) {
            aliases.add("v" + i);
            casts.add("u.v" + i + "::" + columnType(table.types().get(i), table.key().contains(table.columns().get(i))));
        }
        String join = table.key().stream().map(k -> casts.get(table.columns().indexOf(k)) + " = w." + quote(k))
                .collect(Collectors.joining(" AND "));
        return "WITH u AS (SELECT * FROM unnest(" + "?::text[], ".repeat(table.columns().size() + 1) + "?::text[])"
                + " WITH ORDINALITY AS u(" + String.join(", ", aliases) + ", del, eid, ord)),"
                + " w AS (INSERT INTO " + quoted + " (" + table.written().stream().map(this::quote)
                .collect(Collectors.joining(", ")) + ") SELECT " + String.join(", ", casts)
                + ", u.del::boolean, u.eid, now() FROM u WHERE true" + onConflict
                + " RETURNING " + table.key().stream().map(this::quote).collect(Collectors.joining(", ")) + ")"
                + " SELECT u.ord FROM u JOIN w ON " + join;
    }

    /**
     * The update condition: the stored version is null or not newer, and the row would change (a newer version, or
     * another value of a column or the deleted flag). A row that would stay exactly as it is is not updated, so it
     * is not returned, is recorded as stale and emits nothing: a redelivery under a new delivery id never re-emits
     * the same row state.
     */
    private String guard(UpsertTable table, String quoted) {
        List<String> content = table.content();
        String stored = content.stream().map(c -> quoted + "." + quote(c)).collect(Collectors.joining(", "));
        String incoming = content.stream().map(c -> "EXCLUDED." + quote(c)).collect(Collectors.joining(", "));
        String changes = "ROW(" + stored + ") IS DISTINCT FROM ROW(" + incoming + ")";
        if (table.version() == null) {
            return changes;
        }
        String version = quote(table.version());
        return "(" + quoted + "." + version + " IS NULL OR " + quoted + "." + version + " <= EXCLUDED." + version
                + ") AND " + changes;
    }

    @Override
    public int[] upsert(Connection c, String sql, UpsertTable table, List<UpsertTable.Row> rows) throws SQLException {
        return PostgresArrays.upsert(c, sql, rows, table.keyIndexes());
    }
}
