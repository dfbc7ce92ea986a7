package io.hooksync.crash;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hooksync.support.Await;
import io.hooksync.support.EngineProcess;
import io.hooksync.support.ExternalDatabases;
import io.hooksync.support.Http;
import io.hooksync.support.Receiver;
import io.hooksync.support.Signing;
import io.hooksync.support.TestData;
import io.hooksync.support.UsesPostgres;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * Scale-out on one Kafka: a standalone broker process (Kafka's server classes from the Maven jars), two
 * engine processes against it and the local PostgreSQL, a stream of signed GitHub issue webhooks through
 * both, one engine SIGKILLed half way. In the end every accepted event is applied exactly once (ledger,
 * rows, outbox), every issue.synced message reached the receiver at least once, and no message was being
 * delivered by the two instances at the same time.
 */
@UsesPostgres
class ScaleOutIT {

    private static final int EVENTS = 400;
    private static final int KILL_AT = 200;
    /** Set explicitly, so the group sizes below do not follow the default. */
    private static final int CONSUMERS_PER_ROUTE = 3;
    private static final String SECRET = "scale-out-github-secret";
    private static final String DATABASE = "hooksync_scale_out_it";
    private static final ObjectMapper JSON = new ObjectMapper();

    private record Event(String delivery, byte[] body) {
    }

    @Test
    void twoInstancesShareTheWorkAndSurviveTheLossOfOne() throws Exception {
        Path dir = TestData.directory("scale-out");
        int kafkaPort = freePort();
        int controllerPort = freePort();
        Process broker = startBroker(dir.resolve("kafka"), kafkaPort, controllerPort);
        String jdbcUrl = ExternalDatabases.freshPostgres(DATABASE);
        // each request is held 30 ms so that two instances sending one message at once would overlap
        Receiver receiver = new Receiver(i -> new Receiver.Reply(204, Map.of(), 30));
        String endpointSecret = "whsec_" + java.util.Base64.getEncoder().encodeToString(new byte[32]);
        // instances on one database share the key that encrypts endpoint secrets at rest
        byte[] atRestKey = new byte[32];
        new java.security.SecureRandom().nextBytes(atRestKey);
        String encryptionKey = java.util.Base64.getEncoder().encodeToString(atRestKey);
        List<EngineProcess> engines = new ArrayList<>();
        try {
            for (String name : List.of("scale-a", "scale-b")) {
                EngineProcess engine = EngineProcess.builder(name).routesDir("routes").githubSecret(SECRET)
                        .arg("--hooksync.kafka.bootstrap-servers=127.0.0.1:" + kafkaPort)
                        .arg("--spring.datasource.url=" + jdbcUrl).arg("--spring.datasource.username=postgres")
                        .arg("--hooksync.outbound.allowed-networks=127.0.0.1/32")
                        .arg("--hooksync.outbound.endpoints.crm.url=" + receiver.url())
                        .arg("--hooksync.outbound.endpoints.crm.event-types=issue.synced")
                        .arg("--hooksync.outbound.endpoints.crm.secret=env:CRM_SECRET")
                        .arg("--CRM_SECRET=" + endpointSecret)
                        .arg("--hooksync.outbound.encryption-keys[0]=env:SCALE_OUT_ENCRYPTION_KEY")
                        .arg("--SCALE_OUT_ENCRYPTION_KEY=" + encryptionKey)
                        .arg("--hooksync.outbound.delivery.timeout=2s")
                        .arg("--hooksync.outbound.delivery.connect-timeout=1s")
                        .arg("--hooksync.outbound.delivery.lease-margin=5s")
                        .arg("--hooksync.sink.consumers-per-route=" + CONSUMERS_PER_ROUTE)
                        .create();
                engines.add(engine);
            }
            engines.get(0).start();   // creates the schema and topics first
            engines.get(1).start();
            EngineProcess a = engines.get(0);
            EngineProcess b = engines.get(1);
            // both instances take part: the sink route's group has both instances' consumer threads
            // (CONSUMERS_PER_ROUTE each), the delivery dispatcher's group one member per instance
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + kafkaPort))) {
                Await.until(Duration.ofSeconds(60), () -> members(admin, "hooksync.github-issues"),
                        n -> n == 2 * CONSUMERS_PER_ROUTE);
                Await.until(Duration.ofSeconds(60), () -> members(admin, "hooksync.delivery"), n -> n == 2);
            }

            List<Event> events = events();
            Set<String> accepted = ConcurrentHashMap.newKeySet();
            AtomicInteger next = new AtomicInteger();
            AtomicInteger answers = new AtomicInteger();
            ExecutorService pool = Executors.newFixedThreadPool(4);
            List<Future<?>> work = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                work.add(pool.submit(() -> {
                    for (int i = next.getAndIncrement(); i < EVENTS; i = next.getAndIncrement()) {
                        Event event = events.get(i);
                        // alternate between the instances, like a load balancer; after the kill only A answers
                        EngineProcess target = i % 2 == 0 || !b.isAlive() ? a : b;
                        for (int attempt = 0; attempt < 20 && !accepted.contains(event.delivery()); attempt++) {
                            try {
                                if (post(target, event).statusCode() == 202) {
                                    accepted.add(event.delivery());
                                    if (answers.incrementAndGet() == KILL_AT) {
                                        b.signalKill();
                                    }
                                }
                            } catch (RuntimeException refused) {
                                // the killed instance: the sender retries against the other one
                            }
                            target = a;
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : work) {
                f.get(5, TimeUnit.MINUTES);
            }
            pool.shutdown();
            b.kill();
            assertThat(accepted).as("every event accepted by one of the instances").hasSize(EVENTS);

            JdbcTemplate db = new JdbcTemplate(new DriverManagerDataSource(jdbcUrl, "postgres", ""));
            Await.until(Duration.ofMinutes(3), () -> db.queryForObject(
                    "SELECT count(*) FROM hooksync_ledger WHERE consumer = 'github-issues'", Long.class), n -> n >= EVENTS);
            Await.until(Duration.ofMinutes(3), () -> receiver.requests().stream().map(r -> r.header("webhook-id"))
                    .distinct().count(), n -> n >= EVENTS);

            Set<String> deliveries = events.stream().map(Event::delivery).collect(Collectors.toSet());
            assertThat(db.queryForList("SELECT event_id FROM hooksync_ledger WHERE consumer = 'github-issues'", String.class))
                    .as("ledger: each accepted event once").containsExactlyInAnyOrderElementsOf(deliveries);
            assertThat(db.queryForObject("SELECT count(*) FROM github_issues", Long.class)).isEqualTo(EVENTS);
            assertThat(db.queryForList("SELECT source_event_id FROM hooksync_outbox WHERE event_type = 'issue.synced'",
                    String.class)).as("one outbox row per event").containsExactlyInAnyOrderElementsOf(deliveries);

            List<Receiver.Request> requests = receiver.requests();
            Set<String> messageIds = db.queryForList("SELECT 'msg_' || (SELECT value FROM hooksync_settings"
                    + " WHERE name = 'message_id_prefix') || '_' || id FROM hooksync_outbox WHERE event_type = 'issue.synced'",
                    String.class).stream().collect(Collectors.toSet());
            assertThat(requests.stream().map(r -> r.header("webhook-id")).collect(Collectors.toSet()))
                    .as("every message delivered at least once").containsAll(messageIds);
            assertThat(overlapping(requests)).as("messages being delivered twice at the same time").isEmpty();
            System.out.printf("[scale-out] %d requests for %d messages (%d repeated after the kill)%n", requests.size(),
                    messageIds.size(), requests.size() - messageIds.size());
        } catch (Throwable t) {
            engines.forEach(e -> System.err.println(e.logTail(120)));
            throw t;
        } finally {
            engines.forEach(EngineProcess::stop);
            engines.forEach(EngineProcess::close);
            broker.destroy();
            broker.waitFor(30, TimeUnit.SECONDS);
            receiver.close();
            TestData.delete(dir);
        }
    }

    /** webhook-ids with two requests whose [arrival, arrival + 30 ms hold] windows intersect. */
    private static List<String> overlapping(List<Receiver.Request> requests) {
        Map<String, List<Receiver.Request>> byId = requests.stream()
                .collect(Collectors.groupingBy(r -> r.header("webhook-id")));
        List<String> overlaps = new ArrayList<>();
        byId.forEach((id, list) -> {
            list.sort(Comparator.comparingLong(Receiver.Request::receivedAtMs));
            for (int i = 1; i < list.size(); i++) {
                if (list.get(i).receivedAtMs() - list.get(i - 1).receivedAtMs() < 30) {
                    overlaps.add(id);
                }
            }
        });
        return overlaps;
    }

    private static int members(Admin admin, String group) {
        try {
            return admin.describeConsumerGroups(List.of(group)).all().get(10, TimeUnit.SECONDS).get(group).members().size();
        } catch (Exception e) {
            return -1;
        }
    }

    private static Process startBroker(Path logDir, int port, int controllerPort) throws Exception {
        Files.createDirectories(logDir);
        Process broker = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
                "-cp", System.getProperty("java.class.path"), "io.hooksync.bench.BenchBroker", logDir.toString(),
                Integer.toString(port), Integer.toString(controllerPort))
                .redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(broker.getInputStream(), StandardCharsets.UTF_8));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        String line;
        while ((line = out.readLine()) != null) {
            if (line.startsWith("READY ")) {
                Thread drain = new Thread(() -> {
                    try {
                        while (out.readLine() != null) {
                            // keep the pipe empty
                        }
                    } catch (IOException ignored) {
                        // the broker is gone
                    }
                }, "broker-output");
                drain.setDaemon(true);
                drain.start();
                return broker;
            }
            if (System.nanoTime() > deadline) {
                break;
            }
        }
        broker.destroyForcibly();
        throw new IllegalStateException("the standalone Kafka broker did not start");
    }

    private static List<Event> events() throws IOException {
        ObjectNode fixture = (ObjectNode) JSON.readTree(
                Files.readAllBytes(Path.of("src/test/resources/fixtures/github/issues-opened.json")));
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < EVENTS; i++) {
            ObjectNode event = fixture.deepCopy();
            ((ObjectNode) event.get("issue")).put("id", 7_000_000_000L + i).put("number", i + 1)
                    .put("title", "scale-out #" + i).put("updated_at", "2024-05-01T12:00:00Z");
            events.add(new Event(UUID.randomUUID().toString(), JSON.writeValueAsBytes(event)));
        }
        return events;
    }

    private static HttpResponse<String> post(EngineProcess engine, Event event) {
        return Http.post(engine.webhookUrl("github"), event.body(), Map.of("Content-Type", "application/json",
                "X-GitHub-Event", "issues", "X-GitHub-Delivery", event.delivery(),
                "X-Hub-Signature-256", Signing.github(SECRET, event.body())));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
