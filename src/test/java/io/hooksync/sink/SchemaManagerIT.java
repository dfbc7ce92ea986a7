package io.hooksync.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import io.hooksync.infra.InvalidConfigurationException;
import io.hooksync.infra.sql.SqlDialect;
import io.hooksync.infra.sql.UpsertTable;
import io.hooksync.mapping.ColumnType;
import io.hooksync.mapping.Mapping;
import io.hooksync.mapping.Mappings;
import io.hooksync.support.ExternalDatabases;
import io.hooksync.support.UsesMariaDb;
import io.hooksync.support.UsesPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * SchemaManager on a table that exists: a mapped column whose type does not take the mapping's, or a key without a
 * unique index, is refused before anything is changed (at startup and on a live reload), on PostgreSQL and MariaDB;
 * and what it refuses is exactly what the database refuses when the upsert writes a typical value of each type into
 * each kind of column.
 */
@UsesPostgres
@UsesMariaDb
class SchemaManagerIT {

    private static final String FIX = "Hooksync never changes a column's type: ALTER the column yourself, or map to a"
            + " new column name";

    @TempDir
    Path dir;

    private record Db(SqlDialect dialect, DataSource source, String text, String key) {
        JdbcTemplate jdbc() {
            return new JdbcTemplate(source);
        }

        List<String> columns(String table) throws SQLException {
            try (Connection c = source.getConnection()) {
                return dialect.columnTypes(c, table).keySet().stream().sorted().toList();
            }
        }
    }

    private static Db postgres(String name) {
        return new Db(SqlDialect.of("PostgreSQL"),
                new DriverManagerDataSource(ExternalDatabases.freshPostgres(name), "postgres", ""), "text", "text");
    }

    private static Db mariaDb(String name) {
        return new Db(SqlDialect.of("MariaDB"),
                new DriverManagerDataSource(ExternalDatabases.freshMariaDb(name), "root", ""), "longtext", "varchar(64)");
    }

    private static Mapping mapping(String table, List<String> key, Map<String, ColumnType> columns) {
        Map<String, Mapping.Column> cols = new LinkedHashMap<>();
        columns.forEach((name, type) -> cols.put(name, new Mapping.Column(name, name, type)));
        return new Mapping(table, "mappings/" + table + ".yaml", table, key, cols, null, null, null, null, null);
    }

    @Test
    void postgresRefusesATypeChangeBeforeChangingAnything() throws Exception {
        refusesATypeChange(postgres("hooksync_schema_type"), "integer");
    }

    @Test
    void mariaDbRefusesATypeChangeBeforeChangingAnything() throws Exception {
        refusesATypeChange(mariaDb("hooksync_schema_type"), "int(11)");
    }

    private void refusesATypeChange(Db db, String spelled) throws Exception {
        db.jdbc().execute("CREATE TABLE orders (id bigint PRIMARY KEY, items integer)");
        Map<String, ColumnType> columns = new LinkedHashMap<>();
        columns.put("id", ColumnType.BIGINT);
        columns.put("items", ColumnType.TEXT);
        columns.put("note", ColumnType.TEXT);
        InvalidConfigurationException refused = catchThrowableOfType(InvalidConfigurationException.class, () ->
                new SchemaManager(db.source(), db.dialect()).ensure(List.of(mapping("orders", List.of("id"), columns))));
        assertThat(refused).as(db.dialect().name()).isNotNull();
        assertThat(refused.problems()).containsExactly("mappings/orders.yaml: column items of table orders is "
                + spelled + " but the mapping writes text, which the database does not convert to it; " + FIX);
        assertThat(db.columns("orders")).as("nothing added").containsExactly("id", "items");

        columns.put("items", ColumnType.BIGINT);   // a bigint mapping into an integer column: the database converts
        assertThat(new SchemaManager(db.source(), db.dialect()).ensure(List.of(mapping("orders", List.of("id"), columns))))
                .hasSize(4);
        assertThat(db.columns("orders")).contains("note", UpsertTable.DELETED);
    }

    @Test
    void postgresRefusesAKeyWithoutAUniqueIndex() throws Exception {
        Db db = postgres("hooksync_schema_key");
        db.jdbc().execute("CREATE TABLE notes_partial (body text, other text)");
        db.jdbc().execute("CREATE UNIQUE INDEX notes_body_open ON notes_partial (body) WHERE body <> ''");
        assertThat(new SchemaManager(db.source(), db.dialect())
                .problems(mapping("notes_partial", List.of("body"), Map.of("body", ColumnType.TEXT))))
                .as("a partial index is no arbiter of ON CONFLICT (body)").hasSize(1);
        refusesAKeyWithoutAUniqueIndex(db);
    }

    @Test
    void mariaDbRefusesAKeyWithoutAUniqueIndex() throws Exception {
        refusesAKeyWithoutAUniqueIndex(mariaDb("hooksync_schema_key"));
    }

    private void refusesAKeyWithoutAUniqueIndex(Db db) throws Exception {
        db.jdbc().execute("CREATE TABLE notes (body " + db.key() + ", other " + db.key() + ")");
        db.jdbc().execute("CREATE UNIQUE INDEX notes_body_other ON notes (body, other)");
        Mapping notes = mapping("notes", List.of("body"), Map.of("body", ColumnType.TEXT));
        InvalidConfigurationException refused = catchThrowableOfType(InvalidConfigurationException.class, () ->
                new SchemaManager(db.source(), db.dialect()).ensure(List.of(notes)));
        assertThat(refused).as(db.dialect().name()).isNotNull();
        assertThat(refused.problems()).containsExactly("mappings/notes.yaml: table notes exists and has no unique"
                + " index or primary key on exactly its key [body]; Hooksync's upsert needs one (CREATE UNIQUE INDEX"
                + " ... ON notes (body)) — nothing was changed");
        assertThat(db.columns("notes")).as("nothing added").containsExactly("body", "other");

        db.jdbc().execute("CREATE UNIQUE INDEX notes_body ON notes (body)");
        new SchemaManager(db.source(), db.dialect()).ensure(List.of(notes));
        assertThat(db.columns("notes")).contains(UpsertTable.DELETED);
    }

    @Test
    void postgresLiveReloadRefusesAChangeTheTableCannotTake() throws Exception {
        liveReloadRefuses(postgres("hooksync_schema_reload"));
    }

    @Test
    void mariaDbLiveReloadRefusesAChangeTheTableCannotTake() throws Exception {
        liveReloadRefuses(mariaDb("hooksync_schema_reload"));
    }

    private void liveReloadRefuses(Db db) throws Exception {
        Path file = Files.createDirectories(dir.resolve("mappings")).resolve("orders.yaml");
        String yaml = "table: orders\nkey: [id]\ncolumns:\n  id: { expr: id, type: bigint }\n"
                + "  items: { expr: items, type: integer }\n";
        Files.writeString(file, yaml);
        Mappings mappings = Mappings.load(dir.resolve("mappings"));
        SchemaManager schema = new SchemaManager(db.source(), db.dialect());
        schema.ensure(mappings.all());
        mappings.checkChangesWith(schema::problems);

        Files.writeString(file, yaml.replace("type: integer", "type: text") + "  extra: { expr: x, type: text }\n");
        Mapping found = mappings.find("orders").orElseThrow();
        assertThat(found.columns().get("items").type()).as("the previous version stays").isEqualTo(ColumnType.INTEGER);
        assertThat(found.columns()).doesNotContainKey("extra");

        Files.writeString(file, yaml + "  extra: { expr: x, type: text }\n");
        assertThat(mappings.find("orders").orElseThrow().columns()).as("a change the table takes").containsKey("extra");
    }

    /** One value of each mapping type, as the mapping makes it. */
    private static Object typical(ColumnType type) throws Exception {
        return type.convert(switch (type) {
            case TEXT -> "hooksync";
            case INTEGER, BIGINT -> 42;
            case NUMERIC -> "12.5";
            case DOUBLE -> 2.5;
            case BOOLEAN -> true;
            case TIMESTAMPTZ -> "2024-05-01T10:00:00Z";
            case DATE -> "2024-05-01";
            case JSON -> Map.of("a", 1);
        });
    }

    @Test
    void postgresRefusesWhatThePostgresUpsertFailsOn() throws Exception {
        refusesWhatTheUpsertFailsOn(postgres("hooksync_schema_matrix"), List.of("text", "varchar(64)", "integer",
                "smallint", "bigint", "numeric", "double precision", "real", "boolean", "timestamptz", "timestamp",
                "date", "jsonb", "json"));
    }

    @Test
    void mariaDbRefusesWhatTheMariaDbUpsertFailsOn() throws Exception {
        refusesWhatTheUpsertFailsOn(mariaDb("hooksync_schema_matrix"), List.of("longtext", "varchar(255)", "text",
                "int", "smallint", "bigint", "decimal(38,10)", "double", "float", "boolean", "datetime(6)",
                "timestamp(6) NULL", "date"));
    }

    private void refusesWhatTheUpsertFailsOn(Db db, List<String> columnTypes) throws Exception {
        List<String> defs = new ArrayList<>(List.of("k " + db.key() + " PRIMARY KEY"));
        for (int i = 0; i < columnTypes.size(); i++) {
            defs.add("c" + i + " " + columnTypes.get(i));
        }
        db.jdbc().execute("CREATE TABLE matrix (" + String.join(", ", defs) + ")");
        SchemaManager schema = new SchemaManager(db.source(), db.dialect());
        schema.ensure(List.of(mapping("matrix", List.of("k"), Map.of("k", ColumnType.TEXT))));
        List<String> differences = new ArrayList<>();
        int refusals = 0;
        int row = 0;
        for (int i = 0; i < columnTypes.size(); i++) {
            for (ColumnType type : ColumnType.values()) {
                Map<String, ColumnType> columns = new LinkedHashMap<>();
                columns.put("k", ColumnType.TEXT);
                columns.put("c" + i, type);
                Mapping m = mapping("matrix", List.of("k"), columns);
                boolean refused = !schema.problems(m).isEmpty();
                refusals += refused ? 1 : 0;
                String failure = null;
                UpsertTable table = SinkTables.of(m);
                try (Connection c = db.source().getConnection()) {
                    db.dialect().upsert(c, db.dialect().upsert(table), table, List.of(new UpsertTable.Row(
                            new Object[] {"k" + row, typical(type)}, false, "e" + row++)));
                } catch (SQLException e) {
                    failure = e.getMessage();
                }
                if (refused != (failure != null)) {
                    differences.add(type + " into " + columnTypes.get(i) + ": " + (refused ? "refused, but written"
                            : "accepted, but the upsert failed: " + failure));
                }
            }
        }
        assertThat(differences).as(db.dialect().name()).isEmpty();
        assertThat(refusals).as("some pairs are refused").isGreaterThan(10);
    }
}
