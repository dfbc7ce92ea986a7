package io.hooksync.ingress;

import static io.hooksync.ingress.GitHubVerifierTest.assertReason;
import static io.hooksync.ingress.VerifierFixtures.clockAt;
import static io.hooksync.ingress.VerifierFixtures.request;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

class StandardWebhooksVerifierTest {

    // The Standard Webhooks specification's test vector.
    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final String ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private static final long TIMESTAMP = 1614265330L;
    private static final String PAYLOAD = "{\"test\": 2432232314}";
    private static final String SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    private final StandardWebhooksVerifier verifier =
            new StandardWebhooksVerifier(List.of(SECRET), Duration.ofMinutes(5), clockAt(TIMESTAMP));

    private UnverifiedRequest signed(String signature, long timestamp) {
        return request(PAYLOAD, "webhook-id", ID, "webhook-timestamp", Long.toString(timestamp), "webhook-signature", signature);
    }

    @Test
    void specVectorVerifies() {
        assertThatCode(() -> verifier.verify(signed(SIGNATURE, TIMESTAMP))).doesNotThrowAnyException();
    }

    @Test
    void aLaterSignatureInTheListMayMatchAndV1aIsIgnored() {
        String header = "v1a,AAAA v1,Zm9vYmFy " + SIGNATURE;
        assertThatCode(() -> verifier.verify(signed(header, TIMESTAMP))).doesNotThrowAnyException();
    }

    @Test
    void signatureMadeBySvixsLibraryVerifies() throws Exception {
        long now = TIMESTAMP + 1;
        String signature = new com.svix.Webhook(SECRET).sign("msg_svix", now, PAYLOAD);
        StandardWebhooksVerifier atNow = new StandardWebhooksVerifier(List.of(SECRET), Duration.ofMinutes(5), clockAt(now));
        assertThatCode(() -> atNow.verify(request(PAYLOAD, "webhook-id", "msg_svix", "webhook-timestamp",
                Long.toString(now), "webhook-signature", signature))).doesNotThrowAnyException();
    }

    @Test
    void timestampsBeyondFiveMinutesEitherWayAreRefused() {
        StandardWebhooksVerifier late = new StandardWebhooksVerifier(List.of(SECRET), Duration.ofMinutes(5),
                clockAt(TIMESTAMP + 301));
        assertReason(() -> late.verify(signed(SIGNATURE, TIMESTAMP)), SignatureException.Reason.OUTSIDE_TOLERANCE);
        StandardWebhooksVerifier early = new StandardWebhooksVerifier(List.of(SECRET), Duration.ofMinutes(5),
                clockAt(TIMESTAMP - 301));
        assertReason(() -> early.verify(signed(SIGNATURE, TIMESTAMP)), SignatureException.Reason.OUTSIDE_TOLERANCE);
    }

    @Test
    void eachMissingHeaderIsMissing() {
        assertReason(() -> verifier.verify(request(PAYLOAD, "webhook-timestamp", "1", "webhook-signature", SIGNATURE)),
                SignatureException.Reason.MISSING);
        assertReason(() -> verifier.verify(request(PAYLOAD, "webhook-id", ID, "webhook-signature", SIGNATURE)),
                SignatureException.Reason.MISSING);
        assertReason(() -> verifier.verify(request(PAYLOAD, "webhook-id", ID, "webhook-timestamp", "1614265330")),
                SignatureException.Reason.MISSING);
    }

    @Test
    void tamperedIdOrBodyIsAMismatch() {
        assertReason(() -> verifier.verify(request(PAYLOAD, "webhook-id", "msg_other", "webhook-timestamp",
                Long.toString(TIMESTAMP), "webhook-signature", SIGNATURE)), SignatureException.Reason.MISMATCH);
        assertReason(() -> verifier.verify(request("{\"test\": 1}", "webhook-id", ID, "webhook-timestamp",
                Long.toString(TIMESTAMP), "webhook-signature", SIGNATURE)), SignatureException.Reason.MISMATCH);
    }

    @Test
    void malformedTimestampOrSignatureList() {
        assertReason(() -> verifier.verify(request(PAYLOAD, "webhook-id", ID, "webhook-timestamp", "soon",
                "webhook-signature", SIGNATURE)), SignatureException.Reason.MALFORMED);
        assertReason(() -> verifier.verify(signed("v2,abc", TIMESTAMP)), SignatureException.Reason.MALFORMED);
    }

    @Test
    void aSecretThatIsNotBase64IsRefusedAtConstruction() {
        assertThatThrownBy(() -> new StandardWebhooksVerifier(List.of("whsec_***"), Duration.ofMinutes(5), clockAt(0)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageNotContaining("***");
    }
}
