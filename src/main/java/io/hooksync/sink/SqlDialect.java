package io.hooksync.sink;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Collectors;

import io.hooksync.mapping.ColumnType;
import io.hooksync.mapping.Mapping;

/**
 * What differs between PostgreSQL and MariaDB/MySQL: identifier quoting, column types, the
 * version-guarded upsert and how values are bound. Identifiers come from validated mapping files;
 * values are always bound parameters.
 */
enum SqlDialect {
    POSTGRESQL, MARIADB;

    static final String DELETED = "_hooksync_deleted";
    static final String EVENT_ID = "_hooksync_event_id";
    static final String SYNCED_AT = "_hooksync_synced_at";

    static SqlDialect of(String productName) {
        String name = productName.toLowerCase();
        if (name.contains("postgres")) {
            return POSTGRESQL;
        }
        if (name.contains("mariadb") || name.contains("mysql")) {
            return MARIADB;
        }
        throw new IllegalStateException("unsupported database '" + productName + "': use PostgreSQL, MariaDB or MySQL");
    }

    String quote(String identifier) {
        return this == POSTGRESQL ? "\"" + identifier + "\"" : "`" + identifier + "`";
    }

    String sqlType(ColumnType type, boolean key) {
        return switch (type) {
            case TEXT -> this == POSTGRESQL ? "text" : key ? "varchar(255)" : "longtext";
            case INTEGER -> "integer";
            case BIGINT -> "bigint";
            case NUMERIC -> this == POSTGRESQL ? "numeric" : "decimal(38,10)";
            case DOUBLE -> this == POSTGRESQL ? "double precision" : "double";
            case BOOLEAN -> "boolean";
            case TIMESTAMPTZ -> this == POSTGRESQL ? "timestamptz" : "datetime(6)";
            case DATE -> "date";
            case JSON -> this == POSTGRESQL ? "jsonb" : "longtext";
        };
    }

    String syncedAtType() {
        return this == POSTGRESQL ? "timestamptz" : "datetime(6)";
    }

    /**
     * INSERT ... on conflict update, applied only when the stored version is null or not newer.
     * MariaDB/MySQL: one row; parameters are the mapping's columns in order, then deleted flag and
     * event id. PostgreSQL: many rows in one statement (see {@link PostgresRows}); parameters are one
     * text array per column, then the deleted flags and event ids, and it returns the 1-based
     * positions of the rows it inserted or updated.
     */
    String upsert(Mapping mapping) {
        List<String> columns = mapping.columns().keySet().stream().toList();
        String table = quote(mapping.table());
        String names = columns.stream().map(this::quote).collect(Collectors.joining(", "))
                + ", " + quote(DELETED) + ", " + quote(EVENT_ID) + ", " + quote(SYNCED_AT);
        List<String> updated = new java.util.ArrayList<>(columns.stream().filter(c -> !mapping.key().contains(c))
                .filter(c -> !c.equals(mapping.version())).toList());
        updated.add(DELETED);
        updated.add(EVENT_ID);
        updated.add(SYNCED_AT);
        if (mapping.version() != null) {
            updated.add(mapping.version());  // last: MariaDB evaluates assignments left to right
        }
        if (this == POSTGRESQL) {
            String set = updated.stream().map(c -> quote(c) + " = EXCLUDED." + quote(c)).collect(Collectors.joining(", "));
            String guard = mapping.version() == null ? "" : " WHERE " + table + "." + quote(mapping.version())
                    + " IS NULL OR " + table + "." + quote(mapping.version()) + " <= EXCLUDED." + quote(mapping.version());
            return PostgresRows.upsert(this, mapping, table, names, " ON CONFLICT (" + mapping.key().stream()
                    .map(this::quote).collect(Collectors.joining(", ")) + ") DO UPDATE SET " + set + guard);
        }
        String insert = "INSERT INTO " + table + " (" + names + ") VALUES (" + "?, ".repeat(columns.size() + 2)
                + "UTC_TIMESTAMP(6))";
        String condition = mapping.version() == null ? null
                : quote(mapping.version()) + " IS NULL OR " + quote(mapping.version()) + " <= VALUES(" + quote(mapping.version()) + ")";
        String set = updated.stream().map(c -> quote(c) + " = " + (condition == null ? "VALUES(" + quote(c) + ")"
                : "IF(" + condition + ", VALUES(" + quote(c) + "), " + quote(c) + ")")).collect(Collectors.joining(", "));
        return insert + " ON DUPLICATE KEY UPDATE " + set;
    }

    String insertLedger() {
        return "INSERT INTO hooksync_ledger (consumer, source, event_id, outcome, row_count, topic, kafka_partition,"
                + " kafka_offset) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
    }

    void bind(PreparedStatement statement, int index, Object value, ColumnType type) throws SQLException {
        if (value == null) {
            statement.setNull(index, sqlTypeCode(type));
        } else if (value instanceof OffsetDateTime time) {
            if (this == POSTGRESQL) {
                statement.setObject(index, time);
            } else {
                statement.setObject(index, time.withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime());
            }
        } else if (type == ColumnType.JSON && this == POSTGRESQL) {
            statement.setObject(index, value, Types.OTHER);
        } else {
            statement.setObject(index, value);
        }
    }

    private static int sqlTypeCode(ColumnType type) {
        return switch (type) {
            case TEXT, JSON -> Types.VARCHAR;
            case INTEGER -> Types.INTEGER;
            case BIGINT -> Types.BIGINT;
            case NUMERIC -> Types.NUMERIC;
            case DOUBLE -> Types.DOUBLE;
            case BOOLEAN -> Types.BOOLEAN;
            case TIMESTAMPTZ -> Types.TIMESTAMP_WITH_TIMEZONE;
            case DATE -> Types.DATE;
        };
    }
}
