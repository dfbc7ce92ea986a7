package io.hooksync.outbound;

import io.hooksync.support.ExternalDatabases;
import io.hooksync.support.UsesMariaDb;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/** The delivery table rules on the local MariaDB (INSERT IGNORE, DELETE ... LIMIT, SKIP LOCKED there). */
@UsesMariaDb
class DeliveryStoreMariaDbIT extends DeliveryStoreIT {

    @Override
    DriverManagerDataSource freshDatabase() {
        return new DriverManagerDataSource(ExternalDatabases.freshMariaDb("hooksync_delivery_store_it") + "?useAffectedRows=true",
                "root", "");
    }

    @Override
    String vendor() {
        return "mariadb";
    }
}
