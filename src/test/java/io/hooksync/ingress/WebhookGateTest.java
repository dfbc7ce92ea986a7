package io.hooksync.ingress;

import static io.hooksync.ingress.VerifierFixtures.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;

import org.junit.jupiter.api.Test;

/** The front door's policy as a pure function: which request becomes which event, or which refusal. */
class WebhookGateTest {

    private final WebhookGate gate = new WebhookGate(Clock.systemUTC());

    private static Source source(SourceKind kind, FieldRef id, FieldRef type, FieldRef key, long maxBody) {
        return new Source("s", kind, "t", new NoVerification(), maxBody, null, id, type, key);
    }

    @Test
    void stripeLikeSourceTakesIdTypeAndKeyFromTheBody() throws Rejection {
        Source s = source(SourceKind.STRIPE, FieldRef.body("id"), FieldRef.body("type"), FieldRef.body("data.object.id"), 1000);
        VerifiedEvent e = gate.admit(s, "POST", "application/json",
                request("{\"id\":\"evt_1\",\"type\":\"customer.updated\",\"data\":{\"object\":{\"id\":\"cus_9\"}}}"));
        assertThat(e.id()).isEqualTo("evt_1");
        assertThat(e.type()).isEqualTo("customer.updated");
        assertThat(e.key()).isEqualTo("cus_9");
    }

    @Test
    void aMissingPartitionKeyFallsBackToTheEventId() throws Rejection {
        Source s = source(SourceKind.STRIPE, FieldRef.body("id"), FieldRef.body("type"), FieldRef.body("data.object.id"), 1000);
        assertThat(gate.admit(s, "POST", "application/json", request("{\"id\":\"evt_2\",\"type\":\"ping\"}")).key())
                .isEqualTo("evt_2");
    }

    @Test
    void withoutAnIdTheContentHashDeduplicatesRedeliveries() throws Rejection {
        Source s = source(SourceKind.HMAC, FieldRef.parse("content-hash", "id"), FieldRef.body("type"), null, 1000);
        String body = "{\"type\":\"x\"}";
        String first = gate.admit(s, "POST", "application/json", request(body)).id();
        assertThat(first).startsWith("sha256-").isEqualTo(gate.admit(s, "POST", "application/json", request(body)).id());
    }

    @Test
    void refusalsCarryTheirStatusAndReason() {
        Source s = source(SourceKind.GITHUB, FieldRef.parse("header:X-GitHub-Delivery", "id"),
                FieldRef.parse("header:X-GitHub-Event", "type"), null, 10);
        assertRefused(() -> gate.admit(s, "PUT", "application/json", request("{}")), 405, "method-not-allowed");
        assertRefused(() -> gate.admit(s, "POST", "application/json", request("{\"a\":\"0123456789\"}")), 413, "body-too-large");
        assertRefused(() -> gate.admit(s, "POST", "text/plain", request("{}")), 415, "unsupported-media-type");
        assertRefused(() -> gate.admit(s, "POST", "application/json", request("[1]")), 400, "malformed-json");
        assertRefused(() -> gate.admit(s, "POST", "application/json", request("{}{}")), 400, "malformed-json");
        assertRefused(() -> gate.admit(s, "POST", "application/json", request("{}", "X-GitHub-Event", "issues")),
                400, "missing-event-id");
        assertRefused(() -> gate.admit(s, "POST", "application/json",
                request("{}", "X-GitHub-Event", "issues", "X-GitHub-Delivery", "has space")), 400, "invalid-event-id");
        assertRefused(() -> gate.admit(s, "POST", "application/x-www-form-urlencoded", request("other=1",
                "X-GitHub-Event", "issues", "X-GitHub-Delivery", "d")), 400, "malformed-form");
    }

    /** What a sender reads: the setting by its real name, a position in the body, none of Jackson's internals. */
    @Test
    void refusalsNameTheSourcesSettingAndThePositionWithoutParserInternals() {
        Source s = source(SourceKind.GITHUB, FieldRef.parse("header:X-GitHub-Delivery", "id"),
                FieldRef.parse("header:X-GitHub-Event", "type"), null, 10);
        assertThatThrownBy(() -> gate.admit(s, "POST", "application/json", request("{\"a\":\"0123456789\"}")))
                .hasMessage("the body is larger than this source's limit of 10 bytes (hooksync.sources.s.max-body)");
        Source roomy = source(SourceKind.GITHUB, FieldRef.parse("header:X-GitHub-Delivery", "id"),
                FieldRef.parse("header:X-GitHub-Event", "type"), null, 1000);
        assertThatThrownBy(() -> gate.admit(roomy, "POST", "application/json", request("{\"labels\": [1, 2")))
                .hasMessageStartingWith("malformed JSON at line 1, column ")
                .hasMessageContaining("(line 1, column 12)").hasMessageNotContaining("Source");
    }

    @Test
    void formEncodingIsOnlyForGithub() {
        Source s = source(SourceKind.STRIPE, FieldRef.body("id"), FieldRef.body("type"), null, 1000);
        assertRefused(() -> gate.admit(s, "POST", "application/x-www-form-urlencoded", request("payload=%7B%7D")),
                415, "unsupported-media-type");
    }

    private static void assertRefused(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, int status, String reason) {
        assertThatThrownBy(call).isInstanceOfSatisfying(Rejection.class, r -> {
            assertThat(r.status()).isEqualTo(status);
            assertThat(r.reason()).isEqualTo(reason);
        });
    }

    @Test
    void fieldsThatReachKafkaTablesAndLogsAreBoundedAndPrintable() throws Rejection {
        Source s = source(SourceKind.STRIPE, FieldRef.body("id"), FieldRef.body("type"), FieldRef.body("data.object.id"), 100_000);
        assertRefused(() -> gate.admit(s, "POST", "application/json",
                request("{\"id\":\"evt_1\",\"type\":\"" + "t".repeat(201) + "\"}")), 400, "invalid-event-type");
        assertThat(gate.admit(s, "POST", "application/json",
                request("{\"id\":\"evt_1\",\"type\":\"" + "t".repeat(200) + "\"}")).type()).hasSize(200);
        assertRefused(() -> gate.admit(s, "POST", "application/json",
                request("{\"id\":\"evt_1\",\"type\":\"a\\nINFO forged log line\"}")), 400, "invalid-event-type");
        assertRefused(() -> gate.admit(s, "POST", "application/json",
                request("{\"id\":\"evt_1\",\"type\":\"invoice\u202Efdp.exe\"}")), 400, "invalid-event-type");
        assertRefused(() -> gate.admit(s, "POST", "application/json",
                request("{\"id\":\"evt_1\",\"type\":\"x\",\"action\":\"" + "a".repeat(201) + "\"}")), 400, "invalid-action");
        assertRefused(() -> gate.admit(s, "POST", "application/json",
                request("{\"id\":\"evt_1\",\"type\":\"x\",\"data\":{\"object\":{\"id\":\"" + "k".repeat(257) + "\"}}}")),
                400, "invalid-partition-key");
        assertRefused(() -> gate.admit(s, "POST", "application/json",
                request("{\"id\":\"" + "i".repeat(257) + "\",\"type\":\"x\"}")), 400, "invalid-event-id");
        assertThat(gate.admit(s, "POST", "application/json",
                request("{\"id\":\"evt_2\",\"type\":\"facture.payée\"}")).type())
                .as("printable text beyond ASCII is fine").isEqualTo("facture.payée");
    }

    @Test
    void theSourceRateLimitCountsOnlyVerifiedRequests() throws Rejection {
        io.github.resilience4j.ratelimiter.RateLimiter limiter = io.github.resilience4j.ratelimiter.RateLimiter.of("t",
                io.github.resilience4j.ratelimiter.RateLimiterConfig.custom().limitForPeriod(1)
                        .limitRefreshPeriod(java.time.Duration.ofHours(1)).timeoutDuration(java.time.Duration.ZERO).build());
        Source s = new Source("s", SourceKind.HMAC, "t", new HmacVerifier(java.util.List.of("k"), "X-Sig", "HmacSHA256",
                HmacVerifier.Encoding.HEX, ""), 1000, limiter, FieldRef.body("id"), FieldRef.body("type"), null);
        String body = "{\"id\":\"e1\",\"type\":\"x\"}";
        for (int i = 0; i < 5; i++) {
            assertRefused(() -> gate.admit(s, "POST", "application/json", request(body, "X-Sig", "00")), 401,
                    "signature-invalid");
        }
        String signature = java.util.HexFormat.of().formatHex(io.hooksync.support.Signing.hmacSha256(
                "k".getBytes(java.nio.charset.StandardCharsets.UTF_8), body.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        assertThat(gate.admit(s, "POST", "application/json", request(body, "X-Sig", signature)).id()).isEqualTo("e1");
        assertRefused(() -> gate.admit(s, "POST", "application/json", request(body, "X-Sig", signature)), 429, "rate-limited");
    }
}
