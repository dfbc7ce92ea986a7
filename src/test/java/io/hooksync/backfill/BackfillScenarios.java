package io.hooksync.backfill;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hooksync.infra.envelope.EventEnvelope;
import io.hooksync.infra.KafkaBackbone;
import io.hooksync.infra.KafkaClients;
import io.hooksync.infra.TopicAdmin;
import io.hooksync.support.Await;
import io.hooksync.support.Http;
import io.hooksync.support.Signing;
import io.hooksync.support.TestData;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * 2,000 GitHub issue events applied by a live route with mapping v1; mapping v2 changes the state expression and
 * adds a column. A preview reports exactly the rows and columns that differ (computed here directly from the
 * events) and leaves the real table as it was; an apply fills them without an outbound message while live events
 * keep flowing and the route's committed offsets stay its own. Run on PostgreSQL ({@link BackfillIT}) and MariaDB
 * ({@link BackfillMariaDbIT}); subclasses declare the Spring test.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class BackfillScenarios {

    static final String SECRET = "backfill-secret";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final int EVENTS = 2000;

    /** Writes the route and mapping v1 under {@code data} and points the engine at them (embedded Kafka). */
    static void prepare(DynamicPropertyRegistry registry, Path data) throws IOException {
        Path routes = Files.createDirectories(data.resolve("routes"));
        Path mappings = Files.createDirectories(data.resolve("mappings"));
        Files.writeString(routes.resolve("issues.yaml"), """
                - route:
                    id: issues
                    from:
                      uri: hooksync:events
                      parameters: { source: github, types: issues }
                      steps:
                        - to: hooksync:upsert?mapping=issues
                """);
        writeMapping(mappings, 1);
        TestData.embedded(registry, data.resolve("data"));
        registry.add("hooksync.routes-dir", routes::toString);
        registry.add("hooksync.mappings-dir", mappings::toString);
    }

    /** The directory {@link #prepare} wrote the mapping to. */
    abstract Path mappings();

    /**
     * v1: state as sent. v2: a closed issue's state reads "done", and the new column milestone. v3: v2 with the title
     * prefixed by '#' (not a change of case only: MariaDB's default collation compares text case-insensitively, so
     * the sink's guard would see no change).
     */
    private static void writeMapping(Path mappings, int version) throws IOException {
        boolean v2 = version >= 2;
        Path file = mappings.resolve("issues.yaml");
        Files.writeString(file, """
                table: bf_issues
                key: [id]
                version: updated_at
                delete-when: action = 'deleted'
                emit: issue.synced
                columns:
                  id:         { expr: issue.id, type: bigint }
                  title:      { expr: "%s", type: text }
                  state:      { expr: "%s", type: text }
                  updated_at: { expr: issue.updated_at, type: timestamptz }
                %s""".formatted(version == 3 ? "'#' & issue.title" : "issue.title",
                v2 ? "issue.state = 'closed' ? 'done' : issue.state" : "issue.state",
                v2 ? "  milestone:  { expr: issue.milestone.title, type: text }\n" : ""));
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(5L * (version - 1))));
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    KafkaBackbone backbone;

    @Autowired
    TopicAdmin topics;

    @Autowired
    Admin admin;

    /** Event i: issues 1..1500 opened, then 450 edits (even ones closed), then 50 deletes of issues 1001..1050. */
    private static Map<String, Object> event(int i) {
        long id;
        String action;
        if (i < 1500) {
            id = i + 1;
            action = "opened";
        } else if (i < 1950) {
            id = i - 1500 + 1;
            action = "edited";
        } else {
            id = i - 1950 + 1001;
            action = "deleted";
        }
        Map<String, Object> issue = new HashMap<>();
        issue.put("id", id);
        issue.put("title", "Issue " + id + ("edited".equals(action) ? " (edited)" : ""));
        issue.put("state", "edited".equals(action) && id % 2 == 0 ? "closed" : "open");
        issue.put("updated_at", T0.plusSeconds(i).toString());
        if (id % 4 == 0) {
            issue.put("milestone", Map.of("title", "M" + id));
        }
        return Map.of("action", action, "issue", issue);
    }

    @Test
    @Order(1)
    void previewReportsExactlyWhatMappingV2ChangesAndApplyWritesItWithoutOutboundEvents() throws Exception {
        publishHistory();
        Await.until(Duration.ofSeconds(120), () -> jdbc.queryForObject("SELECT COUNT(*) FROM bf_issues"
                + " WHERE _hooksync_deleted", Long.class), n -> n == 50);
        Await.until(Duration.ofSeconds(60), () -> jdbc.queryForObject("SELECT COUNT(*) FROM hooksync_ledger"
                + " WHERE consumer = 'issues'", Long.class), n -> n == EVENTS);
        List<Map<String, Object>> before = jdbc.queryForList("SELECT * FROM bf_issues ORDER BY id");
        long outboxBefore = jdbc.queryForObject("SELECT COUNT(*) FROM hooksync_outbox", Long.class);
        assertThat(before).hasSize(1500);
        assertThat(outboxBefore).as("the live route emits").isPositive();

        writeMapping(mappings(), 2);
        JsonNode preview = create("{\"mode\":\"preview\",\"start\":\"beginning\"}");
        JsonNode done = awaitEnd(preview.get("id").asText());
        assertThat(done.get("state").asText()).as(done.toString()).isEqualTo("succeeded");
        assertThat(done.get("eventsRead").asLong()).isEqualTo(EVENTS);
        assertThat(Instant.parse(done.get("finishedAt").asText())).as("times are ISO-8601 like the rest of the API")
                .isAfterOrEqualTo(Instant.parse(done.get("startedAt").asText()))
                .isAfterOrEqualTo(Instant.parse(done.get("createdAt").asText()));
        JsonNode diff = JSON.readTree(get("/" + preview.get("id").asText() + "/result").body());

        Map<Long, TreeSet<String>> expected = expectedChanges();
        assertThat(diff.get("inserted").asLong()).isZero();
        assertThat(diff.get("deleted").asLong()).isZero();
        assertThat(diff.get("changed").asLong()).isEqualTo(expected.size());
        assertThat(diff.get("unchanged").asLong()).isEqualTo(1500 - expected.size());
        Map<Long, TreeSet<String>> reported = new TreeMap<>();
        for (JsonNode row : diff.get("sample")) {
            assertThat(row.get("kind").asText()).isEqualTo("changed");
            TreeSet<String> columns = new TreeSet<>();
            row.get("columns").forEach(c -> columns.add(c.get("name").asText()));
            reported.put(row.get("key").get("id").asLong(), columns);
        }
        assertThat(reported).isEqualTo(expected);
        assertThat(jdbc.queryForList("SELECT * FROM bf_issues ORDER BY id")).as("preview leaves the real table")
                .isEqualTo(before);
        assertThat(shadowTables()).as("shadow table dropped").isEmpty();

        JsonNode apply = create("{\"mode\":\"apply\",\"start\":\"beginning\"}");
        List<String> live = new ArrayList<>();
        for (int n = 0; n < 20; n++) {
            live.add(postLive(9000 + n));
        }
        JsonNode applied = awaitEnd(apply.get("id").asText());
        assertThat(applied.get("state").asText()).as(applied.toString()).isEqualTo("succeeded");
        Await.until(Duration.ofSeconds(60), () -> jdbc.queryForObject("SELECT COUNT(*) FROM bf_issues WHERE id >= 9000",
                Long.class), n -> n == 20);

        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM hooksync_outbox WHERE source_event_id LIKE 'hist-%'",
                Long.class)).as("apply emitted nothing").isEqualTo(outboxBefore);
        for (Map<String, Object> row : jdbc.queryForList("SELECT id, state, milestone FROM bf_issues WHERE id < 9000")) {
            long id = ((Number) row.get("id")).longValue();
            Map<String, Object> last = lastEventOf(id);
            @SuppressWarnings("unchecked")
            Map<String, Object> issue = (Map<String, Object>) last.get("issue");
            assertThat(row.get("state")).as("issue " + id).isEqualTo("closed".equals(issue.get("state")) ? "done" : "open");
            assertThat(row.get("milestone")).as("issue " + id).isEqualTo(id % 4 == 0 ? "M" + id : null);
        }
        assertThat(applied.get("rowsWritten").asLong()).as("only the changed rows are written")
                .isEqualTo(expected.size());
        Await.until(Duration.ofSeconds(30), () -> committedOffsets(), sum -> sum == EVENTS + live.size());
    }

    @Test
    @Order(2)
    void badRequestsAreProblemsNamingTheProblem() throws Exception {
        HttpResponse<String> unknown = Http.json("POST", base("nope"), "{\"mode\":\"preview\",\"start\":\"beginning\"}",
                Http.admin());
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.headers().firstValue("Content-Type").orElse("")).contains("problem+json");
        assertThat(JSON.readTree(unknown.body()).get("detail").asText()).contains("nope");

        HttpResponse<String> badStart = Http.json("POST", base("issues"), "{\"mode\":\"preview\",\"start\":\"yesterday\"}",
                Http.admin());
        assertThat(badStart.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(badStart.body()).get("detail").asText()).contains("start").contains("yesterday");

        HttpResponse<String> badMode = Http.json("POST", base("issues"), "{\"mode\":\"merge\",\"start\":\"beginning\"}",
                Http.admin());
        assertThat(badMode.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(badMode.body()).get("detail").asText()).contains("mode");

        assertThat(Http.json("POST", base("issues"), "{\"mode\":\"preview\",\"start\":\"beginning\"}", Map.of())
                .statusCode()).as("same authentication as the rest of /api").isEqualTo(401);

        // a broken edit of the route's mapping: the version in force is the older one, which a preview would show
        Path file = mappings().resolve("issues.yaml");
        String good = Files.readString(file);
        Files.writeString(file, good.replace("type: bigint", "type: huge"));
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(100)));
        try {
            HttpResponse<String> broken = Http.json("POST", base("issues"),
                    "{\"mode\":\"preview\",\"start\":\"beginning\"}", Http.admin());
            assertThat(broken.statusCode()).as(broken.body()).isEqualTo(409);
            assertThat(JSON.readTree(broken.body()).get("detail").asText())
                    .contains("the last change to mapping issues was refused").contains("issues.yaml:");
        } finally {
            Files.writeString(file, good);
            Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(200)));
        }
    }

    @Test
    @Order(3)
    void aSecondReplayWhileOneRunsIsAConflictAndCancelEndsIt() throws Exception {
        JsonNode first = create("{\"mode\":\"preview\",\"start\":\"beginning\"}");
        HttpResponse<String> second = Http.json("POST", base("issues"), "{\"mode\":\"apply\",\"start\":\"beginning\"}",
                Http.admin());
        assertThat(second.statusCode()).as(second.body()).isEqualTo(409);
        assertThat(JSON.readTree(second.body()).get("detail").asText()).contains("already");
        HttpResponse<String> cancel = Http.post(base("issues") + "/" + first.get("id").asText() + "/cancel",
                new byte[0], Http.admin());
        assertThat(cancel.statusCode()).as("cancelled, or it had ended already").isIn(202, 409);
        JsonNode end = awaitEnd(first.get("id").asText());
        assertThat(end.get("state").asText()).isIn("cancelled", "succeeded");
        assertThat(shadowTables()).as("shadow table dropped").isEmpty();
    }

    @Test
    @Order(4)
    void eventTopicsKeepThirtyDaysAndAnExistingTopicIsRaised() throws Exception {
        JsonNode history = JSON.readTree(Http.get("http://127.0.0.1:" + port + "/api/event-history", Http.admin()).body());
        assertThat(history.get("retentionDays").asLong()).isEqualTo(30);
        assertThat(history.get("topicRetentionMs").get("hooksync.events.github").asLong())
                .isEqualTo(Duration.ofDays(30).toMillis());
        String legacy = "hooksync.events.legacy";
        admin.createTopics(List.of(new NewTopic(legacy, 1, (short) 1).configs(Map.of(TopicConfig.RETENTION_MS_CONFIG,
                Long.toString(Duration.ofDays(1).toMillis()))))).all().get(30, TimeUnit.SECONDS);
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, legacy);
        Await.until(Duration.ofSeconds(30), () -> retentionOf(resource), ms -> ms == Duration.ofDays(1).toMillis());
        topics.ensureEventTopic(legacy);
        // the controller accepted the change; the broker's view of it follows through the metadata log
        assertThat(Await.until(Duration.ofSeconds(30), () -> retentionOf(resource),
                ms -> ms == Duration.ofDays(30).toMillis())).as("raised on ensure").isEqualTo(Duration.ofDays(30).toMillis());
    }

    /** A topic's retention.ms, or -2 while the broker does not describe it yet (just created). */
    private long retentionOf(ConfigResource topic) {
        try {
            return Long.parseLong(admin.describeConfigs(List.of(topic)).all().get(30, TimeUnit.SECONDS).get(topic)
                    .get(TopicConfig.RETENTION_MS_CONFIG).value());
        } catch (Exception e) {
            return -2;
        }
    }

    @Test
    @Order(5)
    void anApplyAskedToEmitWritesOneOutboxRowPerChangedRow() throws Exception {
        writeMapping(mappings(), 3);
        long before = jdbc.queryForObject("SELECT COUNT(*) FROM hooksync_outbox", Long.class);
        JsonNode apply = create("{\"mode\":\"apply\",\"start\":\"beginning\",\"emit\":true}");
        assertThat(apply.get("emit").asBoolean()).isTrue();
        JsonNode done = awaitEnd(apply.get("id").asText());
        assertThat(done.get("state").asText()).as(done.toString()).isEqualTo("succeeded");
        long rows = jdbc.queryForObject("SELECT COUNT(*) FROM bf_issues", Long.class);
        assertThat(done.get("rowsWritten").asLong()).as("every title changes").isEqualTo(rows);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM hooksync_outbox", Long.class) - before)
                .as("one outbound event per changed row").isEqualTo(rows);
        assertThat(jdbc.queryForList("SELECT DISTINCT event_type FROM hooksync_outbox", String.class))
                .containsExactly("issue.synced");
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM bf_issues WHERE title LIKE '#%'", Long.class))
                .isEqualTo(rows);
    }

    /** Leftover shadow tables of this database. */
    private List<String> shadowTables() {
        return jdbc.execute((java.sql.Connection c) -> {
            List<String> tables = new ArrayList<>();
            try (java.sql.ResultSet rs = c.getMetaData().getTables(c.getCatalog(), c.getSchema(), null,
                    new String[] {"TABLE"})) {
                while (rs.next()) {
                    if (rs.getString("TABLE_NAME").toLowerCase().startsWith("hooksync_shadow_")) {
                        tables.add(rs.getString("TABLE_NAME"));
                    }
                }
            }
            return tables;
        });
    }

    /** The sum of the live route's committed offsets: they move on with the live events only. */
    private long committedOffsets() {
        try {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets("hooksync.issues")
                    .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
            return committed.values().stream().mapToLong(OffsetAndMetadata::offset).sum();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Per issue id, the columns mapping v2 changes in its row: computed from the events, not from the engine. */
    private static Map<Long, TreeSet<String>> expectedChanges() {
        Map<Long, TreeSet<String>> changes = new TreeMap<>();
        for (long id = 1; id <= 1500; id++) {
            @SuppressWarnings("unchecked")
            Map<String, Object> issue = (Map<String, Object>) lastEventOf(id).get("issue");
            TreeSet<String> columns = new TreeSet<>();
            if ("closed".equals(issue.get("state"))) {
                columns.add("state");
            }
            if (issue.containsKey("milestone")) {
                columns.add("milestone");
            }
            if (!columns.isEmpty()) {
                changes.put(id, columns);
            }
        }
        return changes;
    }

    private static Map<String, Object> lastEventOf(long id) {
        Map<String, Object> last = null;
        for (int i = 0; i < EVENTS; i++) {
            Map<String, Object> event = event(i);
            if (((Number) ((Map<?, ?>) event.get("issue")).get("id")).longValue() == id) {
                last = event;
            }
        }
        return last;
    }

    private void publishHistory() throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(KafkaClients.durableProducer(backbone,
                "backfill-it"))) {
            for (int i = 0; i < EVENTS; i++) {
                Map<String, Object> event = event(i);
                byte[] key = String.valueOf(((Map<?, ?>) event.get("issue")).get("id")).getBytes(StandardCharsets.UTF_8);
                ProducerRecord<byte[], byte[]> record = new ProducerRecord<>("hooksync.events.github", key,
                        JSON.writeValueAsBytes(event));
                new EventEnvelope("hist-" + i, "github", "issues", T0.plusSeconds(i).toString())
                        .withAction((String) event.get("action")).writeTo(record.headers());
                producer.send(record);
            }
            producer.flush();
        }
    }

    private String postLive(long id) {
        byte[] body = ("{\"action\":\"opened\",\"issue\":{\"id\":" + id + ",\"title\":\"Live " + id
                + "\",\"state\":\"open\",\"updated_at\":\"2026-06-01T00:00:00Z\"}}").getBytes(StandardCharsets.UTF_8);
        String delivery = UUID.randomUUID().toString();
        HttpResponse<String> response = Http.post("http://127.0.0.1:" + port + "/webhooks/github", body, Map.of(
                "Content-Type", "application/json", "X-GitHub-Event", "issues", "X-GitHub-Delivery", delivery,
                "X-Hub-Signature-256", Signing.github(SECRET, body)));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        return delivery;
    }

    JsonNode create(String request) throws IOException {
        HttpResponse<String> response = Http.json("POST", base("issues"), request, Http.admin());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        return JSON.readTree(response.body());
    }

    JsonNode awaitEnd(String id) {
        return Await.until(Duration.ofSeconds(120), () -> {
            try {
                return JSON.readTree(get("/" + id).body());
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }, s -> !s.get("state").asText().equals("queued") && !s.get("state").asText().equals("running"));
    }

    private HttpResponse<String> get(String path) {
        return Http.get(base("issues") + path, Http.admin());
    }

    private String base(String route) {
        return "http://127.0.0.1:" + port + "/api/routes/" + route + "/replays";
    }
}
