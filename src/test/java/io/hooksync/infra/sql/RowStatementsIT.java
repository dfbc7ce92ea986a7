package io.hooksync.infra.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import io.hooksync.infra.sql.SqlDialect.Column;
import io.hooksync.support.ExternalDatabases;
import io.hooksync.support.UsesPostgres;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * The multi-row statements of each dialect ({@link SqlDialect#insertRowsIgnoring}, {@link SqlDialect#updateRows}) on
 * the local PostgreSQL; a subclass runs the same on MariaDB. They must mean what the same rows one by one would.
 */
@UsesPostgres
class RowStatementsIT {

    private static final List<Column> COLUMNS = List.of(Column.text("name"), Column.integer("n"), Column.bigint("at"));
    private static final List<Column> SET = List.of(Column.text("name"), Column.integer("n"));

    private JdbcTemplate jdbc;
    private SqlDialect dialect;

    DriverManagerDataSource freshDatabase() {
        return new DriverManagerDataSource(ExternalDatabases.freshPostgres("hooksync_row_statements_it"), "postgres", "");
    }

    String vendor() {
        return "postgresql";
    }

    @BeforeEach
    void table() {
        jdbc = new JdbcTemplate(freshDatabase());
        dialect = SqlDialect.of(vendor());
        jdbc.execute("CREATE TABLE things (id bigint PRIMARY KEY, name varchar(20) NOT NULL, n integer, at bigint,"
                + " touched varchar(5))");
    }

    private void run(ConnectionCallback<Void> statements) {
        jdbc.execute(statements);
    }

    private List<String> things() {
        return jdbc.queryForList("SELECT CONCAT_WS(' ', id, name, CASE WHEN n IS NULL THEN '-' ELSE CONCAT(n, '') END, at,"
                + " coalesce(touched, '-')) FROM things ORDER BY id", String.class);
    }

    @Test
    void anInsertIgnoringSkipsRowsWhoseKeyExistsOrCameEarlierInTheBatch() {
        List<Column> withId = new ArrayList<>(List.of(Column.bigint("id")));
        withId.addAll(COLUMNS);
        run(c -> {
            dialect.insertRowsIgnoring(c, "things", withId, List.<Object[]>of(new Object[]{1L, "one", 1, 10L}));
            dialect.insertRowsIgnoring(c, "things", withId, List.of(new Object[]{2L, "two", null, 20L},
                    new Object[]{1L, "one again", 5, 50L}, new Object[]{2L, "two again", 6, 60L},
                    new Object[]{3L, "three", 3, 30L}));
            dialect.insertRowsIgnoring(c, "things", withId, List.of());
            return null;
        });
        assertThat(things()).containsExactly("1 one 1 10 -", "2 two - 20 -", "3 three 3 30 -");
    }

    @Test
    void anUpdateSetsEachRowByItsKeyWithTheLaterOfTwoRowsWinning() {
        jdbc.update("INSERT INTO things (id, name, n, at) VALUES (1, 'a', 1, 10), (2, 'b', 2, 20), (3, 'c', 3, 30)");
        run(c -> {
            dialect.updateRows(c, "things", SET, "touched = 'yes'", Column.bigint("id"), null, List.of(
                    new Object[]{"b2", null, 2L}, new Object[]{"a2", 11, 1L}, new Object[]{"b3", 22, 2L},
                    new Object[]{"nobody", 9, 9L}));
            dialect.updateRows(c, "things", SET, "", Column.bigint("id"), null, List.of());
            return null;
        });
        assertThat(things()).containsExactly("1 a2 11 10 yes", "2 b3 22 20 yes", "3 c 3 30 -");
    }

    @Test
    void aGuardedUpdateLeavesTheRowsWhoseGuardColumnChanged() {
        jdbc.update("INSERT INTO things (id, name, n, at) VALUES (1, 'a', 1, 10), (2, 'b', 2, 0), (3, 'c', 3, 31)");
        run(c -> {
            dialect.updateRows(c, "things", SET, "", Column.bigint("id"), Column.bigint("at"), List.of(
                    new Object[]{"a2", 11, 1L, 10L}, new Object[]{"b2", 22, 2L, 20L}, new Object[]{"c2", 33, 3L, 30L}));
            return null;
        });
        assertThat(things()).containsExactly("1 a2 11 10 -", "2 b 2 0 -", "3 c 3 31 -");
    }
}
