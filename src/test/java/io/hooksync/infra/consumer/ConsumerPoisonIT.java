package io.hooksync.infra.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hooksync.infra.KafkaBackbone;
import io.hooksync.infra.KafkaClients;
import io.hooksync.support.Await;
import io.hooksync.support.Http;
import io.hooksync.support.TestData;
import org.apache.camel.CamelContext;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.actuate.health.HealthComponent;
import org.springframework.boot.actuate.health.HealthEndpoint;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A poison record on each Kafka consumer loop of the real engine (embedded broker and PostgreSQL),
 * written straight to the topic as a bug, a replay or an older ingress could have: the timeline, the
 * delivery dispatcher and a {@code hooksync-messages} route each set it aside (table, API, counter) and
 * handle the normal record behind it on the same partition, where they used to retry it forever.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "GITHUB_WEBHOOK_SECRET=poison-secret",
        "STRIPE_WEBHOOK_SECRET=whsec_unused",
})
class ConsumerPoisonIT {

    private static final Path DATA = TestData.directory("consumer-poison");
    private static final String ROUTE = "poison-messages";
    private static final String LONG_TYPE = "t".repeat(300);   // the columns take 200
    private static final ObjectMapper JSON = new ObjectMapper();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws IOException {
        TestData.embedded(registry, DATA.resolve("data"));
        Path routes = Files.createDirectories(DATA.resolve("routes"));
        Files.writeString(routes.resolve(ROUTE + ".yaml"), """
                - route:
                    id: poison-messages
                    from:
                      uri: "hooksync-messages?types=poison.test.*"
                      steps:
                        - to: "mock:poison-messages"
                """);
        registry.add("hooksync.routes-dir", routes::toString);
    }

    private static KafkaProducer<byte[], byte[]> producer;

    @Autowired
    KafkaBackbone backbone;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    CamelContext camel;

    @Autowired
    HealthEndpoint health;

    @Autowired
    SetAsidePruner pruner;

    @Autowired
    SetAside setAsides;

    @Autowired
    io.micrometer.core.instrument.MeterRegistry meters;

    @LocalServerPort
    int port;

    @AfterAll
    static void close() {
        if (producer != null) {
            producer.close();
        }
        // the data directory stays: the context (its broker and database) closes after this, at JVM exit
    }

    private RecordMetadata send(String topic, String id, String type, String time, String body) throws Exception {
        if (producer == null) {
            producer = new KafkaProducer<>(KafkaClients.durableProducer(backbone, "poison-it"));
        }
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, 0, id.getBytes(StandardCharsets.UTF_8),
                body.getBytes(StandardCharsets.UTF_8));
        record.headers().add("ce_id", id.getBytes(StandardCharsets.UTF_8));
        record.headers().add("ce_type", type.getBytes(StandardCharsets.UTF_8));
        record.headers().add("ce_time", time.getBytes(StandardCharsets.UTF_8));
        return producer.send(record).get();
    }

    private List<Map<String, Object>> setAside(String consumer, RecordMetadata at) {
        return jdbc.queryForList("SELECT * FROM hooksync_set_aside WHERE consumer = ? AND topic = ? AND kafka_partition = ?"
                + " AND kafka_offset = ?", consumer, at.topic(), at.partition(), at.offset());
    }

    private void awaitSetAside(String consumer, RecordMetadata at, String error) {
        List<Map<String, Object>> rows = Await.until(Duration.ofSeconds(60), () -> setAside(consumer, at), r -> !r.isEmpty());
        assertThat(rows).singleElement().satisfies(row -> assertThat((String) row.get("error")).contains(error));
    }

    @Test
    void theTimelineSetsAsideAnOverlongTypeAndRecordsTheNextEvent() throws Exception {
        String poisonId = "poison-" + UUID.randomUUID();
        String normalId = "normal-" + UUID.randomUUID();
        String now = Instant.now().toString();
        RecordMetadata poison = send("hooksync.events.github", poisonId, LONG_TYPE, now, "{\"n\":1}");
        send("hooksync.events.github", normalId, "issues", now, "{\"n\":2}");

        Await.until(Duration.ofSeconds(60), () -> Http.get(url("/api/events?source=github&limit=500"), Http.admin()),
                r -> r.statusCode() == 200 && r.body().contains(normalId));
        awaitSetAside("timeline", poison, "22001");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM hooksync_timeline WHERE event_id = ?", Long.class, poisonId))
                .isZero();
        assertThat(meters.get("hooksync.consumer.set.aside").tag("consumer", "timeline").counter().count())
                .isGreaterThanOrEqualTo(1.0);

        JsonNode api = JSON.readTree(Http.get(url("/api/set-aside?consumer=timeline"), Http.admin()).body());
        assertThat(api.get("total").asLong()).isGreaterThanOrEqualTo(1);
        assertThat(api.get("records").findValuesAsText("offset")).contains(Long.toString(poison.offset()));
        assertThat(api.get("records").get(0).get("key").asText()).isEqualTo(poisonId);
        assertThat(Http.get(url("/api/set-aside?limit=0"), Http.admin()).statusCode()).isEqualTo(400);
        assertThat(Http.get(url("/api/set-aside")).statusCode()).isEqualTo(401);
    }

    @Test
    void theDispatcherSetsAsideAMessageTheDatabaseRefusesAndDispatchesTheNext() throws Exception {
        String normalId = "msg_poison_it_" + UUID.randomUUID();
        String now = Instant.now().toString();
        RecordMetadata poison = send("hooksync.outbound", "msg_poison_it_" + UUID.randomUUID(), LONG_TYPE, now, "{}");
        send("hooksync.outbound", normalId, "other.type", now, "{\"n\":2}");

        Await.until(Duration.ofSeconds(60), () -> jdbc.queryForObject(
                "SELECT count(*) FROM hooksync_messages WHERE id = ?", Long.class, normalId), n -> n == 1);
        awaitSetAside("delivery-dispatcher", poison, "22001");
    }

    @Test
    void aMessagesRouteSetsAsideAnUnreadableMessageAndTakesTheNext() throws Exception {
        MockEndpoint mock = camel.getEndpoint("mock:poison-messages", MockEndpoint.class);
        String normalId = "msg_poison_it_" + UUID.randomUUID();
        RecordMetadata poison = send("hooksync.outbound", "msg_poison_it_" + UUID.randomUUID(), "poison.test.bad",
                "yesterday-ish", "{}");
        send("hooksync.outbound", normalId, "poison.test.ok", Instant.now().toString(), "{\"n\":2}");

        Await.until(Duration.ofSeconds(60), () -> mock.getExchanges().stream()
                .map(e -> e.getIn().getHeader("HooksyncMessageId", String.class)).toList(), ids -> ids.contains(normalId));
        awaitSetAside("messages-" + ROUTE, poison, "DateTimeParseException");

        HealthComponent consumers = health.healthForPath("consumers");
        assertThat(consumers.getStatus()).isEqualTo(Status.UP);
        assertThat(consumers.toString()).contains("timeline").contains("delivery-dispatcher")
                .contains("messages-" + ROUTE);
    }

    @Test
    void setAsideRecordsOlderThanTheRetentionArePruned() {
        long now = System.currentTimeMillis();
        String insert = "INSERT INTO hooksync_set_aside (consumer, topic, kafka_partition, kafka_offset, value_bytes, error,"
                + " set_aside_at) VALUES (?, 'prune-it', 0, ?, 0, 'old', ?)";
        jdbc.update(insert, "prune-it", 1L, now - Duration.ofDays(31).toMillis());
        jdbc.update(insert, "prune-it", 2L, now - Duration.ofDays(29).toMillis());

        assertThat(pruner.pruneOnce()).isEqualTo(1);
        assertThat(jdbc.queryForList("SELECT kafka_offset FROM hooksync_set_aside WHERE consumer = 'prune-it'", Long.class))
                .containsExactly(2L);
    }

    /**
     * A consumer that crashed after setting a record aside and before committing its offset reads the record again
     * and sets it aside again: it is listed and counted once. Another consumer's, or the next offset, still count.
     */
    @Test
    void aRecordSetAsideAgainAfterACrashIsListedAndCountedOnce() {
        ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>("once-it", 0, 42L,
                "k".getBytes(StandardCharsets.UTF_8), "v".getBytes(StandardCharsets.UTF_8));
        setAsides.record("once-it", record, new RecordRejectedException("unreadable"));
        setAsides.record("once-it", record, new RecordRejectedException("unreadable, read again"));
        setAsides.record("once-it-too", record, new RecordRejectedException("unreadable"));
        setAsides.record("once-it", new ConsumerRecord<>("once-it", 0, 43L, null, new byte[0]),
                new RecordRejectedException("empty"));

        assertThat(jdbc.queryForList("SELECT kafka_offset FROM hooksync_set_aside WHERE consumer = 'once-it'"
                + " ORDER BY kafka_offset", Long.class)).containsExactly(42L, 43L);
        assertThat(jdbc.queryForObject("SELECT error FROM hooksync_set_aside WHERE consumer = 'once-it'"
                + " AND kafka_offset = 42", String.class)).as("the first one is kept").contains("unreadable").doesNotContain("again");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM hooksync_set_aside WHERE consumer = 'once-it-too'",
                Long.class)).isEqualTo(1);
        assertThat(meters.get(SetAside.METER).tag("consumer", "once-it").counter().count()).isEqualTo(2.0);
    }

    private String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }
}
