package io.hooksync.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.stripe.net.Webhook;
import io.hooksync.infra.KafkaBackbone;
import io.hooksync.support.Http;
import io.hooksync.support.KafkaProbe;
import io.hooksync.support.Signing;
import io.hooksync.support.TestData;
import org.apache.camel.CamelContext;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The front door against the in-JVM broker: what is accepted lands unchanged; what is refused lands nowhere. */
@AutoConfigureObservability
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "GITHUB_WEBHOOK_SECRET=test-github-secret",
        "STRIPE_WEBHOOK_SECRET=whsec_test_stripe_secret",
        "SVIX_SECRET=whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
        "hooksync.sources.github.max-body=64KB",
        "hooksync.sources.limited.kind=github",
        "hooksync.sources.limited.secrets[0]=env:GITHUB_WEBHOOK_SECRET",
        "hooksync.sources.limited.rate-limit.requests=2",
        "hooksync.sources.limited.rate-limit.per=1h",
        "hooksync.sources.svix.kind=standard-webhooks",
        "hooksync.sources.svix.secrets[0]=env:SVIX_SECRET",
})
class IngressIT {

    private static final Path DATA = TestData.directory("ingress-it");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String GITHUB_SECRET = "test-github-secret";
    private static final String STRIPE_SECRET = "whsec_test_stripe_secret";

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestData.embedded(registry, DATA);
    }

    @LocalServerPort
    int port;

    @Autowired
    KafkaBackbone backbone;

    @Autowired
    CamelContext camel;

    private KafkaProbe kafka;
    private byte[] issue;

    @BeforeEach
    void setUp() throws IOException {
        kafka = new KafkaProbe(backbone.bootstrapServers());
        issue = Files.readAllBytes(Path.of("src/test/resources/fixtures/github/issues-opened.json"));
    }

    private String url(String source) {
        return "http://127.0.0.1:" + port + "/webhooks/" + source;
    }

    private Map<String, String> githubHeaders(byte[] body, String delivery) {
        Map<String, String> h = new HashMap<>();
        h.put("Content-Type", "application/json");
        h.put("X-GitHub-Event", "issues");
        h.put("X-GitHub-Delivery", delivery);
        h.put("X-Hub-Signature-256", Signing.github(GITHUB_SECRET, body));
        h.put("Authorization", "Bearer must-not-reach-kafka");
        return h;
    }

    @Test
    void acceptedGithubEventIsOnKafkaWithTheSameBytesAndOnlyCloudEventsHeaders() throws Exception {
        String delivery = UUID.randomUUID().toString();
        HttpResponse<String> response = Http.post(url("github"), issue, githubHeaders(issue, delivery));

        assertThat(response.statusCode()).isEqualTo(202);
        JsonNode answer = JSON.readTree(response.body());
        assertThat(answer.get("id").asText()).isEqualTo(delivery);
        ConsumerRecord<byte[], byte[]> record = kafka.recordAt(answer.get("topic").asText(),
                answer.get("partition").asInt(), answer.get("offset").asLong());
        assertThat(record.topic()).isEqualTo("hooksync.events.github");
        assertThat(record.value()).isEqualTo(issue);
        assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo(delivery);
        Map<String, String> headers = new LinkedHashMap<>();
        for (Header h : record.headers()) {
            headers.put(h.key(), new String(h.value(), StandardCharsets.UTF_8));
        }
        assertThat(headers.keySet()).containsExactlyInAnyOrder("ce_specversion", "ce_id", "ce_source", "ce_type",
                "ce_time", "content-type", "hooksync_action");
        assertThat(headers).containsEntry("ce_id", delivery).containsEntry("ce_source", "github")
                .containsEntry("ce_type", "issues").containsEntry("hooksync_action", "opened");
        assertThat(response.headers().firstValue("ce_id")).isEmpty();
    }

    @Test
    void githubFormEncodingIsAcceptedAndTheJsonPayloadLands() throws Exception {
        byte[] form = ("payload=" + URLEncoder.encode(new String(issue, StandardCharsets.UTF_8), StandardCharsets.UTF_8))
                .getBytes(StandardCharsets.US_ASCII);
        Map<String, String> headers = githubHeaders(form, UUID.randomUUID().toString());
        headers.put("Content-Type", "application/x-www-form-urlencoded");

        HttpResponse<String> response = Http.post(url("github"), form, headers);

        assertThat(response.statusCode()).isEqualTo(202);
        JsonNode answer = JSON.readTree(response.body());
        ConsumerRecord<byte[], byte[]> record = kafka.recordAt(answer.get("topic").asText(),
                answer.get("partition").asInt(), answer.get("offset").asLong());
        assertThat(JSON.readTree(record.value())).isEqualTo(JSON.readTree(issue));
    }

    @Test
    void stripeEventSignedByStripeJavaIsKeyedByItsObject() throws Exception {
        byte[] body = Files.readAllBytes(Path.of("examples/payloads/stripe-customer-created.json"));
        long t = System.currentTimeMillis() / 1000;
        String v1 = Webhook.Util.computeHmacSha256(STRIPE_SECRET, t + "." + new String(body, StandardCharsets.UTF_8));
        HttpResponse<String> response = Http.post(url("stripe"), body, Map.of("Content-Type",
                "application/json; charset=utf-8", "Stripe-Signature", "t=" + t + ",v1=" + v1));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        JsonNode answer = JSON.readTree(response.body());
        assertThat(answer.get("id").asText()).isEqualTo("evt_1QhooksyncDemo0001");
        assertThat(answer.get("type").asText()).isEqualTo("customer.created");
        ConsumerRecord<byte[], byte[]> record = kafka.recordAt(answer.get("topic").asText(),
                answer.get("partition").asInt(), answer.get("offset").asLong());
        assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo("cus_QhooksyncDemo01");
        assertThat(record.value()).isEqualTo(body);
    }

    @Test
    void standardWebhooksSourceAcceptsTheSpecVectorsShape() {
        byte[] body = "{\"type\":\"invoice.paid\",\"data\":{}}".getBytes(StandardCharsets.UTF_8);
        long t = System.currentTimeMillis() / 1000;
        String id = "msg_" + UUID.randomUUID();
        byte[] key = java.util.Base64.getDecoder().decode("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
        String sig = java.util.Base64.getEncoder().encodeToString(Signing.hmacSha256(key,
                (id + "." + t + "." + new String(body, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8)));
        HttpResponse<String> response = Http.post(url("svix"), body, Map.of("Content-Type", "application/json",
                "webhook-id", id, "webhook-timestamp", Long.toString(t), "webhook-signature", "v1," + sig));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        assertThat(response.body()).contains(id);
    }

    @Test
    void everyRefusalIsAProblemAndWritesNothing() throws Exception {
        long before = kafka.totalEndOffset("hooksync.events.");
        String delivery = UUID.randomUUID().toString();

        Map<String, String> wrongSignature = githubHeaders(issue, delivery);
        wrongSignature.put("X-Hub-Signature-256", Signing.github("another-secret", issue));
        assertProblem(Http.post(url("github"), issue, wrongSignature), 401, "signature-invalid");

        Map<String, String> noSignature = githubHeaders(issue, delivery);
        noSignature.remove("X-Hub-Signature-256");
        assertProblem(Http.post(url("github"), issue, noSignature), 401, "signature-missing");

        byte[] tampered = new String(issue, StandardCharsets.UTF_8).replace("Spelling", "Spellinf")
                .getBytes(StandardCharsets.UTF_8);
        assertProblem(Http.post(url("github"), tampered, githubHeaders(issue, delivery)), 401, "signature-invalid");

        byte[] broken = "{\"action\": \"opened\", ".getBytes(StandardCharsets.UTF_8);
        assertProblem(Http.post(url("github"), broken, githubHeaders(broken, delivery)), 400, "malformed-json");

        Map<String, String> noEvent = githubHeaders(issue, delivery);
        noEvent.remove("X-GitHub-Event");
        assertProblem(Http.post(url("github"), issue, noEvent), 400, "missing-event-type");

        HttpResponse<String> unknown = Http.post(url("nosuchsource"), issue, githubHeaders(issue, delivery));
        assertProblem(unknown, 404, "unknown-source");
        assertThat(unknown.body()).contains("webhooks are sent to /webhooks/<source name>");
        assertProblem(Http.get(url("github")), 405, "method-not-allowed");

        Map<String, String> plain = githubHeaders(issue, delivery);
        plain.put("Content-Type", "text/plain");
        assertProblem(Http.post(url("github"), issue, plain), 415, "unsupported-media-type");

        byte[] huge = new byte[100 * 1024];
        java.util.Arrays.fill(huge, (byte) ' ');
        assertProblem(Http.post(url("github"), huge, githubHeaders(huge, delivery)), 413, "body-too-large");
        assertProblem(Http.postChunked(url("github"), huge, githubHeaders(huge, delivery)), 413, "body-too-large");

        long t = System.currentTimeMillis() / 1000 - 301;
        byte[] stripe = Files.readAllBytes(Path.of("examples/payloads/stripe-customer-created.json"));
        String v1 = Webhook.Util.computeHmacSha256(STRIPE_SECRET, t + "." + new String(stripe, StandardCharsets.UTF_8));
        assertProblem(Http.post(url("stripe"), stripe, Map.of("Content-Type", "application/json",
                "Stripe-Signature", "t=" + t + ",v1=" + v1)), 401, "signature-expired");

        assertThat(kafka.totalEndOffset("hooksync.events.")).isEqualTo(before);
    }

    @Test
    void rateLimitAnswers429WithRetryAfterAndUnsignedJunkSpendsNoneOfIt() {
        for (int i = 0; i < 20; i++) {
            Map<String, String> junk = githubHeaders(issue, UUID.randomUUID().toString());
            junk.put("X-Hub-Signature-256", "sha256=" + "0".repeat(64));
            assertProblem(Http.post(url("limited"), issue, junk), 401, "signature-invalid");
        }
        int accepted = 0;
        HttpResponse<String> last = null;
        for (int i = 0; i < 3; i++) {
            last = Http.post(url("limited"), issue, githubHeaders(issue, UUID.randomUUID().toString()));
            if (last.statusCode() == 202) {
                accepted++;
            }
        }
        assertThat(accepted).isEqualTo(2);
        assertProblem(last, 429, "rate-limited");
        assertThat(last.headers().firstValue("Retry-After")).hasValueSatisfying(v ->
                assertThat(Long.parseLong(v)).isPositive());
    }

    @Test
    void aStoppedIngressRouteAnswers503WithRetryAfterNeverNotFound() throws Exception {
        camel.getRouteController().stopRoute(IngressRoute.ROUTE_ID);
        try {
            HttpResponse<String> stopped = Http.post(url("github"), issue, githubHeaders(issue, UUID.randomUUID().toString()));
            assertProblem(stopped, 503, "not-ready");
            assertThat(stopped.headers().firstValue("Retry-After")).hasValue("5");
            assertProblem(Http.post(url("nosuchsource"), issue, Map.of()), 503, "not-ready");
        } finally {
            camel.getRouteController().startRoute(IngressRoute.ROUTE_ID);
        }
        assertThat(Http.post(url("github"), issue, githubHeaders(issue, UUID.randomUUID().toString())).statusCode())
                .isEqualTo(202);
    }

    @Test
    void healthReportsKafkaAndDatabaseAndMetricsCountRejections() throws Exception {
        Http.post(url("github"), issue, Map.of("Content-Type", "application/json", "X-GitHub-Event", "issues",
                "X-GitHub-Delivery", "x", "X-Hub-Signature-256", "sha256=00"));
        // details are for logged-in callers only (anonymous health is just the status)
        JsonNode health = JSON.readTree(Http.get("http://127.0.0.1:" + port + "/actuator/health", Http.admin()).body());
        assertThat(health.at("/components/kafka/status").asText()).isEqualTo("UP");
        assertThat(health.at("/components/db/status").asText()).isEqualTo("UP");
        String metrics = Http.get("http://127.0.0.1:" + port + "/actuator/prometheus", Http.admin()).body();
        assertThat(metrics).containsPattern("hooksync_ingress_rejected_total\\{[^}]*reason=\"signature-invalid\"[^}]*source=\"github\"");
        assertThat(metrics).contains("hooksync_ingress_latency_seconds_bucket");
    }

    private static void assertProblem(HttpResponse<String> response, int status, String reason) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(v ->
                assertThat(v).startsWith("application/problem+json"));
        try {
            JsonNode problem = JSON.readTree(response.body());
            assertThat(problem.get("status").asInt()).isEqualTo(status);
            assertThat(problem.get("type").asText()).isEqualTo("urn:hooksync:problem:" + reason);
            assertThat(problem.get("detail").asText()).isNotBlank();
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + response.body(), e);
        }
    }
}
