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
     * INSERT ... on conflict update, applied only when the stored version is null or not newer and the row would
     * change (an upsert that leaves the row as it was is stale: it emits nothing).
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
            String guard = " WHERE " + postgresGuard(mapping, table);
            return PostgresRows.upsert(this, mapping, table, names, " ON CONFLICT (" + mapping.key().stream()
                    .map(this::quote).collect(Collectors.joining(", ")) + ") DO UPDATE SET " + set + guard);
        }
        String insert = "INSERT INTO " + table + " (" + names + ") VALUES (" + "?, ".repeat(columns.size() + 2)
                + "UTC_TIMESTAMP(6))";
        String set = mariaDbAssignments(mapping, updated);
        return insert + " ON DUPLICATE KEY UPDATE " + set;
    }

    /**
     * PostgreSQL's update condition: the stored version is null or not newer, and the row would change (a newer
     * version, or another value of a column or the deleted flag). A row that would stay exactly as it is is not
     * updated, so it is not returned, is recorded as stale and emits nothing: a redelivery under a new delivery id
     * never re-emits the same row state.
     */
    private String postgresGuard(Mapping mapping, String table) {
        List<String> content = new java.util.ArrayList<>(mapping.columns().keySet().stream()
                .filter(c -> !mapping.key().contains(c) && !c.equals(mapping.version())).toList());
        content.add(DELETED);
        if (mapping.version() != null) {
            content.add(mapping.version());
        }
        String stored = content.stream().map(c -> table + "." + quote(c)).collect(Collectors.joining(", "));
        String incoming = content.stream().map(c -> "EXCLUDED." + quote(c)).collect(Collectors.joining(", "));
        String changes = "ROW(" + stored + ") IS DISTINCT FROM ROW(" + incoming + ")";
        if (mapping.version() == null) {
            return changes;
        }
        String version = quote(mapping.version());
        return "(" + table + "." + version + " IS NULL OR " + table + "." + version + " <= EXCLUDED." + version + ") AND "
                + changes;
    }

    /**
     * MariaDB/MySQL evaluate assignments left to right and each condition sees the columns assigned before it, so the
     * order carries the logic: the event id and sync time first (while every column is still the stored one), then
     * the content columns (a column that differs keeps "the row changes" true for itself), the version last. Each is
     * assigned only when the version guard holds and the row changes; an upsert that would leave the row as it was
     * assigns nothing, reports 0 affected rows (useAffectedRows) and is recorded as stale.
     */
    private String mariaDbAssignments(Mapping mapping, List<String> updated) {
        List<String> content = updated.stream().filter(c -> !c.equals(EVENT_ID) && !c.equals(SYNCED_AT)).toList();
        String changes = "NOT (" + content.stream().map(c -> quote(c) + " <=> VALUES(" + quote(c) + ")")
                .collect(Collectors.joining(" AND ")) + ")";
        String version = mapping.version() == null ? null : quote(mapping.version());
        String guard = version == null ? changes
                : "(" + version + " IS NULL OR " + version + " <= VALUES(" + version + ")) AND " + changes;
        List<String> ordered = new java.util.ArrayList<>(List.of(EVENT_ID, SYNCED_AT));
        ordered.addAll(content);
        return ordered.stream().map(c -> {
            String condition = c.equals(mapping.version())
                    ? version + " IS NULL OR " + version + " <= VALUES(" + version + ")" : guard;
            return quote(c) + " = IF(" + condition + ", VALUES(" + quote(c) + "), " + quote(c) + ")";
        }).collect(Collectors.joining(", "));
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
