package io.hooksync.outbound;

import io.hooksync.support.ExternalDatabases;
import io.hooksync.support.UsesMariaDb;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/** The outbox relay's promises on MariaDB, where it selects its batch and marks it after Kafka's acknowledgements. */
@UsesMariaDb
class OutboxRelayMariaDbIT extends OutboxRelayIT {

    @Override
    DriverManagerDataSource freshDatabase() {
        return new DriverManagerDataSource(ExternalDatabases.freshMariaDb("hooksync_outbox_relay_it") + "?useAffectedRows=true",
                "root", "");
    }

    @Override
    String vendor() {
        return "mariadb";
    }
}
