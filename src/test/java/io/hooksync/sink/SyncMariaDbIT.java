package io.hooksync.sink;

import java.nio.file.Path;

import io.hooksync.support.ExternalDatabases;
import io.hooksync.support.TestData;
import io.hooksync.support.UsesMariaDb;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The sync scenarios with in-JVM Kafka and the local MariaDB service (external mode). */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "GITHUB_WEBHOOK_SECRET=" + SyncScenarios.GITHUB_SECRET,
        "STRIPE_WEBHOOK_SECRET=whsec_sync_test",
        "hooksync.kafka.partitions=1",
})
@UsesMariaDb
class SyncMariaDbIT extends SyncScenarios {

    private static final Path DATA = TestData.directory("sync-mariadb");

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestData.embedded(registry, DATA);
        registry.add("hooksync.routes-dir", () -> "routes");
        registry.add("spring.datasource.url", () -> ExternalDatabases.freshMariaDb("hooksync_sync_it"));
        registry.add("spring.datasource.username", () -> "root");
    }
}
