package io.hooksync.outbound;

import io.hooksync.support.ExternalDatabases;
import io.hooksync.support.UsesMariaDb;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/** The outbox relay's promises on MariaDB, where it selects its batch and dequeues it after Kafka's acknowledgements. */
@UsesMariaDb
class OutboxRelayMariaDbIT extends OutboxRelayIT {

    @Override
    DriverManagerDataSource freshDatabase(String name) {
        return new DriverManagerDataSource(ExternalDatabases.freshMariaDb(name) + "?useAffectedRows=true",
                "root", "");
    }

    @Override
    String vendor() {
        return "mariadb";
    }
}
