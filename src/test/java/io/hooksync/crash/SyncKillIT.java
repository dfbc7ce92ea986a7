package io.hooksync.crash;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hooksync.support.Await;
import io.hooksync.support.EngineProcess;
import io.hooksync.support.Http;
import io.hooksync.support.Signing;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * Guarantees: what was answered 202 is applied exactly once, and a sender re-sending what got no answer
 * (because the engine was SIGKILLed mid-stream) causes no double effect. The packaged engine runs the repo's
 * routes and mappings; 2,000 distinct GitHub {@code issues} events are posted from 4 threads, the engine is
 * SIGKILLed when about 1,000 were answered 202, restarted on the same data directory, every event not answered
 * 202 is re-sent (same delivery id, same bytes), and the ledger, the target table and the outbox must then hold
 * each event exactly once.
 */
class SyncKillIT {

    private static final int EVENTS = 2_000;
    private static final int KILL_AT = 1_000;
    private static final int THREADS = 4;
    private static final String SECRET = "crash-sync-github-secret";
    private static final String CONSUMER = "github-issues";
    private static final String TOPIC = "hooksync.events.github";
    private static final String UPDATED_AT = "2024-05-01T12:00:00Z";
    private static final long FIRST_ISSUE_ID = 5_000_000_000L;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One event as a sender keeps it for re-sending: same delivery id, same bytes. */
    private record Event(String delivery, long issueId, byte[] body) {
    }

    @Test
    void eventsAreAppliedExactlyOnceAcrossSigkillAndResend() throws Exception {
        List<Event> events = events();
        EngineProcess engine = EngineProcess.builder("crash-sync").routesDir("routes").githubSecret(SECRET).create();
        boolean passed = false;
        try {
            engine.start();
            System.out.println("[crash-sync] engine " + engine.describe());

            // 1. the stream, SIGKILL when the KILL_AT-th 202 arrives
            Set<Integer> answered = ConcurrentHashMap.newKeySet();
            Map<Integer, String> notAnswered = new ConcurrentHashMap<>();
            AtomicInteger answers = new AtomicInteger();
            AtomicInteger next = new AtomicInteger();
            ConcurrentLinkedQueue<String> refusalsBeforeKill = new ConcurrentLinkedQueue<>();
            long streamStart = System.nanoTime();
            long[] killedAfterMillis = {-1};
            runOn(THREADS, () -> {
                for (int i = next.getAndIncrement(); i < EVENTS; i = next.getAndIncrement()) {
                    Event event = events.get(i);
                    String outcome;
                    try {
                        HttpResponse<String> response = post(engine, event);
                        if (response.statusCode() == 202) {
                            answered.add(i);
                            if (answers.incrementAndGet() == KILL_AT) {
                                engine.signalKill();
                                killedAfterMillis[0] = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - streamStart);
                            }
                            continue;
                        }
                        outcome = response.statusCode() + " " + response.body();
                        if (answers.get() < KILL_AT) {
                            refusalsBeforeKill.add(event.delivery() + ": " + outcome);
                        }
                    } catch (RuntimeException e) {
                        outcome = e.toString();
                    }
                    notAnswered.put(i, outcome);
                }
            });
            engine.kill();
            System.out.printf("[crash-sync] SIGKILL after %d ms at the %dth 202; %d answered 202, %d not answered%n",
                    killedAfterMillis[0], KILL_AT, answered.size(), notAnswered.size());
            assertThat(answered.size() + notAnswered.size()).isEqualTo(EVENTS);
            assertThat(answered.size()).as("answered 202 before the kill took effect").isBetween(KILL_AT, EVENTS - 1);

            OptionalLong orphan = engine.livePostmasterPid();
            assertThat(orphan).as("the SIGKILLed engine left its PostgreSQL server running").isPresent();
            long ledgerAtKill;
            try (Connection db = DriverManager.getConnection(engine.jdbcUrl(), "postgres", engine.databasePassword())) {
                ledgerAtKill = count(db, "SELECT count(*) FROM hooksync_ledger WHERE consumer = ?", CONSUMER);
            }
            System.out.printf("[crash-sync] ledger rows at the kill: %d of %d answered%n", ledgerAtKill,
                    answered.size());

            // 2. restart on the same data directory and ports
            long restartStart = System.nanoTime();
            engine.start();
            long restartMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - restartStart);
            assertThat(EngineProcess.alive(orphan.getAsLong()))
                    .as("the restarted engine stopped the PostgreSQL server left by the killed run").isFalse();

            // 3. a real sender re-sends everything that got no 202, with the same delivery id and bytes
            List<Event> resend = notAnswered.keySet().stream().sorted().map(events::get).collect(Collectors.toList());
            Map<String, String> resendFailures = new ConcurrentHashMap<>();
            AtomicInteger resendNext = new AtomicInteger();
            AtomicInteger resendRetries = new AtomicInteger();
            runOn(THREADS, () -> {
                for (int i = resendNext.getAndIncrement(); i < resend.size(); i = resendNext.getAndIncrement()) {
                    Event event = resend.get(i);
                    String last = null;
                    for (int attempt = 1; attempt <= 10; attempt++) {
                        try {
                            HttpResponse<String> response = post(engine, event);
                            if (response.statusCode() == 202) {
                                last = null;
                                break;
                            }
                            last = response.statusCode() + " " + response.body();
                        } catch (RuntimeException e) {
                            last = e.toString();
                        }
                        resendRetries.incrementAndGet();
                        sleep(500);
                    }
                    if (last != null) {
                        resendFailures.put(event.delivery(), last);
                    }
                }
            });
            assertThat(resendFailures).as("re-sent events never answered 202 after the restart").isEmpty();
            System.out.printf("[crash-sync] restart took %d ms; re-sent %d events (%d retries)%n", restartMillis,
                    resend.size(), resendRetries.get());

            // 4. the ledger catches up, and the route has consumed every record on the topic
            try (Connection db = DriverManager.getConnection(engine.jdbcUrl(), "postgres", engine.databasePassword())) {
                long waitStart = System.nanoTime();
                Await.until(Duration.ofSeconds(120), sql(() -> count(db,
                        "SELECT count(*) FROM hooksync_ledger WHERE consumer = ?", CONSUMER)), n -> n > ledgerAtKill);
                System.out.printf("[crash-sync] sink resumed %d ms after the restart was healthy%n",
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - restartStart) - restartMillis);
                Duration left = Duration.ofSeconds(120).minusNanos(System.nanoTime() - waitStart);
                Await.until(left.isNegative() ? Duration.ZERO : left, sql(() -> count(db,
                        "SELECT count(*) FROM hooksync_ledger WHERE consumer = ?", CONSUMER)), n -> n >= EVENTS);
                long ledgerMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - waitStart);
                Map<TopicPartition, Long> lag = awaitNoLag(engine.bootstrapServers(), "hooksync." + CONSUMER);
                long records = totalEndOffset(engine.bootstrapServers());
                System.out.printf("[crash-sync] ledger complete %d ms after the re-sends; %d records on %s (%d more "
                        + "than events); lag %s; sink counters after the restart: %s%n", ledgerMillis, records, TOPIC,
                        records - EVENTS, lag, sinkCounters(engine));

                // 5. exactly once, everywhere
                Set<String> deliveries = events.stream().map(Event::delivery).collect(Collectors.toSet());
                Set<Long> issueIds = events.stream().map(Event::issueId).collect(Collectors.toSet());

                assertThat(count(db, "SELECT count(*) FROM hooksync_ledger WHERE consumer = ?", CONSUMER))
                        .as("ledger rows of %s", CONSUMER).isEqualTo(EVENTS);
                assertThat(count(db, "SELECT count(DISTINCT event_id) FROM hooksync_ledger WHERE consumer = ?",
                        CONSUMER)).as("distinct event ids in the ledger of %s", CONSUMER).isEqualTo(EVENTS);
                assertThat(strings(db, "SELECT event_id FROM hooksync_ledger WHERE consumer = ?", CONSUMER))
                        .as("event ids in the ledger").containsExactlyInAnyOrderElementsOf(deliveries);
                assertThat(groups(db, "SELECT outcome, count(*) FROM hooksync_ledger WHERE consumer = ? GROUP BY outcome",
                        CONSUMER)).as("ledger outcomes (every issue is new, so every event applies)")
                        .isEqualTo(Map.of("applied", (long) EVENTS));

                assertThat(count(db, "SELECT count(*) FROM github_issues")).as("rows in github_issues")
                        .isEqualTo(EVENTS);
                assertThat(longs(db, "SELECT id FROM github_issues")).as("ids in github_issues")
                        .containsExactlyInAnyOrderElementsOf(issueIds);

                assertThat(count(db, "SELECT count(*) FROM hooksync_outbox WHERE event_type = 'issue.synced'"))
                        .as("issue.synced outbox rows").isEqualTo(EVENTS);
                assertThat(groups(db, "SELECT source_event_id, count(*) FROM hooksync_outbox "
                        + "WHERE event_type = 'issue.synced' GROUP BY source_event_id HAVING count(*) > 1"))
                        .as("events with more than one issue.synced outbox row").isEmpty();
                assertThat(strings(db, "SELECT source_event_id FROM hooksync_outbox WHERE event_type = 'issue.synced'"))
                        .as("events of the issue.synced outbox rows").containsExactlyInAnyOrderElementsOf(deliveries);
                assertThat(count(db, "SELECT count(*) FROM hooksync_outbox")).as("outbox rows of any type")
                        .isEqualTo(EVENTS);

                assertThat(strings(db, "SELECT event_id || ': ' || error FROM hooksync_dead_letters"))
                        .as("dead letters").isEmpty();
            }
            assertThat(refusalsBeforeKill).as("events refused while the engine was up (before the kill)").isEmpty();
            passed = true;
        } catch (Throwable t) {
            System.err.println(engine.logTail(200));
            throw t;
        } finally {
            boolean graceful = engine.stop();
            engine.close();
            if (passed) {
                assertThat(graceful).as("engine stopped within %s of SIGTERM and took its PostgreSQL with it",
                        EngineProcess.STOP_TIMEOUT).isTrue();
                engine.deleteData();
            }
        }
    }

    private static List<Event> events() throws Exception {
        ObjectNode fixture = (ObjectNode) JSON.readTree(
                Files.readAllBytes(Path.of("src/test/resources/fixtures/github/issues-opened.json")));
        List<Event> events = new ArrayList<>(EVENTS);
        for (int i = 0; i < EVENTS; i++) {
            ObjectNode event = fixture.deepCopy();
            long issueId = FIRST_ISSUE_ID + i;
            ((ObjectNode) event.get("issue")).put("id", issueId).put("number", i + 1)
                    .put("title", "crash sync #" + i).put("updated_at", UPDATED_AT);
            events.add(new Event(UUID.randomUUID().toString(), issueId,
                    JSON.writeValueAsString(event).getBytes(StandardCharsets.UTF_8)));
        }
        return events;
    }

    private static HttpResponse<String> post(EngineProcess engine, Event event) {
        return Http.post(engine.webhookUrl("github"), event.body(), Map.of("Content-Type", "application/json",
                "X-GitHub-Event", "issues", "X-GitHub-Delivery", event.delivery(),
                "X-Hub-Signature-256", Signing.github(SECRET, event.body())));
    }

    /** Runs {@code work} on {@code threads} threads and waits for all of them (10 minutes at most). */
    private static void runOn(int threads, Runnable work) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                futures.add(pool.submit(work));
            }
            for (Future<?> future : futures) {
                future.get(10, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** Waits until the consumer group has committed the end offset of every partition of the topic. */
    private static Map<TopicPartition, Long> awaitNoLag(String bootstrap, String group) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            return Await.until(Duration.ofSeconds(60), () -> lag(admin, group),
                    lag -> !lag.isEmpty() && lag.values().stream().allMatch(l -> l == 0));
        }
    }

    private static Map<TopicPartition, Long> lag(Admin admin, String group) {
        try {
            Set<TopicPartition> partitions = admin.describeTopics(List.of(TOPIC)).allTopicNames()
                    .get(10, TimeUnit.SECONDS).get(TOPIC).partitions().stream()
                    .map(p -> new TopicPartition(TOPIC, p.partition())).collect(Collectors.toSet());
            Map<TopicPartition, OffsetSpec> latest = new LinkedHashMap<>();
            partitions.forEach(p -> latest.put(p, OffsetSpec.latest()));
            Map<TopicPartition, Long> end = new TreeMap<>(java.util.Comparator.comparingInt(TopicPartition::partition));
            admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS).forEach((p, info) -> end.put(p, info.offset()));
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
            Map<TopicPartition, Long> lag = new TreeMap<>(java.util.Comparator.comparingInt(TopicPartition::partition));
            end.forEach((p, offset) -> {
                OffsetAndMetadata c = committed.get(p);
                lag.put(p, offset - (c == null ? 0 : c.offset()));
            });
            return lag;
        } catch (Exception e) {
            return Map.of();
        }
    }

    /** The engine's {@code hooksync.sink.events} counters of the route (since the restart), for the report. */
    private static List<String> sinkCounters(EngineProcess engine) {
        try {
            HttpResponse<String> response = Http.get(engine.baseUrl() + "/actuator/prometheus", engine.adminHeaders());
            if (response.statusCode() != 200) {
                return List.of("/actuator/prometheus answered " + response.statusCode());
            }
            return response.body().lines()
                    .filter(l -> l.startsWith("hooksync_sink_events_total") && l.contains("route=\"" + CONSUMER + "\""))
                    .collect(Collectors.toList());
        } catch (RuntimeException e) {
            return List.of(e.toString());
        }
    }

    private static long totalEndOffset(String bootstrap) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            Map<TopicPartition, OffsetSpec> latest = new LinkedHashMap<>();
            admin.describeTopics(List.of(TOPIC)).allTopicNames().get(10, TimeUnit.SECONDS).get(TOPIC).partitions()
                    .forEach(p -> latest.put(new TopicPartition(TOPIC, p.partition()), OffsetSpec.latest()));
            return admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS).values().stream()
                    .mapToLong(info -> info.offset()).sum();
        }
    }

    private interface SqlSupplier<T> {
        T get() throws SQLException;
    }

    private static <T> Supplier<T> sql(SqlSupplier<T> query) {
        return () -> {
            try {
                return query.get();
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        };
    }

    private static long count(Connection db, String sql, Object... args) throws SQLException {
        try (PreparedStatement statement = prepare(db, sql, args); ResultSet rs = statement.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static List<String> strings(Connection db, String sql, Object... args) throws SQLException {
        List<String> values = new ArrayList<>();
        try (PreparedStatement statement = prepare(db, sql, args); ResultSet rs = statement.executeQuery()) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        return values;
    }

    private static List<Long> longs(Connection db, String sql, Object... args) throws SQLException {
        List<Long> values = new ArrayList<>();
        try (PreparedStatement statement = prepare(db, sql, args); ResultSet rs = statement.executeQuery()) {
            while (rs.next()) {
                values.add(rs.getLong(1));
            }
        }
        return values;
    }

    /** First column (text) to second column (count). */
    private static Map<String, Long> groups(Connection db, String sql, Object... args) throws SQLException {
        Map<String, Long> values = new TreeMap<>();
        try (PreparedStatement statement = prepare(db, sql, args); ResultSet rs = statement.executeQuery()) {
            while (rs.next()) {
                values.put(rs.getString(1), rs.getLong(2));
            }
        }
        return values;
    }

    private static PreparedStatement prepare(Connection db, String sql, Object... args) throws SQLException {
        PreparedStatement statement = db.prepareStatement(sql);
        for (int i = 0; i < args.length; i++) {
            statement.setObject(i + 1, args[i]);
        }
        return statement;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
