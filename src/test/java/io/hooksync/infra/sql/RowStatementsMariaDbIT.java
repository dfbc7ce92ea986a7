package io.hooksync.infra.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

import io.hooksync.infra.sql.SqlDialect.Column;
import io.hooksync.support.ExternalDatabases;
import io.hooksync.support.UsesMariaDb;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/** {@link RowStatementsIT} on the local MariaDB (INSERT IGNORE, JDBC batches), and the queued insert's key check. */
@UsesMariaDb
class RowStatementsMariaDbIT extends RowStatementsIT {

    @Override
    DriverManagerDataSource freshDatabase() {
        return new DriverManagerDataSource(ExternalDatabases.freshMariaDb("hooksync_row_statements_it"), "root", "");
    }

    @Override
    String vendor() {
        return "mariadb";
    }

    /**
     * MariaDB queues rows by the keys the driver hands back for the batch; a driver (or URL option) handing back fewer
     * keys than rows would leave rows no relay ever publishes. The insert fails naming the problem instead, and its
     * transaction, rolled back, leaves neither rows nor queue entries.
     */
    @Test
    void aQueuedInsertWhoseDriverReturnsTooFewKeysFailsAndLeavesNothing() throws SQLException {
        DriverManagerDataSource ds = freshDatabase();
        JdbcTemplate jdbc = new JdbcTemplate(ds);
        jdbc.execute("CREATE TABLE rows_queued (id bigint AUTO_INCREMENT PRIMARY KEY, name varchar(20) NOT NULL)");
        jdbc.execute("CREATE TABLE rows_queue (row_id bigint PRIMARY KEY)");
        List<Column> columns = List.of(Column.text("name"));
        List<Object[]> rows = List.of(new Object[]{"a"}, new Object[]{"b"}, new Object[]{"c"});
        try (Connection real = ds.getConnection()) {
            real.setAutoCommit(false);
            assertThatThrownBy(() -> SqlDialect.of("mariadb").insertRowsQueued(oneKeyShort(real), "rows_queued", columns,
                    rows, "rows_queue", "row_id"))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("3 rows inserted but the driver returned 2 generated keys");
            real.rollback();
            // the same statements through the real driver queue every row
            SqlDialect.of("mariadb").insertRowsQueued(real, "rows_queued", columns, rows, "rows_queue", "row_id");
            real.commit();
        }
        assertThat(jdbc.queryForList("SELECT name FROM rows_queued r JOIN rows_queue q ON q.row_id = r.id ORDER BY r.id",
                String.class)).as("only the second insert's rows, each queued").containsExactly("a", "b", "c");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM rows_queued", Integer.class)).isEqualTo(3);
    }

    /** {@code real}, except that the generated keys of its prepared statements lack their last row. */
    private static Connection oneKeyShort(Connection real) {
        return wrap(Connection.class, real, (method, result) -> method.equals("prepareStatement")
                ? wrap(PreparedStatement.class, result, (inner, keys) -> inner.equals("getGeneratedKeys")
                ? allButLast((ResultSet) keys) : keys)
                : result);
    }

    private static ResultSet allButLast(ResultSet keys) {
        return (ResultSet) Proxy.newProxyInstance(RowStatementsMariaDbIT.class.getClassLoader(), new Class<?>[]{ResultSet.class},
                (proxy, method, args) -> method.getName().equals("next")
                        ? keys.next() && !keys.isLast()
                        : invoke(method, keys, args));
    }

    private interface Rewrite {
        Object apply(String method, Object result) throws Throwable;
    }

    private static <T> T wrap(Class<T> type, Object target, Rewrite rewrite) {
        return type.cast(Proxy.newProxyInstance(RowStatementsMariaDbIT.class.getClassLoader(), new Class<?>[]{type},
                (proxy, method, args) -> rewrite.apply(method.getName(), invoke(method, target, args))));
    }

    private static Object invoke(Method method, Object target, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
