package io.hooksync.sink;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import javax.sql.DataSource;

import io.hooksync.infra.InvalidConfigurationException;
import io.hooksync.infra.sql.SqlDialect;
import io.hooksync.infra.sql.SqlType;
import io.hooksync.infra.sql.UpsertTable;
import io.hooksync.mapping.Mapping;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates each mapping's target table and adds missing columns at startup: additive only, never a
 * drop or a type change. Every statement it runs is logged, so the DDL is visible. Before any statement it
 * checks that the upsert can work on a table that exists ({@link #problems}): each mapped column that is there
 * takes the mapping's type as the database converts it, and a unique index or primary key covers exactly the key.
 * A mapping that fails either is refused with nothing changed, since every event would fail on the table.
 */
final class SchemaManager {

    private static final Logger log = LoggerFactory.getLogger(SchemaManager.class);

    private final DataSource dataSource;
    private final SqlDialect dialect;

    SchemaManager(DataSource dataSource, SqlDialect dialect) {
        this.dataSource = dataSource;
        this.dialect = dialect;
    }

    /**
     * The DDL statements that were run (empty when everything already existed).
     *
     * @throws InvalidConfigurationException with every {@link #problems} of every mapping, before any statement ran
     */
    List<String> ensure(Iterable<Mapping> mappings) throws SQLException {
        List<String> executed = new ArrayList<>();
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            List<String> problems = new ArrayList<>();
            for (Mapping mapping : mappings) {
                problems.addAll(problems(connection, mapping));
            }
            if (!problems.isEmpty()) {
                throw new InvalidConfigurationException(problems);
            }
            for (Mapping mapping : mappings) {
                for (String ddl : ddlFor(connection, mapping)) {
                    log.info("Schema for mapping {}: {}", mapping.name(), ddl);
                    statement.execute(ddl);
                    executed.add(ddl);
                }
            }
        }
        return executed;
    }

    /**
     * Why the upsert could not work on {@code mapping}'s table as it exists, each naming the mapping file (empty when
     * it can, or the table does not exist yet): a mapped column whose type does not take the mapping's type, a key
     * that no unique index or primary key covers exactly. Reads the catalog only.
     */
    List<String> problems(Mapping mapping) {
        try (Connection connection = dataSource.getConnection()) {
            return problems(connection, mapping);
        } catch (SQLException e) {
            throw new DatabaseUnavailableException("cannot check table " + mapping.table() + " for mapping "
                    + mapping.name() + ": " + e.getMessage(), e);
        }
    }

    private List<String> problems(Connection connection, Mapping mapping) throws SQLException {
        Map<String, String> existing = dialect.columnTypes(connection, mapping.table());
        if (existing.isEmpty()) {
            return List.of();
        }
        List<String> problems = new ArrayList<>();
        for (Mapping.Column column : mapping.columns().values()) {
            String type = existing.get(column.name());
            String refusal = type == null ? null
                    : dialect.refusal(connection, mapping.table(), column.name(), type, SinkTables.type(column.type()));
            if (refusal != null) {
                problems.add(mapping.file() + ": column " + column.name() + " of table " + mapping.table() + " is "
                        + type + " but the mapping writes " + column.type().name().toLowerCase(Locale.ROOT)
                        + ", which " + refusal + "; Hooksync never changes a column's type:"
                        + " ALTER the column yourself, or map to a new column name");
            }
        }
        if (!uniquelyKeyed(connection, mapping)) {
            String key = String.join(", ", mapping.key());
            problems.add(mapping.file() + ": table " + mapping.table() + " exists and has no unique index or primary"
                    + " key on exactly its key [" + key + "]; Hooksync's upsert needs one (CREATE UNIQUE INDEX ... ON "
                    + mapping.table() + " (" + key + ")) — nothing was changed");
        }
        return problems;
    }

    /**
     * Whether a unique index (a primary key is one) of the table has exactly the key's columns, in any order, and no
     * condition: the one PostgreSQL's {@code ON CONFLICT (key)} infers and MariaDB's {@code ON DUPLICATE KEY} meets.
     */
    private static boolean uniquelyKeyed(Connection connection, Mapping mapping) throws SQLException {
        Map<String, Set<String>> indexes = new HashMap<>();
        Set<String> partial = new HashSet<>();
        try (ResultSet rs = connection.getMetaData().getIndexInfo(connection.getCatalog(), connection.getSchema(),
                mapping.table(), true, true)) {
            while (rs.next()) {
                String index = rs.getString("INDEX_NAME");
                String column = rs.getString("COLUMN_NAME");
                if (index == null || rs.getBoolean("NON_UNIQUE")) {
                    continue;
                }
                indexes.computeIfAbsent(index, i -> new HashSet<>())
                        .add(column == null ? "" : column.toLowerCase(Locale.ROOT));
                String filter = rs.getString("FILTER_CONDITION");
                if (filter != null && !filter.isBlank()) {
                    partial.add(index);
                }
            }
        }
        Set<String> key = Set.copyOf(mapping.key());
        return indexes.entrySet().stream().anyMatch(e -> !partial.contains(e.getKey()) && e.getValue().equals(key));
    }

    private List<String> ddlFor(Connection connection, Mapping mapping) throws SQLException {
        Map<String, String> wanted = new LinkedHashMap<>();
        mapping.columns().values().forEach(c ->
                wanted.put(c.name(), dialect.columnType(SinkTables.type(c.type()), mapping.key().contains(c.name()))));
        wanted.put(UpsertTable.DELETED, "boolean NOT NULL DEFAULT false");
        wanted.put(UpsertTable.EVENT_ID, dialect.columnType(SqlType.TEXT, false));
        wanted.put(UpsertTable.SYNCED_AT, dialect.columnType(SqlType.TIMESTAMPTZ, false));
        Set<String> existing = existingColumns(connection, mapping.table());
        String table = dialect.quote(mapping.table());
        if (existing.isEmpty()) {
            List<String> defs = new ArrayList<>();
            wanted.forEach((name, type) -> defs.add(dialect.quote(name) + " " + type
                    + (mapping.key().contains(name) ? " NOT NULL" : "")));
            defs.add("PRIMARY KEY (" + String.join(", ", mapping.key().stream().map(dialect::quote).toList()) + ")");
            return List.of("CREATE TABLE " + table + " (" + String.join(", ", defs) + ")");
        }
        List<String> ddl = new ArrayList<>();
        wanted.forEach((name, type) -> {
            if (!existing.contains(name)) {
                ddl.add("ALTER TABLE " + table + " ADD COLUMN " + dialect.quote(name) + " " + type);
            }
        });
        return ddl;
    }

    private static Set<String> existingColumns(Connection connection, String table) throws SQLException {
        DatabaseMetaData meta = connection.getMetaData();
        Set<String> columns = new HashSet<>();
        String catalog = connection.getCatalog();
        String schema = connection.getSchema();
        try (ResultSet rs = meta.getColumns(catalog, schema, table, null)) {
            while (rs.next()) {
                columns.add(rs.getString("COLUMN_NAME").toLowerCase(Locale.ROOT));
            }
        }
        return columns;
    }
}
