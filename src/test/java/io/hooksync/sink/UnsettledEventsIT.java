package io.hooksync.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import io.hooksync.infra.KafkaBackbone;
import io.hooksync.support.Await;
import io.hooksync.support.Http;
import io.hooksync.support.Signing;
import io.hooksync.support.TestData;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A batch route that settles nothing (its hooksync:upsert behind a filter no batch passes: a user's mistake the
 * offline check cannot see) is not retried forever: after a bounded number of failed batches its events run one by one, each is set aside as a dead letter that says
 * why, and the route's offsets move past them, so the events after them are not stuck behind them.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "GITHUB_WEBHOOK_SECRET=" + UnsettledEventsIT.SECRET,
        "STRIPE_WEBHOOK_SECRET=whsec_unsettled",
        "hooksync.sink.max-backoff=2s",
})
class UnsettledEventsIT {

    static final String SECRET = "unsettled-secret";
    private static final Path DATA = TestData.directory("unsettled");
    private static final String ROUTE = "github-log-only";

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws IOException {
        TestData.embedded(registry, DATA);
        Path routes = Files.createDirectories(DATA.resolve("routes"));
        Files.copy(Path.of("src/test/resources/routes-unsettled", ROUTE + ".yaml"), routes.resolve(ROUTE + ".yaml"));
        registry.add("hooksync.routes-dir", routes::toString);
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    KafkaBackbone backbone;

    private String post(long issue) {
        byte[] body = ("{\"action\":\"opened\",\"issue\":{\"id\":" + issue + ",\"number\":1,\"title\":\"t\",\"state\":\"open\","
                + "\"updated_at\":\"2024-01-01T00:00:00Z\"},\"repository\":{\"full_name\":\"unsettled/it\"}}")
                .getBytes(StandardCharsets.UTF_8);
        String delivery = UUID.randomUUID().toString();
        HttpResponse<String> response = Http.post("http://127.0.0.1:" + port + "/webhooks/github", body, Map.of(
                "Content-Type", "application/json", "X-GitHub-Event", "issues", "X-GitHub-Delivery", delivery,
                "X-Hub-Signature-256", Signing.github(SECRET, body)));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        return delivery;
    }

    @Test
    void eventsNoStepSettlesBecomeDeadLettersAfterBoundedRetriesAndTheRouteMovesOn() throws Exception {
        List<String> sent = List.of(post(1), post(2), post(3));
        List<String> deadLettered = Await.until(Duration.ofSeconds(120), () -> jdbc.queryForList(
                "SELECT event_id FROM hooksync_dead_letters WHERE consumer = ?", String.class, ROUTE),
                ids -> ids.size() >= sent.size());
        assertThat(deadLettered).containsExactlyInAnyOrderElementsOf(sent);
        assertThat(jdbc.queryForList("SELECT error FROM hooksync_dead_letters WHERE consumer = ?", String.class, ROUTE))
                .allSatisfy(error -> assertThat(error).contains("did not settle", "no hooksync:upsert committed"));
        Properties admin = new Properties();
        admin.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, backbone.bootstrapServers());
        try (Admin kafka = Admin.create(admin)) {
            long ends = Await.until(Duration.ofSeconds(30), () -> committed(kafka) - endOffsets(kafka), gap -> gap == 0);
            assertThat(ends).as("the group committed past every event of the topic").isZero();
        }
        String later = post(4);
        Await.until(Duration.ofSeconds(90), () -> jdbc.queryForList(
                "SELECT event_id FROM hooksync_dead_letters WHERE consumer = ?", String.class, ROUTE),
                ids -> ids.contains(later));
    }

    private long committed(Admin kafka) {
        try {
            Map<TopicPartition, OffsetAndMetadata> offsets = kafka.listConsumerGroupOffsets("hooksync." + ROUTE)
                    .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
            return offsets.values().stream().filter(o -> o != null).mapToLong(OffsetAndMetadata::offset).sum();
        } catch (Exception e) {
            return -1;
        }
    }

    private long endOffsets(Admin kafka) {
        try {
            String topic = "hooksync.events.github";
            int partitions = kafka.describeTopics(List.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS).get(topic)
                    .partitions().size();
            Map<TopicPartition, OffsetSpec> latest = new java.util.HashMap<>();
            for (int p = 0; p < partitions; p++) {
                latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
            }
            return kafka.listOffsets(latest).all().get(10, TimeUnit.SECONDS).values().stream()
                    .mapToLong(info -> info.offset()).sum();
        } catch (Exception e) {
            return Long.MAX_VALUE;
        }
    }
}
