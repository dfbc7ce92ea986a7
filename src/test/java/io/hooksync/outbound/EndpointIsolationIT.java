package io.hooksync.outbound;

import static io.hooksync.support.TestData.freePort;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hooksync.HooksyncApplication;
import io.hooksync.support.Await;
import io.hooksync.support.Http;
import io.hooksync.support.Outbox;
import io.hooksync.support.Receiver;
import io.hooksync.support.TestData;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * One endpoint's trouble stays its own, on the real machinery (relay, Kafka, dispatcher, deliverer, HTTP
 * to receivers on 127.0.0.1): an endpoint answering 410 gets no request after its first, although many
 * deliveries were already claimed and queued for it; pathological filters (endless recursion, long
 * loops) do not hold up a healthy endpoint subscribed to the same messages. One request at a time per
 * endpoint ({@code concurrency-per-endpoint=1}), so everything after the first request to an endpoint
 * waits, claimed, in its lane.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(OutputCaptureExtension.class)
class EndpointIsolationIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path data = TestData.directory("isolation");
    private final int httpPort = freePort();
    private final List<Receiver> receivers = new ArrayList<>();
    private ConfigurableApplicationContext engine;

    @BeforeAll
    void start() {
        engine = new SpringApplicationBuilder(HooksyncApplication.class).run(
                Http.withAdminToken(TestData.outboundEngine(data, httpPort,
                "--hooksync.outbound.delivery.concurrency-per-endpoint=1",
                "--hooksync.outbound.delivery.schedule=0s,1s,1s",
                "--hooksync.outbound.delivery.timeout=5s",
                "--hooksync.outbound.delivery.connect-timeout=1s")));
    }

    @AfterAll
    void stop() {
        if (engine != null) {
            engine.close();
        }
        receivers.forEach(Receiver::close);
        TestData.delete(data);
    }

    private Receiver receiver(Receiver r) {
        receivers.add(r);
        return r;
    }

    private String api(String path) {
        return "http://127.0.0.1:" + httpPort + "/api" + path;
    }

    private HttpResponse<String> post(String url, String type, String filter) throws IOException {
        Map<String, Object> body = new HashMap<>(Map.of("url", url, "eventTypes", List.of(type)));
        if (filter != null) {
            body.put("filter", filter);
        }
        return Http.json("POST", api("/endpoints"), JSON.writeValueAsString(body), Http.admin());
    }

    private String createEndpoint(String url, String type, String filter) throws IOException {
        HttpResponse<String> created = post(url, type, filter);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return JSON.readTree(created.body()).get("id").asText();
    }

    private JsonNode endpoint(String id) {
        try {
            return JSON.readTree(Http.get(api("/endpoints/" + id), Http.admin()).body());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes an outbox row the way the sink does; the relay takes it from there. */
    private void emit(String type, String key, String json) {
        Outbox.emit(engine, type, key, json);
    }

    private double counter(String name, String... tags) {
        Counter counter = engine.getBean(MeterRegistry.class).find(name).tags(tags).counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void anEndpointAnswering410GetsNoFurtherRequestAndTheDeliveriesQueuedForItAreReleased() throws Exception {
        // the 410 comes after a second, while the endpoint's other deliveries wait, claimed, in its lane
        Receiver gone = receiver(new Receiver(i -> new Receiver.Reply(410, Map.of(), 1_000)));
        Receiver healthy = receiver(Receiver.ok());
        String goneId = createEndpoint(gone.url(), "gone.tick", null);
        createEndpoint(healthy.url(), "gone.tick", null);
        int messages = 30;
        for (int i = 0; i < messages; i++) {
            emit("gone.tick", "g" + i, "{\"n\":" + i + "}");
        }

        Await.until(Duration.ofSeconds(30), healthy::requests, r -> r.size() >= messages);
        Await.until(Duration.ofSeconds(30), () -> endpoint(goneId).get("enabled").asBoolean(), on -> !on);
        JdbcTemplate jdbc = engine.getBean(JdbcTemplate.class);
        // disabled, and nothing is claimed for it any more: nothing more can be sent to it
        Await.until(Duration.ofSeconds(60), () -> jdbc.queryForObject("SELECT COUNT(*) FROM hooksync_deliveries"
                + " WHERE endpoint_id = ? AND locked_until > 0", Integer.class, goneId), n -> n == 0);

        assertThat(gone.requests()).as("exactly one request reached the receiver").hasSize(1);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM hooksync_attempts WHERE endpoint_id = ?", Integer.class,
                goneId)).isEqualTo(1);
        Map<String, Long> states = jdbc.queryForList("SELECT status, attempts FROM hooksync_deliveries WHERE endpoint_id = ?",
                goneId).stream().collect(Collectors.groupingBy(r -> r.get("status") + ":" + r.get("attempts"),
                Collectors.counting()));
        assertThat(states).containsEntry("failed:1", 1L);
        assertThat(states.keySet()).as("the others were released unsent, as a disabled endpoint's deliveries wait")
                .containsOnly("failed:1", "pending:0");
        // some had been claimed and queued behind the first request (released), the rest were never claimed
        assertThat(counter("hooksync.delivery.released", "endpoint", goneId))
                .isBetween(1.0, states.getOrDefault("pending:0", 0L).doubleValue());
        assertThat(healthy.requests().stream().map(r -> r.header("webhook-id")).distinct()).hasSize(messages);
        assertThat(endpoint(goneId).get("disabledReason").asText()).contains("410");
    }

    @Test
    void pathologicalFiltersKeepMessagesFromTheirOwnEndpointsOnly(CapturedOutput output) throws Exception {
        Map<String, String> pathological = Map.of(
                "recursion", "($f := function($x){ 1 + $f($x) }; $f(1)) > 0",
                "tail-recursion", "($f := function($x){ $f($x) }; $f(1))",
                "loop", "$sum([1..100000].($sum([1..100000]))) > 0");
        Map<String, String> ids = new HashMap<>();
        Receiver bad = receiver(Receiver.ok());
        for (Map.Entry<String, String> filter : pathological.entrySet()) {
            ids.put(filter.getKey(), createEndpoint(bad.url(), "filtered.tick", filter.getValue()));
        }
        Receiver healthy = receiver(Receiver.ok());
        createEndpoint(healthy.url(), "filtered.tick", "n >= 0");
        int messages = 30;
        for (int i = 0; i < messages; i++) {
            emit("filtered.tick", "f" + i, "{\"n\":" + i + "}");
        }

        Await.until(Duration.ofSeconds(30), healthy::requests, r -> r.size() >= messages);
        assertThat(bad.requests()).isEmpty();
        for (String id : ids.values()) {
            // three bound violations in a row, then the filter is set aside: not evaluated, counted, logged once
            assertThat(counter("hooksync.delivery.filter.failures", "endpoint", id, "reason", "bounds"))
                    .isEqualTo(EndpointFilters.BROKEN_AFTER);
            assertThat(counter("hooksync.delivery.filter.failures", "endpoint", id, "reason", "broken"))
                    .isEqualTo(messages - EndpointFilters.BROKEN_AFTER);
            assertThat(output.getAll().split("Endpoint " + id + ": its filter exceeded its bounds", -1)).hasSize(2);
        }
    }

    @Test
    void theApiRefusesAnOverlongOrUnparsableFilterNamingTheLimit() throws Exception {
        Receiver receiver = receiver(Receiver.ok());
        HttpResponse<String> overlong = post(receiver.url(), "x.y", "n > 1" + " ".repeat(5_000));
        assertThat(overlong.statusCode()).isEqualTo(400);
        assertThat(overlong.headers().firstValue("Content-Type").orElse("")).contains("problem+json");
        JsonNode error = JSON.readTree(overlong.body()).get("errors").get(0);
        assertThat(error.get("field").asText()).isEqualTo("filter");
        assertThat(error.get("message").asText()).isEqualTo("at most 4096 characters (was 5005)");
        HttpResponse<String> nested = post(receiver.url(), "x.y", "(".repeat(2_000) + "1" + ")".repeat(2_000));
        assertThat(nested.statusCode()).isEqualTo(400);
        assertThat(nested.body()).contains("nested too deeply to parse");
    }
}
