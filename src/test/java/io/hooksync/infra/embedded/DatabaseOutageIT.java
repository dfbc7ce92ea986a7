package io.hooksync.infra.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.hooksync.support.Await;
import io.hooksync.support.Http;
import io.hooksync.support.Signing;
import io.hooksync.support.TestData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The database goes away for 30 s while webhooks keep arriving: they are accepted (Kafka is up),
 * the sink waits behind its circuit breaker, and when the database is back every event is applied
 * once; nothing is dead-lettered, nothing is lost. Also for routes whose own error handling
 * ({@code onException handled: true}, a dead-letter channel) swallows the failed upserts: the events
 * stay unsettled, so their offsets are not committed and they are applied when the database is back.
 */
@DirtiesContext
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "GITHUB_WEBHOOK_SECRET=outage-secret",
        "STRIPE_WEBHOOK_SECRET=whsec_outage",
        "hooksync.sink.max-backoff=5s",
        "spring.datasource.hikari.connection-timeout=2000",
})
class DatabaseOutageIT {

    private static final Path DATA = TestData.directory("outage");
    private static EmbeddedPostgresServer replacement;

    /**
     * The shipped routes, and copies of github-issues written with a route's own error handling (batch and per-event
     * forms).
     */
    private static final List<String> CONSUMERS = List.of("github-issues", "handled-issues", "dead-letter-issues",
            "handled-issues-per-event");

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws IOException {
        TestData.embedded(registry, DATA);
        Path routes = Files.createDirectories(DATA.resolve("routes"));
        for (Path dir : List.of(Path.of("routes"), Path.of("src/test/resources/routes-handled"))) {
            try (var files = Files.list(dir)) {
                for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).toList()) {
                    Files.copy(file, routes.resolve(file.getFileName()));
                }
            }
        }
        registry.add("hooksync.routes-dir", routes::toString);
    }

    @LocalServerPort
    int port;

    @Autowired
    EmbeddedPostgresServer postgres;

    @Autowired
    JdbcTemplate jdbc;

    @AfterAll
    static void stopReplacement() throws Exception {
        if (replacement != null) {
            replacement.close();
        }
    }

    private String post(long issueId) {
        String body = "{\"action\":\"opened\",\"issue\":{\"id\":" + issueId + ",\"number\":1,\"title\":\"t" + issueId
                + "\",\"state\":\"open\",\"user\":{\"login\":\"u\"},\"labels\":[],\"updated_at\":\"2024-01-01T00:00:00Z\"},"
                + "\"repository\":{\"full_name\":\"o/r\"}}";
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        String delivery = UUID.randomUUID().toString();
        HttpResponse<String> response = Http.post("http://127.0.0.1:" + port + "/webhooks/github", bytes, Map.of(
                "Content-Type", "application/json", "X-GitHub-Event", "issues", "X-GitHub-Delivery", delivery,
                "X-Hub-Signature-256", Signing.github("outage-secret", bytes)));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        return delivery;
    }

    @Test
    void eventsAcceptedDuringA30SecondOutageAreAppliedOnceWhenTheDatabaseIsBack() throws Exception {
        long base = 7_000_000_000L + (System.nanoTime() % 1_000_000L) * 100;
        post(base);
        Await.until(Duration.ofSeconds(30), () -> count(base, base), n -> n == 1);

        int dbPort = postgres.port();
        postgres.close();
        List<String> during = new ArrayList<>();
        for (int i = 1; i <= 20; i++) {
            during.add(post(base + i));
        }
        Thread.sleep(30_000);
        replacement = new EmbeddedPostgresServer(DATA, dbPort).start();

        Await.until(Duration.ofSeconds(90), () -> count(base, base + 20), n -> n == 21);
        String ids = String.join(",", during.stream().map(d -> "'" + d + "'").toList());
        for (String consumer : CONSUMERS) {
            // a route whose onException or dead-letter channel swallowed the failed upserts must not have committed
            // them: each route's ledger ends with all 20 events of the outage
            assertThat(Await.until(Duration.ofSeconds(60), () -> jdbc.queryForObject("SELECT count(*) FROM hooksync_ledger"
                    + " WHERE consumer = ? AND event_id IN (" + ids + ")", Long.class, consumer), n -> n == 20))
                    .as("events of the outage in the ledger of route %s", consumer).isEqualTo(20);
        }
        assertThat(jdbc.queryForObject("SELECT count(*) FROM hooksync_dead_letters", Long.class)).isZero();
    }

    private long count(long from, long to) {
        try {
            return jdbc.queryForObject("SELECT count(*) FROM github_issues WHERE id BETWEEN ? AND ?", Long.class, from, to);
        } catch (RuntimeException e) {
            return -1;
        }
    }
}
