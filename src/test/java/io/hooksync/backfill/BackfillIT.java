package io.hooksync.backfill;

import java.io.IOException;
import java.nio.file.Path;

import io.hooksync.support.TestData;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The Backfill scenarios in embedded mode: in-JVM Kafka and the embedded PostgreSQL. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "GITHUB_WEBHOOK_SECRET=" + BackfillScenarios.SECRET,
        "STRIPE_WEBHOOK_SECRET=whsec_backfill",
        "hooksync.backfill.batch-size=100",
        "hooksync.backfill.sample-size=5000",
        "hooksync.backfill.poll-interval=200ms",
})
class BackfillIT extends BackfillScenarios {

    private static final Path DATA = TestData.directory("backfill");

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws IOException {
        prepare(registry, DATA);
    }

    @Override
    Path mappings() {
        return DATA.resolve("mappings");
    }
}
