package io.hooksync.crash;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hooksync.support.Await;
import io.hooksync.support.EngineProcess;
import io.hooksync.support.Http;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/**
 * A Backfill apply survives SIGKILL: the packaged engine applies 2,000 GitHub issue events (repo route and
 * mapping), every row's title is then spoiled in the database, an apply of the history starts, the engine is
 * SIGKILLed half way, and after the restart the same replay resumes where its last committed batch ended: it reads
 * each event exactly once in total, writes each spoiled row exactly once, restores every title and emits nothing.
 */
class BackfillKillIT {

    private static final int EVENTS = 2_000;
    private static final String TOPIC = "hooksync.events.github";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void anApplyKilledHalfWayResumesAfterTheRestart() throws Exception {
        EngineProcess.Builder builder = EngineProcess.builder("crash-backfill").routesDir("routes")
                .arg("--hooksync.backfill.batch-size=2").arg("--hooksync.backfill.lease=3s")
                .arg("--hooksync.backfill.poll-interval=500ms");
        Http.adminTokenArguments().forEach(argument -> builder.arg("--" + argument));
        try (EngineProcess engine = builder.create()) {
            startPatiently(engine);
            publish(engine.bootstrapServers());
            try (Connection c = DriverManager.getConnection(engine.jdbcUrl(), "postgres", engine.databasePassword())) {
                JdbcTemplate db = new JdbcTemplate(new SingleConnectionDataSource(c, true));
                Await.until(Duration.ofSeconds(120), () -> db.queryForObject("SELECT COUNT(*) FROM hooksync_ledger"
                        + " WHERE consumer = 'github-issues'", Long.class), n -> n == EVENTS);
                assertThat(db.update("UPDATE github_issues SET title = 'spoiled'")).isEqualTo(EVENTS);

                HttpResponse<String> created = Http.json("POST", engine.baseUrl() + "/api/routes/github-issues/replays",
                        "{\"mode\":\"apply\",\"start\":\"beginning\"}", Http.admin());
                assertThat(created.statusCode()).as(created.body()).isEqualTo(202);
                String id = JSON.readTree(created.body()).get("id").asText();
                long readAtKill = Await.until(Duration.ofSeconds(60), () -> eventsRead(db, id), n -> n >= 200);
                engine.kill();
                String ownerBefore = db.queryForObject("SELECT owner FROM hooksync_replays WHERE id = ?", String.class, id);
                long committedAtKill = eventsRead(db, id);
                assertThat(committedAtKill).as("killed half way").isBetween(readAtKill, (long) EVENTS - 1);
                System.out.printf("[crash-backfill] SIGKILL with %d of %d events replayed%n", committedAtKill, EVENTS);
            }

            startPatiently(engine);
            try (Connection c = DriverManager.getConnection(engine.jdbcUrl(), "postgres", engine.databasePassword())) {
                JdbcTemplate db = new JdbcTemplate(new SingleConnectionDataSource(c, true));
                String id = db.queryForObject("SELECT id FROM hooksync_replays", String.class);
                Map<String, Object> replay = Await.until(Duration.ofSeconds(120), () -> db.queryForMap(
                        "SELECT state, owner, events_read, rows_written, rows_unchanged FROM hooksync_replays WHERE id = ?",
                        id), r -> !"queued".equals(r.get("state")) && !"running".equals(r.get("state")));
                assertThat(replay.get("state")).as(replay.toString()).isEqualTo("succeeded");
                assertThat(((Number) replay.get("events_read")).longValue()).as("each event read once in total")
                        .isEqualTo(EVENTS);
                assertThat(((Number) replay.get("rows_written")).longValue()).as("each spoiled row written once")
                        .isEqualTo(EVENTS);
                assertThat(db.queryForObject("SELECT COUNT(*) FROM github_issues WHERE title = 'spoiled'", Long.class))
                        .isZero();
                assertThat(db.queryForList("SELECT title FROM github_issues WHERE id = 7000000005", String.class))
                        .containsExactly("Issue 7000000005");
                JsonNode status = JSON.readTree(Http.get(engine.baseUrl() + "/api/routes/github-issues/replays/" + id,
                        Http.admin()).body());
                assertThat(status.get("progress").asDouble()).isEqualTo(1.0);
            }
            try (Connection c = DriverManager.getConnection(engine.jdbcUrl(), "postgres", engine.databasePassword())) {
                JdbcTemplate db = new JdbcTemplate(new SingleConnectionDataSource(c, true));
                assertThat(db.queryForObject("SELECT COUNT(*) FROM hooksync_outbox WHERE source_event_id LIKE 'bf-%'",
                        Long.class)).as("the live route emitted each event once, the apply nothing").isEqualTo(EVENTS);
            }
            engine.stop();
        }
    }

    /**
     * Launches the engine and waits for health UP up to 5 minutes: on a loaded 2-core machine a start can take longer
     * than {@link EngineProcess#HEALTH_TIMEOUT}, and this test is about resuming, not about start time.
     */
    private static void startPatiently(EngineProcess engine) {
        engine.launch();
        Await.until(Duration.ofMinutes(5), () -> {
            try {
                HttpResponse<String> health = Http.get(engine.baseUrl() + "/actuator/health");
                return health.statusCode() == 200 && health.body().contains("\"UP\"");
            } catch (RuntimeException e) {
                return false;
            }
        }, up -> up);
    }

    private static long eventsRead(JdbcTemplate db, String id) {
        return db.queryForObject("SELECT events_read FROM hooksync_replays WHERE id = ?", Long.class, id);
    }

    private static void publish(String bootstrapServers) throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
            for (int i = 0; i < EVENTS; i++) {
                long id = 7_000_000_000L + i;
                Map<String, Object> issue = Map.of("id", id, "number", i + 1, "title", "Issue " + id, "state", "open",
                        "user", Map.of("login", "octocat"), "labels", List.of(Map.of("name", "bug")),
                        "updated_at", "2026-01-01T00:00:00Z");
                Map<String, Object> event = Map.of("action", "opened", "issue", issue,
                        "repository", Map.of("full_name", "hooksync/backfill"));
                ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(TOPIC,
                        Long.toString(id).getBytes(StandardCharsets.UTF_8), JSON.writeValueAsBytes(event));
                header(record, "ce_id", "bf-" + i);
                header(record, "ce_source", "github");
                header(record, "ce_type", "issues");
                header(record, "ce_time", "2026-01-01T00:00:00Z");
                header(record, "hooksync_action", "opened");
                producer.send(record);
            }
            producer.flush();
        }
    }

    private static void header(ProducerRecord<byte[], byte[]> record, String name, String value) {
        record.headers().add(name, value.getBytes(StandardCharsets.UTF_8));
    }
}
