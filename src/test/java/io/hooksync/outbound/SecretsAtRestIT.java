package io.hooksync.outbound;

import static io.hooksync.support.TestData.freePort;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.http.HttpHeaders;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.svix.Webhook;
import io.hooksync.HooksyncApplication;
import io.hooksync.infra.InvalidConfigurationException;
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
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Endpoint secrets at rest in the whole engine (embedded PostgreSQL): the columns hold no secret or
 * header value, deliveries are still signed with the secret the API handed out (checked with svix's
 * verifier), a plaintext row written behind the engine's back is encrypted at the next start (which also
 * moves every row to a newly added first key), and a key list that cannot read the rows stops startup
 * naming the endpoints. Read-only tokens and the log see receiver URLs as their origin only.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(OutputCaptureExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SecretsAtRestIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String KEY_A = Base64.getEncoder().encodeToString("key-a-0123456789abcdef0123456789".getBytes());
    private static final String KEY_B = Base64.getEncoder().encodeToString("key-b-0123456789abcdef0123456789".getBytes());
    private static final String READ_TOKEN = "read-only-token-0123456789abcdef";
    private static final String HEADER_VALUE = "receiver-api-key-s3cret";
    private static final String LEGACY_SECRET = "whsec_" + Base64.getEncoder().encodeToString(new byte[32]);
    private static final String LEGACY_HEADER = "legacy-header-s3cret";
    private static final String DECLARED_SECRET = "whsec_" + Base64.getEncoder().encodeToString(new byte[40]);
    private static final String DECLARED_HEADER = "declared-header-s3cret";

    private final Path data = TestData.directory("secrets-at-rest");
    /** The engine's HTTP port, read after each start (server.port=0: a port picked ahead could be taken meanwhile). */
    private int httpPort;
    private final int kafkaPort = freePort();
    private final int controllerPort = freePort();
    private final int databasePort = freePort();
    private final Receiver receiver = Receiver.ok();
    private final Receiver legacyReceiver = Receiver.ok();
    private ConfigurableApplicationContext engine;
    private String endpointId;
    private String secret;

    @BeforeAll
    void start() {
        engine = startEngine("env:KEY_A");
    }

    @AfterAll
    void stop() {
        if (engine != null) {
            engine.close();
        }
        receiver.close();
        legacyReceiver.close();
        TestData.delete(data);
    }

    private ConfigurableApplicationContext startEngine(String keys) {
        ConfigurableApplicationContext started = new SpringApplicationBuilder(HooksyncApplication.class).run(Http.withAdminToken(
                "--hooksync.data-dir=" + data, "--hooksync.kafka.embedded.port=" + kafkaPort,
                "--hooksync.kafka.embedded.controller-port=" + controllerPort,
                "--hooksync.database.embedded.port=" + databasePort, "--server.port=0",
                "--hooksync.routes-dir=src/test/resources/routes-none", "--hooksync.routes-reload=false",
                "--hooksync.management.admin-password=" + Http.ADMIN_PASSWORD, "--spring.main.banner-mode=off",
                "--GITHUB_WEBHOOK_SECRET=unused", "--STRIPE_WEBHOOK_SECRET=whsec_unused",
                "--hooksync.management.tokens.viewer.secret=env:READ_TOKEN",
                "--hooksync.management.tokens.viewer.role=read", "--READ_TOKEN=" + READ_TOKEN,
                "--hooksync.outbound.encryption-keys=" + keys, "--KEY_A=" + KEY_A, "--KEY_B=" + KEY_B,
                "--hooksync.outbound.allowed-networks=127.0.0.1/32", "--hooksync.outbound.relay-interval=50ms",
                "--hooksync.outbound.endpoints.declared.url=" + receiver.url() + "/declared",
                "--hooksync.outbound.endpoints.declared.event-types=declared.*",
                "--hooksync.outbound.endpoints.declared.secret=env:DECLARED_SECRET", "--DECLARED_SECRET=" + DECLARED_SECRET,
                "--hooksync.outbound.endpoints.declared.headers.X-Declared=" + DECLARED_HEADER,
                "--hooksync.outbound.endpoints.declared.max-in-flight=2"));
        httpPort = started.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
        return started;
    }

    private String api(String path) {
        return "http://127.0.0.1:" + httpPort + "/api" + path;
    }

    private JsonNode get(String path, Map<String, String> credentials) throws IOException {
        HttpResponse<String> response = Http.get(api(path), credentials);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private Map<String, Object> row(String id) {
        return engine.getBean(JdbcTemplate.class).queryForMap(
                "SELECT url, secret, previous_secret, headers FROM hooksync_endpoints WHERE id = ?", id);
    }

    private void emit(String type, String key) {
        Outbox.emit(engine, type, key, "{\"id\":1}");
    }

    private static void svixVerifies(String secret, Receiver.Request request) {
        HttpHeaders headers = HttpHeaders.of(Map.of(
                "webhook-id", List.of(request.header("webhook-id")),
                "webhook-timestamp", List.of(request.header("webhook-timestamp")),
                "webhook-signature", List.of(request.header("webhook-signature"))), (a, b) -> true);
        assertThatCode(() -> new Webhook(secret).verify(request.body(), headers)).doesNotThrowAnyException();
    }

    private static String keyId(String base64) {
        return SecretCipher.keyId(Base64.getDecoder().decode(base64));
    }

    @Test
    @Order(1)
    void theDatabaseHoldsNoSecretYetDeliveriesAreSignedAndCarryTheHeader(CapturedOutput output) throws Exception {
        String url = receiver.url() + "/t0ken-in-path?key=query-s3cret";
        String body = JSON.writeValueAsString(Map.of("url", url, "eventTypes", List.of("secret.*"),
                "headers", Map.of("X-Receiver-Key", HEADER_VALUE)));
        HttpResponse<String> created = Http.json("POST", api("/endpoints"), body, Http.admin());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        endpointId = JSON.readTree(created.body()).get("id").asText();
        secret = JSON.readTree(created.body()).get("secret").asText();

        Map<String, Object> row = row(endpointId);
        assertThat((String) row.get("secret")).startsWith("enc:v1:" + keyId(KEY_A) + ":")
                .doesNotContain(secret.substring(6));
        assertThat((String) row.get("headers")).contains("X-Receiver-Key").doesNotContain(HEADER_VALUE);
        Map<String, Object> declared = row("declared");   // declared in configuration (GitOps): stored the same way
        assertThat((String) declared.get("secret")).startsWith("enc:v1:").doesNotContain(DECLARED_SECRET.substring(6));
        assertThat((String) declared.get("headers")).contains("X-Declared").doesNotContain(DECLARED_HEADER);

        emit("secret.checked", "k1");
        Receiver.Request request = Await.until(Duration.ofSeconds(30), receiver::requests, r -> !r.isEmpty()).get(0);
        svixVerifies(secret, request);
        assertThat(request.header("X-Receiver-Key")).isEqualTo(HEADER_VALUE);

        assertThat(output.getAll()).contains("Endpoint " + endpointId + " created for http://127.0.0.1:")
                .doesNotContain("t0ken-in-path").doesNotContain("query-s3cret").doesNotContain(HEADER_VALUE)
                .doesNotContain(secret).doesNotContain("hook/declared").doesNotContain(DECLARED_HEADER);
    }

    @Test
    @Order(2)
    void aReadTokenSeesTheReceiversOriginAndNoHeaderValueWhileAnAdminSeesTheWholeUrl() throws Exception {
        String origin = "http://127.0.0.1:" + receiver.url().split(":")[2].split("/")[0];
        Map<String, String> reader = Map.of("Authorization", "Bearer " + READ_TOKEN);
        JsonNode asReader = get("/endpoints/" + endpointId, reader);
        assertThat(asReader.get("url").asText()).isEqualTo(origin);
        assertThat(asReader.get("headers").get("X-Receiver-Key").asText()).isEqualTo("****");
        assertThat(get("/endpoints", reader).toString()).doesNotContain("t0ken-in-path").doesNotContain("query-s3cret")
                .doesNotContain(HEADER_VALUE).doesNotContain(secret);

        JsonNode asAdmin = get("/endpoints/" + endpointId, Http.admin());
        assertThat(asAdmin.get("url").asText()).isEqualTo(receiver.url() + "/t0ken-in-path?key=query-s3cret");
        assertThat(asAdmin.get("headers").get("X-Receiver-Key").asText()).isEqualTo("****");
        assertThat(asAdmin.get("maxInFlight").isNull()).as("the engine's setting").isTrue();
        assertThat(get("/endpoints/declared", reader).get("maxInFlight").asInt()).as("declared max-in-flight")
                .isEqualTo(2);
    }

    @Test
    @Order(3)
    void aRotatedSigningSecretKeepsBothSecretsEncrypted() throws Exception {
        HttpResponse<String> rotated = Http.json("POST", api("/endpoints/" + endpointId + "/rotate-secret"),
                "{\"overlap\":\"PT1H\"}", Http.admin());
        assertThat(rotated.statusCode()).as(rotated.body()).isEqualTo(200);
        String fresh = JSON.readTree(rotated.body()).get("secret").asText();
        Map<String, Object> row = row(endpointId);
        assertThat((String) row.get("secret")).startsWith("enc:v1:").doesNotContain(fresh.substring(6));
        assertThat((String) row.get("previous_secret")).startsWith("enc:v1:").doesNotContain(secret.substring(6));

        emit("secret.rotated", "k2");
        Receiver.Request request = Await.until(Duration.ofSeconds(30), receiver::requests, r -> r.size() >= 2).get(1);
        svixVerifies(fresh, request);
        svixVerifies(secret, request);   // the previous secret signs too during the overlap
        secret = fresh;
    }

    @Test
    @Order(4)
    void aPlaintextRowIsEncryptedAtTheNextStartAndEveryRowMovesToANewFirstKey() throws Exception {
        engine.getBean(JdbcTemplate.class).update("INSERT INTO hooksync_endpoints (id, url, event_types, headers, secret,"
                + " enabled, ordered, managed_by, created_at, updated_at) VALUES ('ep_legacy', ?, '[\"secret.*\"]', ?, ?,"
                + " true, false, 'api', 0, 0)", legacyReceiver.url(), "{\"X-Legacy\":\"" + LEGACY_HEADER + "\"}",
                LEGACY_SECRET);
        engine.close();
        engine = null;
        engine = startEngine("env:KEY_B,env:KEY_A");

        Map<String, Object> legacy = row("ep_legacy");
        assertThat((String) legacy.get("secret")).startsWith("enc:v1:" + keyId(KEY_B) + ":")
                .doesNotContain(LEGACY_SECRET.substring(6));
        assertThat((String) legacy.get("headers")).contains("X-Legacy").doesNotContain(LEGACY_HEADER);
        assertThat((String) row(endpointId).get("secret")).startsWith("enc:v1:" + keyId(KEY_B) + ":");

        emit("secret.after-restart", "k3");
        Receiver.Request request = Await.until(Duration.ofSeconds(60), legacyReceiver::requests, r -> !r.isEmpty()).get(0);
        svixVerifies(LEGACY_SECRET, request);
        assertThat(request.header("X-Legacy")).isEqualTo(LEGACY_HEADER);
        Receiver.Request again = Await.until(Duration.ofSeconds(30), receiver::requests,
                r -> r.stream().anyMatch(q -> q.body().contains("secret.after-restart"))).stream()
                .filter(q -> q.body().contains("secret.after-restart")).findFirst().orElseThrow();
        svixVerifies(secret, again);
    }

    @Test
    @Order(5)
    void keysThatCannotReadTheStoredSecretsStopStartupNamingTheEndpoints() {
        engine.close();
        engine = null;
        assertThatThrownBy(() -> engine = startEngine("env:KEY_A"))
                .hasRootCauseInstanceOf(InvalidConfigurationException.class)
                .rootCause()
                .hasMessageContaining("endpoint 'ep_legacy': a stored secret cannot be decrypted")
                .hasMessageContaining("endpoint '" + endpointId + "'")
                .hasMessageContaining("key " + keyId(KEY_B) + ", which is not configured");
    }
}
