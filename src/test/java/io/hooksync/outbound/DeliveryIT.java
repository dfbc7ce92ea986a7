package io.hooksync.outbound;

import static io.hooksync.support.TestData.freePort;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.io.IOException;
import java.net.http.HttpHeaders;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.svix.Webhook;
import io.hooksync.HooksyncApplication;
import io.hooksync.support.Await;
import io.hooksync.support.Http;
import io.hooksync.support.Outbox;
import io.hooksync.support.Receiver;
import io.hooksync.support.TestData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Outbound delivery end to end on the real machinery: outbox rows -> relay -> Kafka -> dispatcher ->
 * deliveries -> HTTP to receivers on 127.0.0.1 (allow-listed), with short retry and breaker settings.
 * Signatures are checked with svix's own library. One engine for the class; one test restarts it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(OutputCaptureExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DeliveryIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path data = TestData.directory("delivery");
    private final int httpPort = freePort();
    private final int kafkaPort = freePort();
    private final int controllerPort = freePort();
    private final int databasePort = freePort();
    private final List<Receiver> receivers = new ArrayList<>();
    private ConfigurableApplicationContext engine;

    @BeforeAll
    void start() {
        engine = startEngine();
    }

    @AfterAll
    void stop() {
        if (engine != null) {
            engine.close();
        }
        receivers.forEach(Receiver::close);
        TestData.delete(data);
    }

    /** Extra arguments of the engine (a subclass points it at another database). */
    String[] database() {
        return new String[0];
    }

    private ConfigurableApplicationContext startEngine() {
        List<String> args = new ArrayList<>(List.of(
                "--hooksync.data-dir=" + data, "--hooksync.kafka.embedded.port=" + kafkaPort,
                "--hooksync.kafka.embedded.controller-port=" + controllerPort,
                "--hooksync.database.embedded.port=" + databasePort, "--server.port=" + httpPort,
                "--hooksync.routes-dir=src/test/resources/routes-none", "--hooksync.routes-reload=false",
                "--hooksync.management.admin-password=" + Http.ADMIN_PASSWORD, "--spring.main.banner-mode=off",
                "--GITHUB_WEBHOOK_SECRET=unused", "--STRIPE_WEBHOOK_SECRET=whsec_unused",
                "--hooksync.outbound.allowed-networks=127.0.0.1/32",
                "--hooksync.outbound.relay-interval=50ms",
                "--hooksync.outbound.delivery.schedule=0s,1s,1s,1s",
                "--hooksync.outbound.delivery.timeout=1s",
                "--hooksync.outbound.delivery.connect-timeout=1s",
                "--hooksync.outbound.breaker.sliding-window=4",
                "--hooksync.outbound.breaker.minimum-calls=4",
                "--hooksync.outbound.breaker.open-for=3s",
                "--hooksync.outbound.breaker.half-open-calls=1"));
        Http.adminTokenArguments().forEach(argument -> args.add("--" + argument));
        args.addAll(List.of(database()));
        return new SpringApplicationBuilder(HooksyncApplication.class).run(args.toArray(String[]::new));
    }

    private Receiver receiver(Receiver r) {
        receivers.add(r);
        return r;
    }

    private String api(String path) {
        return "http://127.0.0.1:" + httpPort + "/api" + path;
    }

    private JsonNode createEndpoint(String url, String... types) throws IOException {
        String body = JSON.writeValueAsString(Map.of("url", url, "eventTypes", List.of(types)));
        HttpResponse<String> created = Http.json("POST", api("/endpoints"), body, Http.admin());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return JSON.readTree(created.body());
    }

    private JsonNode getJson(String path) {
        HttpResponse<String> response = Http.get(api(path), Http.admin());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Writes an outbox row the way the sink does; the relay takes it from there. Like the sink, a write chosen as a
     * deadlock victim is tried again: on MariaDB the relay's locking read (FOR UPDATE SKIP LOCKED, next-key locks on
     * the pending rows) and a concurrent insert can deadlock, which the sink counts as an outage and retries.
     */
    private void emit(String type, String key, String json) {
        for (int attempt = 1; ; attempt++) {
            try {
                Outbox.emit(engine, type, key, json);
                return;
            } catch (org.springframework.dao.CannotAcquireLockException deadlock) {
                if (attempt == 3) {
                    throw deadlock;
                }
            }
        }
    }

    private static void svixVerifies(String secret, Receiver.Request request) {
        HttpHeaders headers = HttpHeaders.of(Map.of(
                "webhook-id", List.of(request.header("webhook-id")),
                "webhook-timestamp", List.of(request.header("webhook-timestamp")),
                "webhook-signature", List.of(request.header("webhook-signature"))), (a, b) -> true);
        assertThatCode(() -> new Webhook(secret).verify(request.body(), headers)).doesNotThrowAnyException();
    }

    @Test
    @Order(1)
    void aFlakyReceiverGetsTheMessageOnceAfterNFailuresWithTheSameIdAndEveryAttemptLogged() throws Exception {
        Receiver flaky = receiver(new Receiver(i -> Receiver.Reply.status(i < 2 ? 500 : 204)));
        JsonNode endpoint = createEndpoint(flaky.url(), "issue.*");
        String id = endpoint.get("id").asText();
        String secret = endpoint.get("secret").asText();
        assertThat(secret).startsWith("whsec_");
        assertThat(getJson("/endpoints/" + id).get("secret").asText()).startsWith("whsec_****").isNotEqualTo(secret);

        emit("issue.synced", "github_issues:1", "{\"table\":\"github_issues\",\"data\":{\"id\":1,\"title\":\"Spelling\"}}");

        Await.until(Duration.ofSeconds(30), flaky::requests, r -> r.size() >= 3);
        Thread.sleep(2_500);   // nothing more may arrive after the success
        List<Receiver.Request> requests = flaky.requests();
        assertThat(requests).hasSize(3);
        assertThat(requests.stream().map(r -> r.header("webhook-id")).distinct()).hasSize(1);
        requests.forEach(r -> svixVerifies(secret, r));
        JsonNode body = JSON.readTree(requests.get(2).body());
        assertThat(body.get("type").asText()).isEqualTo("issue.synced");
        assertThat(body.get("data").get("data").get("title").asText()).isEqualTo("Spelling");
        assertThat(body.has("timestamp")).isTrue();

        JsonNode attempts = Await.until(Duration.ofSeconds(10), () -> getJson("/endpoints/" + id + "/attempts"),
                a -> a.get("data").size() == 3);
        List<String> outcomes = new ArrayList<>();
        attempts.get("data").forEach(a -> outcomes.add(a.get("outcome").asText() + ":" + a.get("statusCode").asText()));
        assertThat(outcomes).containsExactly("delivered:204", "failed:500", "failed:500");
        JsonNode deliveries = getJson("/endpoints/" + id + "/deliveries");
        assertThat(deliveries.get("data").get(0).get("status").asText()).isEqualTo("delivered");
        assertThat(deliveries.get("data").get(0).get("attempts").asInt()).isEqualTo(3);
    }

    @Test
    @Order(2)
    void aHangingReceiverTripsItsBreakerWhileAHealthyEndpointGetsEverything() throws Exception {
        Receiver hanging = receiver(new Receiver(i -> new Receiver.Reply(200, Map.of(), 4_000)));
        Receiver healthy = receiver(Receiver.ok());
        String hangingId = createEndpoint(hanging.url(), "load.*").get("id").asText();
        createEndpoint(healthy.url(), "load.*");
        int messages = 40;
        long started = System.currentTimeMillis();
        for (int i = 0; i < messages; i++) {
            emit("load.tick", "k" + i, "{\"n\":" + i + "}");
        }
        Await.until(Duration.ofSeconds(30), healthy::requests, r -> r.size() >= messages);
        long healthyDone = healthy.requests().stream().mapToLong(Receiver.Request::receivedAtMs).max().orElseThrow();
        // the hanging endpoint's breaker opened: it was not sent every message and every retry
        Await.until(Duration.ofSeconds(15), () -> getJson("/endpoints/" + hangingId).get("circuitBreaker").asText(),
                s -> !s.equals("CLOSED"));
        assertThat(hanging.requests().size()).isLessThan(messages);
        assertThat(healthy.requests().stream().map(r -> r.header("webhook-id")).collect(Collectors.toSet()))
                .hasSize(messages);
        // the healthy receiver was not made to wait for the hanging one's 1 s timeouts, message by message
        assertThat(healthyDone - started).isLessThan(20_000);
    }

    @Test
    @Order(3)
    void goneDisablesTheEndpointAndAnExhaustedScheduleIsReportedThroughTheSameMachinery() throws Exception {
        Receiver operations = receiver(Receiver.ok());
        createEndpoint(operations.url(), "endpoint.disabled", "message.attempt.exhausted");
        Receiver gone = receiver(new Receiver(i -> Receiver.Reply.status(410)));
        Receiver failing = receiver(new Receiver(i -> Receiver.Reply.status(500)));
        String goneId = createEndpoint(gone.url(), "invoice.paid").get("id").asText();
        String failingId = createEndpoint(failing.url(), "invoice.paid").get("id").asText();

        emit("invoice.paid", "in_1", "{\"id\":\"in_1\"}");

        Await.until(Duration.ofSeconds(30), () -> getJson("/endpoints/" + goneId).get("enabled").asBoolean(), on -> !on);
        assertThat(getJson("/endpoints/" + goneId).get("disabledReason").asText()).contains("410");
        assertThat(gone.requests()).hasSize(1);
        Await.until(Duration.ofSeconds(30), failing::requests, r -> r.size() >= 4);
        List<Receiver.Request> news = Await.until(Duration.ofSeconds(30), operations::requests, r -> r.size() >= 2);
        Set<String> types = news.stream().map(r -> {
            try {
                return JSON.readTree(r.body()).get("type").asText() + ":" + JSON.readTree(r.body()).get("data")
                        .get("endpointId").asText();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }).collect(Collectors.toSet());
        assertThat(types).contains("endpoint.disabled:" + goneId, "message.attempt.exhausted:" + failingId);
        Thread.sleep(1_500);
        assertThat(failing.requests()).as("the schedule has 4 attempts").hasSize(4);
    }

    @Test
    @Order(4)
    void theApiRefusesInternalAddressesAndInvalidFieldsByName(CapturedOutput output) throws Exception {
        for (String url : List.of("http://169.254.169.254/latest/meta-data", "http://10.0.0.1/hook", "http://[::1]:8080/x",
                "http://127.0.0.2/hook")) {
            HttpResponse<String> refused = Http.json("POST", api("/endpoints"),
                    JSON.writeValueAsString(Map.of("url", url, "eventTypes", List.of("*"))), Http.admin());
            assertThat(refused.statusCode()).as(url).isEqualTo(400);
            assertThat(refused.headers().firstValue("Content-Type").orElse("")).contains("problem+json");
            assertThat(refused.body()).contains("url").contains("refused");
            assertThat(output.getAll()).contains("Endpoint URL " + ReceiverUrls.origin(url) + " refused by the SSRF guard")
                    .doesNotContain(url);   // the origin only: paths and queries may hold the receiver's credentials
        }
        HttpResponse<String> invalid = Http.json("POST", api("/endpoints"),
                "{\"url\":\"ftp://x\",\"eventTypes\":[\"a b\"],\"headers\":{\"webhook-id\":\"x\"},\"filter\":\"((\"}",
                Http.admin());
        assertThat(invalid.statusCode()).isEqualTo(400);
        JsonNode problem = JSON.readTree(invalid.body());
        List<String> fields = new ArrayList<>();
        problem.get("errors").forEach(e -> fields.add(e.get("field").asText()));
        assertThat(fields).contains("url", "eventTypes[0]", "headers.webhook-id", "filter");
        assertThat(Http.json("POST", api("/endpoints"), "{not json", Http.admin()).statusCode()).isEqualTo(400);
        assertThat(Http.get(api("/endpoints/nope"), Http.admin()).statusCode()).isEqualTo(404);
        assertThat(Http.get(api("/endpoints")).statusCode()).isEqualTo(401);
        assertThat(Http.get(api("/endpoints"), Http.basic("admin", "wrong")).statusCode()).isEqualTo(401);
    }

    @Test
    @Order(4)
    void everyApiRefusalIsAProblemOfTheApisOneAdvice() throws Exception {
        assertProblem(Http.get(api("/no-such-resource"), Http.admin()), 404, "not-found");
        assertProblem(Http.get(api("/endpoints/nope"), Http.admin()), 404, "not-found");
        assertProblem(Http.json("DELETE", api("/messages"), "", Http.admin()), 405, "method-not-allowed");
        Map<String, String> text = new java.util.HashMap<>(Http.admin());
        text.put("Content-Type", "text/plain");
        assertProblem(Http.post(api("/endpoints"), "url=x".getBytes(StandardCharsets.UTF_8), text), 415,
                "unsupported-media-type");
        JsonNode recover = assertProblem(Http.json("POST", api("/endpoints/nope/recover"), "{}", Http.admin()), 400,
                "invalid-request");
        assertThat(recover.get("errors").findValuesAsText("field")).containsExactly("since");
        JsonNode overlap = assertProblem(Http.json("POST", api("/endpoints/nope/rotate-secret"), "{\"overlap\":\"soon\"}",
                Http.admin()), 400, "invalid-request");
        assertThat(overlap.get("errors").findValuesAsText("field")).containsExactly("overlap");
        JsonNode limit = assertProblem(Http.get(api("/messages?limit=0"), Http.admin()), 400, "invalid-request");
        assertThat(limit.get("errors").findValuesAsText("field")).containsExactly("limit");
        JsonNode message = assertProblem(Http.get(api("/messages/abc/deliveries"), Http.admin()), 404, "not-found");
        assertThat(message.get("detail").asText()).startsWith("no message 'abc'");
        JsonNode since = assertProblem(Http.get(api("/messages?since=yesterday"), Http.admin()), 400, "invalid-request");
        assertThat(since.get("errors").get(0).get("message").asText())
                .isEqualTo("unknown query parameter (known: before, limit, type)");

        JsonNode schemas = JSON.readTree(Http.get("http://127.0.0.1:" + httpPort + "/v3/api-docs", Http.admin()).body())
                .path("components").path("schemas");
        assertThat(schemas.path("EndpointView").path("properties").has("previousSecretValidUntil")).isTrue();
        assertThat(schemas.path("Recover").path("required").toString()).contains("since");
        assertThat(schemas.path("DeadLetter").path("properties").has("event_id")).isTrue();
        assertThat(schemas.path("TimelineDeadLetter").path("properties").has("replayedAt")).isTrue();
        assertThat(schemas.path("Attempt").path("properties").has("responseBody")).isTrue();
    }

    private static JsonNode assertProblem(HttpResponse<String> response, int status, String reason) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        JsonNode problem = JSON.readTree(response.body());
        assertThat(problem.get("type").asText()).isEqualTo("urn:hooksync:problem:" + reason);
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        return problem;
    }

    @Test
    @Order(5)
    void duringASecretRotationBothSecretsSignAndTestEventsAndResendWork() throws Exception {
        Receiver receiver = receiver(Receiver.ok());
        JsonNode endpoint = createEndpoint(receiver.url(), "hooksync.test");
        String id = endpoint.get("id").asText();
        String oldSecret = endpoint.get("secret").asText();
        HttpResponse<String> rotated = Http.json("POST", api("/endpoints/" + id + "/rotate-secret"),
                "{\"overlap\":\"PT1H\"}", Http.admin());
        assertThat(rotated.statusCode()).isEqualTo(200);
        String newSecret = JSON.readTree(rotated.body()).get("secret").asText();
        assertThat(newSecret).startsWith("whsec_").isNotEqualTo(oldSecret);

        HttpResponse<String> test = Http.json("POST", api("/endpoints/" + id + "/test"), null, Http.admin());
        assertThat(test.statusCode()).isEqualTo(202);
        String messageId = JSON.readTree(test.body()).get("messageId").asText();
        Receiver.Request got = Await.until(Duration.ofSeconds(20), receiver::requests, r -> r.size() == 1).get(0);
        assertThat(got.header("webhook-id")).isEqualTo(messageId);
        assertThat(got.header("webhook-signature").split(" ")).hasSize(2);
        JsonNode deliveries = Await.until(Duration.ofSeconds(10), () -> getJson("/messages/" + messageId + "/deliveries")
                .get("data"), d -> d.size() == 1 && "delivered".equals(d.get(0).get("status").asText()));
        assertThat(deliveries.get(0).get("endpointId").asText()).isEqualTo(id);
        svixVerifies(oldSecret, got);
        svixVerifies(newSecret, got);

        assertThat(Http.json("POST", api("/endpoints/" + id + "/messages/" + messageId + "/resend"), null, Http.admin())
                .statusCode()).isEqualTo(202);
        List<Receiver.Request> both = Await.until(Duration.ofSeconds(20), receiver::requests, r -> r.size() == 2);
        assertThat(both.get(1).header("webhook-id")).isEqualTo(messageId);
    }

    @Test
    @Order(6)
    void anOrderedEndpointGetsAKeysMessagesInOrderEvenAcrossARetry() throws Exception {
        Receiver receiver = receiver(new Receiver(i -> Receiver.Reply.status(i == 0 ? 500 : 200)));
        String body = JSON.writeValueAsString(Map.of("url", receiver.url(), "eventTypes", List.of("order.*"), "ordered", true));
        HttpResponse<String> created = Http.json("POST", api("/endpoints"), body, Http.admin());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(JSON.readTree(created.body()).get("ordered").asBoolean()).isTrue();
        for (int i = 1; i <= 3; i++) {
            emit("order.step", "orders:42", "{\"step\":" + i + "}");
        }
        // only step 1 of key 42 may be in flight: it is the first request and gets the 500
        Await.until(Duration.ofSeconds(20), receiver::requests, r -> r.size() >= 1);
        emit("order.step", "orders:43", "{\"step\":99}");
        List<Receiver.Request> requests = Await.until(Duration.ofSeconds(30), receiver::requests, r -> r.size() >= 5);
        List<Integer> steps = new ArrayList<>();
        for (Receiver.Request r : requests) {
            steps.add(JSON.readTree(r.body()).at("/data/step").asInt());
        }
        // key 42: step 1 failed once and was retried before steps 2 and 3; key 43 was not held up by it
        assertThat(steps.stream().filter(s -> s != 99).toList()).containsExactly(1, 1, 2, 3);
        assertThat(steps).contains(99);
    }

    @Test
    @Order(7)
    void aRestartDuringAPendingRetryDeliversItOnce() throws Exception {
        Receiver receiver = receiver(new Receiver(i -> i == 0
                ? new Receiver.Reply(503, Map.of("Retry-After", "8"), 0) : Receiver.Reply.status(200)));
        String id = createEndpoint(receiver.url(), "restart.*").get("id").asText();
        emit("restart.test", "r1", "{\"n\":1}");
        Await.until(Duration.ofSeconds(20), receiver::requests, r -> r.size() == 1);
        Await.until(Duration.ofSeconds(10), () -> getJson("/endpoints/" + id + "/deliveries").get("data"),
                d -> d.size() == 1 && d.get(0).get("attempts").asInt() == 1);
        engine.close();
        engine = startEngine();
        List<Receiver.Request> requests = Await.until(Duration.ofSeconds(40), receiver::requests, r -> r.size() >= 2);
        Thread.sleep(3_000);
        requests = receiver.requests();
        assertThat(requests).hasSize(2);
        assertThat(requests.get(1).header("webhook-id")).isEqualTo(requests.get(0).header("webhook-id"));
        assertThat(requests.get(1).receivedAtMs() - requests.get(0).receivedAtMs())
                .as("Retry-After was honoured across the restart").isGreaterThanOrEqualTo(7_500);
    }
}
