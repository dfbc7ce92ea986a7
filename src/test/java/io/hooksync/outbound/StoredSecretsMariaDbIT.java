package io.hooksync.outbound;

import io.hooksync.support.ExternalDatabases;
import io.hooksync.support.UsesMariaDb;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/** Secrets at rest on the local MariaDB (its text columns, its SELECT ... FOR UPDATE). */
@UsesMariaDb
class StoredSecretsMariaDbIT extends StoredSecretsIT {

    @Override
    DriverManagerDataSource freshDatabase() {
        return new DriverManagerDataSource(ExternalDatabases.freshMariaDb("hooksync_stored_secrets_it") + "?useAffectedRows=true",
                "root", "");
    }

    @Override
    String vendor() {
        return "mariadb";
    }
}
