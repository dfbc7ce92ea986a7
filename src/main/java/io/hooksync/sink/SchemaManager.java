package io.hooksync.sink;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import javax.sql.DataSource;

import io.hooksync.infra.sql.SqlDialect;
import io.hooksync.infra.sql.SqlType;
import io.hooksync.infra.sql.UpsertTable;
import io.hooksync.mapping.Mapping;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates each mapping's target table and adds missing columns at startup: additive only, never a
 * drop or a type change. Every statement it runs is logged, so the DDL is visible.
 */
final class SchemaManager {

    private static final Logger log = LoggerFactory.getLogger(SchemaManager.class);

    private final DataSource dataSource;
    private final SqlDialect dialect;

    SchemaManager(DataSource dataSource, SqlDialect dialect) {
        this.dataSource = dataSource;
        this.dialect = dialect;
    }

    /** The DDL statements that were run (empty when everything already existed). */
    List<String> ensure(Iterable<Mapping> mappings) throws SQLException {
        List<String> executed = new ArrayList<>();
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
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
