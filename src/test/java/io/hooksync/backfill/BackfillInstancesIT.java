package io.hooksync.backfill;

import static io.hooksync.support.TestData.freePort;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hooksync.infra.envelope.EventEnvelope;
import io.hooksync.HooksyncApplication;
import io.hooksync.support.Await;
import io.hooksync.support.ExternalDatabases;
import io.hooksync.support.Http;
import io.hooksync.support.TestData;
import io.hooksync.support.UsesPostgres;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * Backfill with two instances (two Spring contexts in this JVM) on one PostgreSQL database and one Kafka broker
 * (instance A's in-JVM broker; B uses it as an external one). 400 GitHub issue events are applied live with mapping
 * v1, then mapping v2 changes the state expression and adds a column.
 * <ol>
 * <li>A preview runs on A and is held half way (the test locks its replay row, so A waits inside a batch with its
 * shadow table in use); B starts meanwhile. B's start-up sweep keeps that shadow table, drops the leftover shadow
 * tables of a crashed preview (no replay row) and of a cancelled one, leaves the real table alone, and does not take
 * the preview over; released, the preview ends on A with the right difference.</li>
 * <li>An apply created through A's API, with both instances polling for work, is run by exactly one of them: its
 * events are counted once in total, by one instance, and each changed row is written once.</li>
 * </ol>
 */
@UsesPostgres
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BackfillInstancesIT {

    private static final int ISSUES = 300;
    private static final int EVENTS = 400;
    private static final String SECRET = "backfill-instances-secret";
    private static final String TOPIC = "hooksync.events.github";
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The real table's rows in v1's columns (an instance starting adds v2's new column, null, as the sink does). */
    private static final String V1_ROWS = "SELECT id, title, state, updated_at FROM bf_issues ORDER BY id";
    /** A crashed preview's leftover (no replay row) and a cancelled preview's (its instance never dropped it). */
    private static final String CRASHED = ReplayEngine.SHADOW_PREFIX + "00000000deadbeef";
    private static final String CANCELLED = ReplayEngine.SHADOW_PREFIX + "00000000cafebabe";

    private final Path data = TestData.directory("backfill-instances");
    private final int kafkaPort = freePort();
    private final int portA = freePort();
    private final int portB = freePort();
    private String jdbcUrl;
    private JdbcTemplate db;
    private ConfigurableApplicationContext a;
    private ConfigurableApplicationContext b;

    @BeforeAll
    void startInstanceA() throws Exception {
        Path routes = Files.createDirectories(data.resolve("routes"));
        Files.createDirectories(data.resolve("mappings"));
        Files.writeString(routes.resolve("issues.yaml"), """
                - route:
                    id: issues
                    from:
                      uri: hooksync:events
                      parameters: { source: github, types: issues }
                      steps:
                        - to: hooksync:upsert?mapping=issues
                """);
        writeMapping(1);
        jdbcUrl = ExternalDatabases.freshPostgres("hooksync_backfill_instances_it");
        DriverManagerDataSource dataSource = new DriverManagerDataSource(jdbcUrl, "postgres", "");
        db = new JdbcTemplate(dataSource);
        a = start(portA, "--hooksync.kafka.embedded.port=" + kafkaPort,
                "--hooksync.kafka.embedded.controller-port=" + freePort());
        publishHistory();
        Await.until(Duration.ofSeconds(120), () -> db.queryForObject("SELECT COUNT(*) FROM hooksync_ledger"
                + " WHERE consumer = 'issues'", Long.class), n -> n == EVENTS);
        writeMapping(2);
    }

    @AfterAll
    void stop() {
        if (b != null) {
            b.close();
        }
        if (a != null) {
            a.close();
        }
        TestData.delete(data);
    }

    @Test
    @Order(1)
    void aSecondInstanceStartingKeepsThePreviewTheFirstRunsAndDropsOnlyLeftoverShadows() throws Exception {
        List<Map<String, Object>> realBefore = db.queryForList(V1_ROWS);
        assertThat(realBefore).hasSize(ISSUES);
        db.execute("CREATE TABLE " + CRASHED + " (id bigint PRIMARY KEY, title text)");
        db.execute("CREATE TABLE " + CANCELLED + " (id bigint PRIMARY KEY, title text)");
        db.update("INSERT INTO hooksync_replays (id, route_id, active_route, mode, start_spec, emit, mapping,"
                + " target_table, state, cancel_requested, owner, lease_until, events_total, events_read, rows_written,"
                + " rows_unchanged, rows_deleted, mapping_errors, created_at, finished_at) VALUES ('00000000cafebabe',"
                + " 'issues', NULL, 'preview', 'beginning', false, 'issues', ?, 'cancelled', true, 'gone-instance', 0,"
                + " 10, 5, 5, 0, 0, 0, 1, 2)", CANCELLED);

        JsonNode preview = create(portA, "{\"mode\":\"preview\",\"start\":\"beginning\"}");
        String id = preview.get("id").asText();
        String shadow = ReplayEngine.SHADOW_PREFIX + id;
        try (Connection lock = DriverManager.getConnection(jdbcUrl, "postgres", "")) {
            // hold the preview on A: once it runs, lock its row, so A's next batch waits (inside its transaction,
            // with the shadow table in use) until the lock is released
            awaitFast(Duration.ofSeconds(60), () -> "running".equals(db.queryForObject(
                    "SELECT state FROM hooksync_replays WHERE id = ?", String.class, id)));
            lock.setAutoCommit(false);
            Map<String, Object> held = new JdbcTemplate(new org.springframework.jdbc.datasource.SingleConnectionDataSource(
                    lock, true)).queryForMap("SELECT state, owner, events_read, events_total FROM hooksync_replays"
                    + " WHERE id = ? FOR UPDATE", id);
            assertThat(held.get("state")).as("the preview is held while it runs: " + held).isEqualTo("running");
            assertThat(((Number) held.get("events_read")).longValue()).as("held half way: " + held)
                    .isLessThan(EVENTS);
            assertThat(held.get("owner")).isEqualTo(a.getBean(ReplayEngine.class).owner());
            Await.until(Duration.ofSeconds(30), () -> tableExists(shadow), exists -> exists);

            ExecutorService starter = Executors.newSingleThreadExecutor();
            Future<ConfigurableApplicationContext> startingB = starter.submit(() -> start(portB,
                    "--hooksync.kafka.bootstrap-servers=127.0.0.1:" + kafkaPort));
            boolean bStarted;
            try {
                b = startingB.get(180, TimeUnit.SECONDS);
                bStarted = true;
            } catch (TimeoutException e) {
                bStarted = false;
            }
            if (bStarted) {
                assertThat(tableExists(shadow)).as("B's start kept the shadow of the preview A runs").isTrue();
                assertThat(tableExists(CRASHED)).as("B's start dropped a crashed preview's leftover").isFalse();
                assertThat(tableExists(CANCELLED)).as("B's start dropped a cancelled preview's leftover").isFalse();
                assertThat(db.queryForList(V1_ROWS)).as("real table untouched")
                        .isEqualTo(realBefore);
            }
            lock.rollback();
            if (!bStarted) {
                b = startingB.get(120, TimeUnit.SECONDS);
            }
            starter.shutdown();
            assertThat(bStarted).as("B started within 180 s while A's preview was held (a start-up sweep waiting"
                    + " to drop the shadow table A's batch holds would not)").isTrue();
        }

        JsonNode done = awaitEnd(portA, id);
        assertThat(done.get("state").asText()).as(done.toString()).isEqualTo("succeeded");
        assertThat(done.get("eventsRead").asLong()).as("each event read once").isEqualTo(EVENTS);
        assertThat(db.queryForObject("SELECT owner FROM hooksync_replays WHERE id = ?", String.class, id))
                .as("B did not take the preview over").isEqualTo(a.getBean(ReplayEngine.class).owner());
        JsonNode diff = JSON.readTree(Http.get(base(portA) + "/" + id + "/result", Http.admin()).body());
        assertThat(diff.get("changed").asLong()).isEqualTo(expectedChanged());
        assertThat(diff.get("unchanged").asLong()).isEqualTo(ISSUES - expectedChanged());
        assertThat(diff.get("inserted").asLong()).isZero();
        assertThat(diff.get("deleted").asLong()).isZero();
        assertThat(tableExists(shadow)).as("shadow dropped at the end").isFalse();
        assertThat(db.queryForList(V1_ROWS)).as("preview leaves the real table")
                .isEqualTo(realBefore);
    }

    @Test
    @Order(2)
    void anApplyCreatedThroughOneInstanceIsRunByExactlyOne() throws Exception {
        assertThat(b).as("instance B runs (previous test)").isNotNull();
        long outboxBefore = db.queryForObject("SELECT COUNT(*) FROM hooksync_outbox", Long.class);
        JsonNode apply = create(portA, "{\"mode\":\"apply\",\"start\":\"beginning\"}");
        String id = apply.get("id").asText();
        JsonNode done = awaitEnd(portA, id);
        assertThat(done.get("state").asText()).as(done.toString()).isEqualTo("succeeded");

        String ownerA = a.getBean(ReplayEngine.class).owner();
        String ownerB = b.getBean(ReplayEngine.class).owner();
        assertThat(ownerA).isNotEqualTo(ownerB);
        String owner = db.queryForObject("SELECT owner FROM hooksync_replays WHERE id = ?", String.class, id);
        assertThat(owner).isIn(ownerA, ownerB);
        double readByA = appliedEvents(a);
        double readByB = appliedEvents(b);
        System.out.printf("[backfill-instances] apply %s run by %s: events read by A %.0f, by B %.0f%n", id,
                owner.equals(ownerA) ? "A" : "B", readByA, readByB);
        assertThat(readByA + readByB).as("each event read once, in total over both instances")
                .isEqualTo((double) EVENTS);
        assertThat(List.of(readByA, readByB)).as("one instance ran it, the other read nothing of it")
                .containsExactlyInAnyOrder((double) EVENTS, 0.0);
        assertThat(owner.equals(ownerA) ? readByA : readByB).as("the owner is the one that ran it")
                .isEqualTo((double) EVENTS);
        assertThat(done.get("eventsRead").asLong()).isEqualTo(EVENTS);
        assertThat(done.get("rowsWritten").asLong()).as("each changed row written once").isEqualTo(expectedChanged());
        assertThat(done.get("rowsWritten").asLong() + done.get("rowsUnchanged").asLong()).isEqualTo(EVENTS);

        for (Map<String, Object> row : db.queryForList("SELECT id, state, milestone FROM bf_issues")) {
            long issue = ((Number) row.get("id")).longValue();
            assertThat(row.get("state")).as("issue " + issue).isEqualTo(closedAtTheEnd(issue) ? "done" : "open");
            assertThat(row.get("milestone")).as("issue " + issue).isEqualTo(issue % 4 == 0 ? "M" + issue : null);
        }
        assertThat(db.queryForObject("SELECT COUNT(*) FROM hooksync_outbox", Long.class)).as("apply emitted nothing")
                .isEqualTo(outboxBefore);
    }

    /** Events the instance's Backfill read for applies of the route (0 when it ran none). */
    private static double appliedEvents(ConfigurableApplicationContext instance) {
        Counter counter = instance.getBean(MeterRegistry.class).find("hooksync.backfill.events").tag("route", "issues")
                .tag("mode", "apply").counter();
        return counter == null ? 0 : counter.count();
    }

    /** Event i: issues 1..300 opened (every 4th with a milestone), then 100 edits of issues 1..100, even ones closed. */
    private static Map<String, Object> event(int i) {
        long id = i < ISSUES ? i + 1 : i - ISSUES + 1;
        boolean edit = i >= ISSUES;
        Map<String, Object> issue = new HashMap<>();
        issue.put("id", id);
        issue.put("title", "Issue " + id);
        issue.put("state", edit && id % 2 == 0 ? "closed" : "open");
        issue.put("updated_at", T0.plusSeconds(i).toString());
        if (id % 4 == 0) {
            issue.put("milestone", Map.of("title", "M" + id));
        }
        return Map.of("action", edit ? "edited" : "opened", "issue", issue);
    }

    private static boolean closedAtTheEnd(long id) {
        return id <= EVENTS - ISSUES && id % 2 == 0;
    }

    /** Rows mapping v2 changes, counted from the events: closed at the end (state) or with a milestone. */
    private static long expectedChanged() {
        long changed = 0;
        for (long id = 1; id <= ISSUES; id++) {
            if (closedAtTheEnd(id) || id % 4 == 0) {
                changed++;
            }
        }
        return changed;
    }

    /** v1: state as sent. v2: a closed issue's state reads "done", and the new column milestone. */
    private void writeMapping(int version) throws IOException {
        boolean v2 = version >= 2;
        Path file = data.resolve("mappings").resolve("issues.yaml");
        Files.writeString(file, """
                table: bf_issues
                key: [id]
                version: updated_at
                delete-when: action = 'deleted'
                emit: issue.synced
                columns:
                  id:         { expr: issue.id, type: bigint }
                  title:      { expr: issue.title, type: text }
                  state:      { expr: "%s", type: text }
                  updated_at: { expr: issue.updated_at, type: timestamptz }
                %s""".formatted(v2 ? "issue.state = 'closed' ? 'done' : issue.state" : "issue.state",
                v2 ? "  milestone:  { expr: issue.milestone.title, type: text }\n" : ""));
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(5L * (version - 1))));
    }

    private ConfigurableApplicationContext start(int httpPort, String... kafka) {
        List<String> args = new ArrayList<>(List.of("--hooksync.data-dir=" + data.resolve("data"),
                "--server.port=" + httpPort, "--spring.main.banner-mode=off",
                // two instances in one JVM: Spring's MBeans get names of their own per context
                "--spring.jmx.unique-names=true",
                "--spring.datasource.url=" + jdbcUrl, "--spring.datasource.username=postgres",
                "--hooksync.routes-dir=" + data.resolve("routes"), "--hooksync.routes-reload=false",
                "--hooksync.mappings-dir=" + data.resolve("mappings"),
                "--hooksync.management.admin-password=" + Http.ADMIN_PASSWORD,
                "--GITHUB_WEBHOOK_SECRET=" + SECRET, "--STRIPE_WEBHOOK_SECRET=whsec_unused",
                // one event per batch (a preview long enough to hold half way), a lease that outlasts the hold,
                // instances that look for work often
                "--hooksync.backfill.batch-size=1", "--hooksync.backfill.lease=5m",
                "--hooksync.backfill.poll-interval=100ms", "--hooksync.backfill.sample-size=1000"));
        args.addAll(List.of(kafka));
        Http.adminTokenArguments().forEach(argument -> args.add("--" + argument));
        return new SpringApplicationBuilder(HooksyncApplication.class).run(args.toArray(String[]::new));
    }

    private void publishHistory() throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + kafkaPort);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
            for (int i = 0; i < EVENTS; i++) {
                Map<String, Object> event = event(i);
                byte[] key = String.valueOf(((Map<?, ?>) event.get("issue")).get("id")).getBytes(StandardCharsets.UTF_8);
                ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(TOPIC, key, JSON.writeValueAsBytes(event));
                new EventEnvelope("inst-" + i, "github", "issues", T0.plusSeconds(i).toString())
                        .withAction((String) event.get("action")).writeTo(record.headers());
                producer.send(record);
            }
            producer.flush();
        }
    }

    private boolean tableExists(String table) {
        return db.queryForObject("SELECT to_regclass(?) IS NOT NULL", Boolean.class, table);
    }

    /** Polls every 5 ms (the preview must be caught while it runs). */
    private static void awaitFast(Duration timeout, java.util.function.BooleanSupplier condition)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition within " + timeout).isLessThan(deadline);
            Thread.sleep(5);
        }
    }

    private static JsonNode create(int port, String request) throws IOException {
        HttpResponse<String> response = Http.json("POST", base(port), request, Http.admin());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        return JSON.readTree(response.body());
    }

    private static JsonNode awaitEnd(int port, String id) {
        return Await.until(Duration.ofSeconds(120), () -> {
            try {
                return JSON.readTree(Http.get(base(port) + "/" + id, Http.admin()).body());
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }, s -> !s.get("state").asText().equals("queued") && !s.get("state").asText().equals("running"));
    }

    private static String base(int port) {
        return "http://127.0.0.1:" + port + "/api/routes/issues/replays";
    }
}
