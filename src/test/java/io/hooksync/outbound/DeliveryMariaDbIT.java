package io.hooksync.outbound;

import io.hooksync.support.ExternalDatabases;
import io.hooksync.support.UsesMariaDb;

/** The delivery scenarios with the engine's tables on the local MariaDB (INSERT IGNORE, SKIP LOCKED there). */
@UsesMariaDb
class DeliveryMariaDbIT extends DeliveryIT {

    private String url;

    @Override
    String[] database() {
        if (url == null) {   // once: the restart scenario must find its deliveries again
            url = ExternalDatabases.freshMariaDb("hooksync_delivery_it");
        }
        return new String[]{"--spring.datasource.url=" + url, "--spring.datasource.username=root",
                "--spring.datasource.password="};
    }
}
