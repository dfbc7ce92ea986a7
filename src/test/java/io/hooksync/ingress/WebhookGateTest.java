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
}
