package io.hooksync.crash;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hooksync.support.EngineProcess;
import io.hooksync.support.Http;
import io.hooksync.support.KafkaProbe;
import io.hooksync.support.Signing;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;

/**
 * Guarantee: a webhook answered 2xx is on Kafka (acks=all); SIGKILL of the engine right after the answer loses
 * nothing. The packaged engine runs in its own JVM with no routes (ingress only); 300 distinct signed GitHub
 * {@code issues} webhooks are posted from 8 threads, the engine is SIGKILLed the moment the last answer arrived,
 * started again on the same data directory, and the topic is read from the beginning.
 */
class IngressKillIT {

    private static final int EVENTS = 300;
    private static final int THREADS = 8;
    private static final String SECRET = "crash-ingress-github-secret";
    private static final String TOPIC = "hooksync.events.github";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void everyWebhookAnswered202IsOnKafkaAfterSigkill() throws Exception {
        ObjectNode fixture = (ObjectNode) JSON.readTree(
                Files.readAllBytes(Path.of("src/test/resources/fixtures/github/issues-opened.json")));
        Map<String, byte[]> bodies = new java.util.LinkedHashMap<>();
        for (int i = 0; i < EVENTS; i++) {
            ObjectNode event = fixture.deepCopy();
            ((ObjectNode) event.get("issue")).put("id", 3_000_000_000L + i).put("title", "crash ingress #" + i);
            bodies.put(UUID.randomUUID().toString(), JSON.writerWithDefaultPrettyPrinter()
                    .writeValueAsString(event).getBytes(StandardCharsets.UTF_8));
        }

        EngineProcess engine = EngineProcess.builder("crash-ingress").routesDir("src/test/resources/routes-none")
                .githubSecret(SECRET).create();
        boolean passed = false;
        try {
            engine.start();
            System.out.println("[crash-ingress] engine " + engine.describe());

            Set<String> accepted = ConcurrentHashMap.newKeySet();
            Map<String, String> refused = new ConcurrentHashMap<>();
            AtomicInteger done = new AtomicInteger();
            long sendStart = System.nanoTime();
            ExecutorService senders = Executors.newFixedThreadPool(THREADS);
            List<Future<?>> futures = new ArrayList<>();
            try {
                for (Map.Entry<String, byte[]> entry : bodies.entrySet()) {
                    futures.add(senders.submit(() -> {
                        try {
                            HttpResponse<String> response = Http.post(engine.webhookUrl("github"), entry.getValue(),
                                    headers(entry.getKey(), entry.getValue()));
                            if (response.statusCode() == 202) {
                                accepted.add(entry.getKey());
                            } else {
                                refused.put(entry.getKey(), response.statusCode() + " " + response.body());
                            }
                        } catch (RuntimeException e) {
                            refused.put(entry.getKey(), e.toString());
                        } finally {
                            if (done.incrementAndGet() == EVENTS) {
                                engine.signalKill(); // the very moment the last answer arrived
                            }
                        }
                    }));
                }
                for (Future<?> future : futures) {
                    future.get(5, TimeUnit.MINUTES);
                }
            } finally {
                senders.shutdownNow();
            }
            engine.kill();
            long sendMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sendStart);
            System.out.printf("[crash-ingress] %d answered 202, %d not, in %d ms; engine SIGKILLed%n", accepted.size(),
                    refused.size(), sendMillis);

            OptionalLong orphan = engine.livePostmasterPid();
            assertThat(orphan).as("the SIGKILLed engine left its PostgreSQL server running (the path the restart "
                    + "must handle)").isPresent();

            engine.start();

            assertThat(EngineProcess.alive(orphan.getAsLong()))
                    .as("the restarted engine stopped the PostgreSQL server left by the killed run").isFalse();
            assertThat(engine.livePostmasterPid()).as("a new PostgreSQL server runs on the data directory")
                    .isPresent().isNotEqualTo(orphan);

            List<ConsumerRecord<byte[], byte[]>> records;
            long endOffsets;
            try (KafkaProbe kafka = new KafkaProbe(engine.bootstrapServers())) {
                records = kafka.readAll(TOPIC, accepted.size());
                endOffsets = kafka.totalEndOffset(TOPIC);
            }
            List<String> ids = new ArrayList<>();
            Map<String, byte[]> valueById = new TreeMap<>();
            for (ConsumerRecord<byte[], byte[]> record : records) {
                String id = header(record, "ce_id");
                ids.add(id);
                valueById.put(id, record.value());
            }
            Set<String> lost = new java.util.TreeSet<>(accepted);
            lost.removeAll(ids);
            assertThat(lost).as("deliveries answered 202 but not on %s after SIGKILL and restart (%d records read)",
                    TOPIC, records.size()).isEmpty();
            assertThat(ids).as("ce_id of every record on %s: each 202 answer exactly once, nothing else", TOPIC)
                    .containsExactlyInAnyOrderElementsOf(accepted);
            assertThat(records).as("records on %s", TOPIC).hasSize(accepted.size());
            assertThat(endOffsets).as("sum of end offsets of %s", TOPIC).isEqualTo(accepted.size());
            for (Map.Entry<String, byte[]> entry : valueById.entrySet()) {
                assertThat(entry.getValue()).as("value of the record of delivery %s equals the posted bytes",
                        entry.getKey()).isEqualTo(bodies.get(entry.getKey()));
            }
            assertThat(refused).as("webhooks not answered 202 while the engine was up").isEmpty();
            assertThat(accepted).hasSize(EVENTS);
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

    private static Map<String, String> headers(String delivery, byte[] body) {
        return Map.of("Content-Type", "application/json", "X-GitHub-Event", "issues", "X-GitHub-Delivery", delivery,
                "X-Hub-Signature-256", Signing.github(SECRET, body));
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
