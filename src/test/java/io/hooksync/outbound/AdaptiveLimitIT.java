package io.hooksync.outbound;

import static io.hooksync.support.TestData.freePort;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.hooksync.HooksyncApplication;
import io.hooksync.support.Await;
import io.hooksync.support.Http;
import io.hooksync.support.Outbox;
import io.hooksync.support.Receiver;
import io.hooksync.support.TestData;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * An endpoint's limit of requests in flight adapts to its receiver: from 2 it grows to the most allowed (8) while a
 * receiver answering 200 in 50 ms keeps up with a backlog, and the receiver never has more than that at once; once
 * the receiver answers 503 the limit falls back to 2, where it started.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AdaptiveLimitIT {

    private static final int MOST = 8;
    private static final int LEAST = 2;
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path data = TestData.directory("adaptive-limit");
    private final int httpPort = freePort();
    private ConfigurableApplicationContext engine;
    private Receiver receiver;

    @BeforeAll
    void start() {
        engine = new SpringApplicationBuilder(HooksyncApplication.class).run(
                Http.withAdminToken(TestData.outboundEngine(data, httpPort,
                "--hooksync.outbound.delivery.concurrency-per-endpoint=" + MOST,
                "--hooksync.outbound.delivery.min-concurrency-per-endpoint=" + LEAST,
                // the breaker would stop the 503s this test needs to see the limit fall (it has its own tests)
                "--hooksync.outbound.breaker.failure-rate-threshold=100",
                "--hooksync.outbound.breaker.sliding-window=1000")));
    }

    @AfterAll
    void stop() {
        if (engine != null) {
            engine.close();
        }
        if (receiver != null) {
            receiver.close();
        }
        TestData.delete(data);
    }

    @Test
    void theLimitGrowsWhileTheReceiverKeepsUpAndFallsBackWhenItIsOverloaded() throws Exception {
        receiver = new Receiver(i -> new Receiver.Reply(200, Map.of(), 50));
        String endpoint = Http.createEndpoint(httpPort, receiver.url(), "adaptive.tick");
        int messages = 300;
        for (int i = 0; i < messages; i++) {
            Outbox.emit(engine, "adaptive.tick", "a" + i, "{\"n\":" + i + "}");
        }
        Await.until(Duration.ofSeconds(60), receiver::requests, r -> r.size() >= messages);
        // the limit grew to the most allowed; the receiver had more than the starting 2 at once, never more than 8
        // (how many it sees at once at the top depends on how fast the messages reach the lane)
        assertThat(limit(endpoint)).isEqualTo(MOST);
        assertThat(receiver.mostAtOnce()).as("requests at the receiver at once").isBetween(LEAST + 1, MOST);

        // overloaded: every answer a 503; each round trip of them cuts the limit to 0.7 of itself (8, 5, 3), down to
        // where it started
        receiver.behave(i -> Receiver.Reply.status(503));
        for (int i = 0; i < 40; i++) {
            Outbox.emit(engine, "adaptive.tick", "b" + i, "{\"n\":" + i + "}");
        }
        Await.until(Duration.ofSeconds(30), () -> limit(endpoint), l -> l == LEAST);
        assertThat(receiver.requests()).hasSizeGreaterThan(messages);
    }

    /**
     * An endpoint's own maximum replaces the engine's for it: set at creation, lowered by a PATCH while deliveries
     * go on (requests started after it respect it), given back to the engine's setting with 0, refused out of bounds.
     */
    @Test
    void anEndpointsOwnMaximumBoundsItsRequestsInFlightAndCanBeChanged() throws Exception {
        try (Receiver own = new Receiver(i -> new Receiver.Reply(200, Map.of(), 50))) {
            String base = "http://127.0.0.1:" + httpPort + "/api/endpoints";
            HttpResponse<String> created = Http.json("POST", base, JSON.writeValueAsString(Map.of("url", own.url(),
                    "eventTypes", List.of("own.tick"), "maxInFlight", 3)), Http.admin());
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            JsonNode endpoint = JSON.readTree(created.body());
            assertThat(endpoint.get("maxInFlight").asInt()).isEqualTo(3);
            String id = endpoint.get("id").asText();
            for (int i = 0; i < 200; i++) {
                Outbox.emit(engine, "own.tick", "c" + i, "{\"n\":" + i + "}");
            }
            Await.until(Duration.ofSeconds(60), own::requests, r -> r.size() >= 200);
            assertThat(limit(id)).as("grown from 2 to its own maximum, not the engine's 8").isEqualTo(3);
            assertThat(own.mostAtOnce()).isBetween(LEAST + 1, 3);

            HttpResponse<String> lowered = Http.json("PATCH", base + "/" + id, "{\"maxInFlight\":1}", Http.admin());
            assertThat(lowered.statusCode()).as(lowered.body()).isEqualTo(200);
            assertThat(JSON.readTree(lowered.body()).get("maxInFlight").asInt()).isEqualTo(1);
            Await.until(Duration.ofSeconds(10), () -> limit(id), l -> l == 1);
            own.resetMostAtOnce();
            for (int i = 0; i < 40; i++) {
                Outbox.emit(engine, "own.tick", "d" + i, "{\"n\":" + i + "}");
            }
            Await.until(Duration.ofSeconds(60), own::requests, r -> r.size() >= 240);
            assertThat(own.mostAtOnce()).as("one at a time after the change").isEqualTo(1);

            HttpResponse<String> refused = Http.json("PATCH", base + "/" + id, "{\"maxInFlight\":257}", Http.admin());
            assertThat(refused.statusCode()).isEqualTo(400);
            assertThat(refused.body()).contains("maxInFlight").contains("1 to 256");
            HttpResponse<String> fraction = Http.json("PATCH", base + "/" + id, "{\"maxInFlight\":1.5}", Http.admin());
            assertThat(fraction.statusCode()).as("not silently 1").isEqualTo(400);
            assertThat(fraction.body()).contains("maxInFlight: a whole number");
            HttpResponse<String> misspelt = Http.json("PATCH", base + "/" + id, "{\"maxInFligth\":2}", Http.admin());
            assertThat(misspelt.statusCode()).as("not dropped without a word").isEqualTo(400);
            assertThat(misspelt.body()).contains("maxInFligth: unknown field (known: ").contains("maxInFlight");
            assertThat(limit(id)).as("the endpoint unchanged").isEqualTo(1);

            HttpResponse<String> reset = Http.json("PATCH", base + "/" + id, "{\"maxInFlight\":0}", Http.admin());
            assertThat(reset.statusCode()).as(reset.body()).isEqualTo(200);
            assertThat(JSON.readTree(reset.body()).get("maxInFlight").isNull()).as(reset.body()).isTrue();
            Await.until(Duration.ofSeconds(10), () -> limit(id), l -> l == LEAST);
        }
    }

    private int limit(String endpoint) {
        Gauge gauge = engine.getBean(MeterRegistry.class).find("hooksync.delivery.concurrency.limit")
                .tag("endpoint", endpoint).gauge();
        return gauge == null ? -1 : (int) gauge.value();
    }
}
