package io.hooksync.sink;

import java.nio.file.Path;

import io.hooksync.support.TestData;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The sync scenarios with in-JVM Kafka and embedded PostgreSQL (the default mode). */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "GITHUB_WEBHOOK_SECRET=" + SyncScenarios.GITHUB_SECRET,
        "STRIPE_WEBHOOK_SECRET=whsec_sync_test",
        "hooksync.kafka.partitions=1",
})
class SyncEmbeddedPostgresIT extends SyncScenarios {

    private static final Path DATA = TestData.directory("sync-embeddedpostgres");

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestData.embedded(registry, DATA);
        registry.add("hooksync.routes-dir", () -> "routes");
    }
}
