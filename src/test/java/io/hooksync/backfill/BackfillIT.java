package io.hooksync.backfill;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import io.hooksync.support.Await;
import io.hooksync.support.TestData;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
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

    /**
     * The apply's connection is killed by the database while it writes a batch (as a deadlock victim's transaction
     * is, or a failover's): the batch is rolled back and written again on a new connection, and the replay succeeds
     * having read every event once. The apply is held on a table lock until its backend can be found and ended.
     */
    @Test
    @Order(100)
    void anApplyWhoseConnectionTheDatabaseEndsWritesTheBatchAgain() throws Exception {
        long rows = jdbc.queryForObject("SELECT COUNT(*) FROM bf_issues", Long.class);
        JsonNode apply;
        List<Integer> ended;
        try (Connection holder = jdbc.getDataSource().getConnection(); Statement lock = holder.createStatement()) {
            holder.setAutoCommit(false);
            lock.execute("LOCK TABLE bf_issues IN ACCESS EXCLUSIVE MODE");
            apply = create("{\"mode\":\"apply\",\"start\":\"beginning\"}");
            List<Integer> waiting = Await.until(Duration.ofSeconds(60), () -> jdbc.queryForList(
                    "SELECT pid FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()"
                            + " AND query LIKE '%bf_issues%'", Integer.class), pids -> !pids.isEmpty());
            ended = waiting.stream().filter(pid -> jdbc.queryForObject("SELECT pg_terminate_backend(?)", Boolean.class,
                    pid)).toList();
            holder.rollback();
        }
        assertThat(ended).as("the apply's backend was ended").isNotEmpty();
        JsonNode done = awaitEnd(apply.get("id").asText());
        assertThat(done.get("state").asText()).as(done.toString()).isEqualTo("succeeded");
        assertThat(done.get("eventsRead").asLong()).isEqualTo(done.get("eventsTotal").asLong());
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM bf_issues", Long.class)).isEqualTo(rows);
    }
}
