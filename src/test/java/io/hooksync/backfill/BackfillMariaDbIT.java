package io.hooksync.backfill;

import java.io.IOException;
import java.nio.file.Path;

import io.hooksync.support.ExternalDatabases;
import io.hooksync.support.TestData;
import io.hooksync.support.UsesMariaDb;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The Backfill scenarios with in-JVM Kafka and MariaDB from the shared test container (external mode). */
@UsesMariaDb
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "GITHUB_WEBHOOK_SECRET=" + BackfillScenarios.SECRET,
        "STRIPE_WEBHOOK_SECRET=whsec_backfill",
        "hooksync.backfill.batch-size=100",
        "hooksync.backfill.sample-size=5000",
        "hooksync.backfill.poll-interval=200ms",
})
class BackfillMariaDbIT extends BackfillScenarios {

    private static final Path DATA = TestData.directory("backfill-mariadb");

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws IOException {
        prepare(registry, DATA);
        registry.add("spring.datasource.url", () -> ExternalDatabases.freshMariaDb("hooksync_backfill_it"));
        registry.add("spring.datasource.username", () -> "root");
    }

    @Override
    Path mappings() {
        return DATA.resolve("mappings");
    }
}
