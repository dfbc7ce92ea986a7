package io.hooksync.infra.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import io.hooksync.support.ExternalDatabases;
import io.hooksync.support.UsesPostgres;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * The statements a busy engine repeats on tables that grow from empty (the ledger lookup, the relay, the delivery
 * claim) never become named server-side statements, whose generic plan PostgreSQL would keep: a plan made on a
 * nearly empty table is a sequential scan, and it stayed one while the ledger grew (docs/benchmarks.md, issue 15).
 * Seen from the server: {@code pg_prepared_statements} lists the session's named statements.
 */
@UsesPostgres
class PostgresPlansIT {

    private static final String SELECT = "SELECT v FROM plans WHERE k = ? AND ";

    private static int named(Connection c, String fragment) throws SQLException {
        try (PreparedStatement count = c.prepareStatement(
                "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE ?")) {
            count.setString(1, "%" + fragment + "%");
            try (ResultSet rs = count.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    @Test
    void repeatedLookupsArePlannedAtEachExecutionWhileAPlainStatementBecomesNamed() throws SQLException {
        DriverManagerDataSource ds = new DriverManagerDataSource(
                ExternalDatabases.freshPostgres("hooksync_plans_it"), "postgres", "");
        SqlDialect dialect = SqlDialect.of("postgresql");
        try (Connection c = ds.getConnection()) {
            try (Statement ddl = c.createStatement()) {
                ddl.execute("CREATE TABLE plans (k text, v text, PRIMARY KEY (v, k))");
                ddl.execute("INSERT INTO plans VALUES ('a', 'x')");
            }
            for (int i = 0; i < 10; i++) {
                assertThat(dialect.matching(c, SELECT, List.of("a"), "v", List.of("x", "y"))).containsExactly("x");
            }
            assertThat(named(c, "FROM plans WHERE k")).as("the lookup through the dialect").isZero();

            // the control: the same driver makes a plain statement named after five executions
            for (int i = 0; i < 10; i++) {
                try (PreparedStatement plain = c.prepareStatement("SELECT v FROM plans WHERE v = ?")) {
                    plain.setString(1, "x");
                    plain.executeQuery().close();
                }
            }
            assertThat(named(c, "FROM plans WHERE v")).as("a plain statement").isEqualTo(1);

            // planEachExecution, as the relay and the delivery claim use it
            for (int i = 0; i < 10; i++) {
                try (PreparedStatement planned = c.prepareStatement("SELECT k FROM plans WHERE v = ? AND k = ?")) {
                    dialect.planEachExecution(planned);
                    planned.setString(1, "x");
                    planned.setString(2, "a");
                    planned.executeQuery().close();
                }
            }
            assertThat(named(c, "FROM plans WHERE v = $1 AND k")).as("a statement planned at each execution").isZero();
        }
    }
}
