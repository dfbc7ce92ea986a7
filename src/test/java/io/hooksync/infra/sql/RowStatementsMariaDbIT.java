package io.hooksync.infra.sql;

import io.hooksync.support.ExternalDatabases;
import io.hooksync.support.UsesMariaDb;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/** {@link RowStatementsIT} on the local MariaDB (INSERT IGNORE, JDBC batches). */
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
}
