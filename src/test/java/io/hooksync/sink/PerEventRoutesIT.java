package io.hooksync.sink;

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
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import io.hooksync.infra.KafkaBackbone;
import io.hooksync.support.Await;
import io.hooksync.support.Http;
import io.hooksync.support.ProfileApi;
import io.hooksync.support.RabbitBroker;
import io.hooksync.support.Signing;
import io.hooksync.support.TestData;
import io.hooksync.support.UsesRabbitMq;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The shipped per-event example routes (examples/routes, mode: event) copied into routes/ with their example
 * mappings, against real services: an HTTP profile API on loopback that is broken on purpose (500s and hangs) behind
 * a circuit breaker, JSONata triage into two mappings, and forwarding to RabbitMQ (the shared container).
 */
@UsesRabbitMq
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "GITHUB_WEBHOOK_SECRET=" + PerEventRoutesIT.SECRET,
        "STRIPE_WEBHOOK_SECRET=whsec_perevent",
        "hooksync.sources.github.partition-key=repository.full_name",
        "hooksync.sink.max-backoff=5s",
})
class PerEventRoutesIT {

    static final String SECRET = "perevent-secret";
    private static final List<String> EXAMPLES = List.of("github-issues-enriched.yaml", "github-issues-triage.yaml",
            "github-events-to-rabbitmq.yaml");
    private static final Path DATA = TestData.directory("perevent");
    private static final ProfileApi API = new ProfileApi();
    private static final List<String[]> RABBIT = new CopyOnWriteArrayList<>();
    private static final Connection RABBIT_CONNECTION;

    static {
        try {
            RABBIT_CONNECTION = RabbitBroker.connectionFactory().newConnection();
            Channel channel = RABBIT_CONNECTION.createChannel();
            channel.exchangeDeclare("hooksync.events", "topic", true);
            String queue = channel.queueDeclare("perevent-it-" + UUID.randomUUID(), false, true, true, null).getQueue();
            channel.queueBind(queue, "hooksync.events", "#");
            channel.basicConsume(queue, true, (tag, delivery) -> RABBIT.add(new String[] {
                    delivery.getEnvelope().getRoutingKey(), delivery.getProperties().getMessageId(),
                    new String(delivery.getBody(), StandardCharsets.UTF_8)}), tag -> { });
        } catch (Exception e) {
            throw new IllegalStateException(RabbitBroker.missing(e), e);
        }
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws IOException {
        TestData.embedded(registry, DATA);
        Path routes = Files.createDirectories(DATA.resolve("routes"));
        for (String example : EXAMPLES) {
            Files.copy(Path.of("examples/routes", example), routes.resolve(example));
        }
        Path mappings = DATA.resolve("mappings");
        for (Path from : List.of(Path.of("mappings"), Path.of("examples/mappings"))) {
            try (Stream<Path> files = Files.walk(from)) {
                for (Path file : files.filter(Files::isRegularFile).toList()) {
                    Path to = mappings.resolve(from.relativize(file).toString());
                    Files.createDirectories(to.getParent());
                    Files.copy(file, to);
                }
            }
        }
        registry.add("hooksync.routes-dir", routes::toString);
        registry.add("hooksync.mappings-dir", mappings::toString);
        registry.add("hooksync.enrichment.url", API::url);
        RabbitBroker.springProperties(registry);
    }

    @AfterAll
    static void stop() throws IOException {
        API.close();
        RABBIT_CONNECTION.close();
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    KafkaBackbone backbone;

    private static long ids = 8_000_000_000L + (System.nanoTime() % 1_000_000L) * 1000;

    /** A signed GitHub webhook; returns its delivery id (the event id). */
    private String post(String type, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        String delivery = UUID.randomUUID().toString();
        HttpResponse<String> response = Http.post("http://127.0.0.1:" + port + "/webhooks/github", bytes, Map.of(
                "Content-Type", "application/json", "X-GitHub-Event", type, "X-GitHub-Delivery", delivery,
                "X-Hub-Signature-256", Signing.github(SECRET, bytes)));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        return delivery;
    }

    private static String issue(long id, String login, String senderType, String... labels) {
        String labelJson = String.join(",", Stream.of(labels).map(l -> "{\"name\":\"" + l + "\"}").toList());
        return "{\"action\":\"opened\",\"issue\":{\"id\":" + id + ",\"number\":" + (id % 1000) + ",\"title\":\"t" + id
                + "\",\"state\":\"open\",\"labels\":[" + labelJson + "],\"updated_at\":\"2024-01-01T00:00:00Z\"},"
                + "\"sender\":{\"login\":\"" + login + "\",\"id\":" + userId(login) + ",\"type\":\"" + senderType + "\"},"
                + "\"repository\":{\"full_name\":\"perevent/it\"}}";
    }

    /** The profile API's user id of a test login: a number, as GitHub's sender ids. */
    private static long userId(String login) {
        return Math.abs((long) login.hashCode());
    }

    /** First: the breaker it opens stays open for 30 s, and the other tests' events pass through the same route. */
    @Test
    @Order(1)
    void enrichmentBehindACircuitBreakerLosesNothingWhenTheApiFailsAndHangs() {
        long base = ids += 100;
        for (int i = 0; i < 4; i++) {
            post("issues", issue(base + i, "healthy-" + i, "User"));
        }
        Await.until(Duration.ofSeconds(90), () -> count("github_issue_senders", base, base + 3, "enriched"), n -> n == 4);
        assertThat(jdbc.queryForObject("SELECT sender_name FROM github_issue_senders WHERE id = ?", String.class, base))
                .isEqualTo("Name of " + userId("healthy-0"));

        API.broken(true);
        try {
            for (int i = 10; i < 22; i++) {
                post("issues", issue(base + i, "broken-" + i, "User"));
            }
            // every event ends as a row: the fallback upserted it without the profile
            Await.until(Duration.ofSeconds(120), () -> count("github_issue_senders", base + 10, base + 21, "NOT enriched"),
                    n -> n == 12);
        } finally {
            API.broken(false);
        }
        List<String> brokenUsers = java.util.stream.IntStream.range(10, 22).mapToObj(i -> Long.toString(userId("broken-" + i)))
                .toList();
        List<ProfileApi.Call> broken = API.calls().stream().filter(c -> brokenUsers.contains(c.user())).toList();
        assertThat(broken).as("the API was asked while broken").extracting(ProfileApi.Call::answer).contains("500", "hang");
        assertThat(broken).as("the breaker opened: later events got the fallback without calling the API")
                .hasSizeLessThan(12);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM hooksync_dead_letters WHERE consumer = 'github-issues-enriched'",
                Long.class)).isZero();
    }

    @Test
    void jsonataTriageSendsEventsToTwoMappingsAndAcksTheOnesItDrops() {
        long base = ids += 100;
        post("issues", issue(base, "alice", "User", "bug", "ui"));
        post("issues", issue(base + 1, "bob", "User", "enhancement"));
        post("issues", issue(base + 2, "dependabot[bot]", "Bot", "bug"));
        post("issues", issue(base + 3, "renovate", "Bot"));
        post("issues", issue(base + 4, "carol", "User"));

        Await.until(Duration.ofSeconds(90), () -> count("github_issues", base, base + 4, null), n -> n == 2);
        Await.until(Duration.ofSeconds(30), () -> count("github_bugs", base, base + 4, null), n -> n == 1);
        assertThat(jdbc.queryForList("SELECT id FROM github_bugs WHERE id BETWEEN ? AND ?", Long.class, base, base + 4))
                .containsExactly(base);
        assertThat(jdbc.queryForList("SELECT id FROM github_issues WHERE id BETWEEN ? AND ? ORDER BY id", Long.class,
                base, base + 4)).containsExactly(base + 1, base + 4);
        // the bots' events were dropped on purpose (hooksync:ack): committed, nothing left behind for the route
        assertThat(Await.until(Duration.ofSeconds(30), () -> lag("hooksync.github-issues-triage"), n -> n == 0)).isZero();
    }

    @Test
    void everyEventIsForwardedToRabbitMqInOrderWithItsPayload() {
        List<String> sent = new ArrayList<>();
        List<String> bodies = new ArrayList<>();
        long base = ids += 100;
        for (int i = 0; i < 5; i++) {
            String body = i % 2 == 0 ? issue(base + i, "dave", "User")
                    : "{\"ref\":\"refs/heads/main\",\"after\":\"" + (base + i) + "\",\"commits\":[],"
                            + "\"repository\":{\"full_name\":\"perevent/it\"}}";
            sent.add(post(i % 2 == 0 ? "issues" : "push", body));
            bodies.add(body);
        }
        List<String[]> received = Await.until(Duration.ofSeconds(90),
                () -> RABBIT.stream().filter(m -> sent.contains(m[1])).toList(), list -> list.size() >= 5);

        assertThat(received).as("one message per event, in the order they were sent (one partition)")
                .extracting(m -> m[1]).containsExactlyElementsOf(sent);
        for (int i = 0; i < 5; i++) {
            assertThat(received.get(i)[0]).as("routing key = event type").isEqualTo(i % 2 == 0 ? "issues" : "push");
            assertThat(received.get(i)[2]).as("the payload as it arrived").isEqualTo(bodies.get(i));
        }
    }

    private long count(String table, long from, long to, String condition) {
        try {
            return jdbc.queryForObject("SELECT count(*) FROM " + table + " WHERE id BETWEEN ? AND ?"
                    + (condition == null ? "" : " AND " + condition), Long.class, from, to);
        } catch (RuntimeException e) {
            return -1;
        }
    }

    /** Events of the github topic the group has not committed yet. */
    private long lag(String group) {
        Properties config = new Properties();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, backbone.bootstrapServers());
        try (Admin admin = Admin.create(config)) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get();
            List<TopicPartition> partitions = admin.describeTopics(List.of("hooksync.events.github")).allTopicNames().get()
                    .get("hooksync.events.github").partitions().stream()
                    .map(p -> new TopicPartition("hooksync.events.github", p.partition())).toList();
            Map<TopicPartition, OffsetSpec> latest = new java.util.HashMap<>();
            partitions.forEach(p -> latest.put(p, OffsetSpec.latest()));
            long lag = 0;
            var ends = admin.listOffsets(latest).all().get();
            for (TopicPartition partition : partitions) {
                OffsetAndMetadata done = committed.get(partition);
                lag += ends.get(partition).offset() - (done == null ? 0 : done.offset());
            }
            return lag;
        } catch (Exception e) {
            return -1;
        }
    }
}
