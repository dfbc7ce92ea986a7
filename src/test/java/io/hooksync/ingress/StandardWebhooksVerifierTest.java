package io.hooksync.ingress;

import static io.hooksync.ingress.GitHubVerifierTest.assertReason;
import static io.hooksync.ingress.VerifierFixtures.clockAt;
import static io.hooksync.ingress.VerifierFixtures.request;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;

import com.svix.Webhook;
import org.junit.jupiter.api.Test;

/** The Standard Webhooks specification's vector, svix's own signer, tolerance and malformed headers. */
class StandardWebhooksVerifierTest {

    // The Standard Webhooks specification's test vector.
    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final String ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private static final long TIMESTAMP = 1614265330L;
    private static final String PAYLOAD = "{\"test\": 2432232314}";
    private static final String SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";
    private static final Duration TOLERANCE = Duration.ofMinutes(5);

    private final StandardWebhooksVerifier verifier = at(TIMESTAMP, SECRET);

    private static StandardWebhooksVerifier at(long now, String... secrets) {
        return new StandardWebhooksVerifier(List.of(secrets), TOLERANCE, clockAt(now));
    }

    private static UnverifiedRequest signed(String signature, long timestamp) {
        return request(PAYLOAD, "webhook-id", ID, "webhook-timestamp", Long.toString(timestamp), "webhook-signature", signature);
    }

    @Test
    void specVectorVerifies() {
        assertThatCode(() -> verifier.verify(signed(SIGNATURE, TIMESTAMP))).doesNotThrowAnyException();
    }

    @Test
    void aSecretWithoutTheWhsecPrefixIsAccepted() {
        StandardWebhooksVerifier bare = at(TIMESTAMP, SECRET.substring("whsec_".length()));
        assertThatCode(() -> bare.verify(signed(SIGNATURE, TIMESTAMP))).doesNotThrowAnyException();
    }

    @Test
    void aLaterSignatureInTheListMayMatch() {
        String header = "v1a,AAAA v1,Zm9vYmFy v1,!!notbase64 " + SIGNATURE;
        assertThatCode(() -> verifier.verify(signed(header, TIMESTAMP))).doesNotThrowAnyException();
    }

    @Test
    void otherVersionsAreIgnoredEvenWhenTheirBytesMatch() {
        String asV1a = "v1a," + SIGNATURE.substring(3);
        assertReason(() -> verifier.verify(signed(asV1a, TIMESTAMP)), SignatureException.Reason.MALFORMED);
        assertReason(() -> verifier.verify(signed(asV1a + " v1,Zm9vYmFy", TIMESTAMP)), SignatureException.Reason.MISMATCH);
    }

    @Test
    void signatureMadeBySvixsLibraryVerifies() throws Exception {
        long now = TIMESTAMP + 1;
        String signature = new Webhook(SECRET).sign("msg_svix", now, PAYLOAD);
        assertThatCode(() -> at(now, SECRET).verify(request(PAYLOAD, "webhook-id", "msg_svix", "webhook-timestamp",
                Long.toString(now), "webhook-signature", signature))).doesNotThrowAnyException();
        assertReason(() -> at(now, SECRET).verify(request(PAYLOAD + " ", "webhook-id", "msg_svix", "webhook-timestamp",
                Long.toString(now), "webhook-signature", signature)), SignatureException.Reason.MISMATCH);
    }

    @Test
    void rotationAcceptsEitherSecret() throws Exception {
        String fresh = "whsec_" + java.util.Base64.getEncoder().encodeToString("another 24-byte secret!!".getBytes());
        String freshSignature = new Webhook(fresh).sign(ID, TIMESTAMP, PAYLOAD);
        StandardWebhooksVerifier rotating = at(TIMESTAMP, SECRET, fresh);
        assertThatCode(() -> rotating.verify(signed(SIGNATURE, TIMESTAMP))).doesNotThrowAnyException();
        assertThatCode(() -> rotating.verify(signed(freshSignature, TIMESTAMP))).doesNotThrowAnyException();
        assertReason(() -> at(TIMESTAMP, fresh).verify(signed(SIGNATURE, TIMESTAMP)), SignatureException.Reason.MISMATCH);
    }

    @Test
    void timestampsBeyondFiveMinutesEitherWayAreRefused() {
        assertReason(() -> at(TIMESTAMP + 301, SECRET).verify(signed(SIGNATURE, TIMESTAMP)),
                SignatureException.Reason.OUTSIDE_TOLERANCE);
        assertReason(() -> at(TIMESTAMP - 301, SECRET).verify(signed(SIGNATURE, TIMESTAMP)),
                SignatureException.Reason.OUTSIDE_TOLERANCE);
        assertThatCode(() -> at(TIMESTAMP + 300, SECRET).verify(signed(SIGNATURE, TIMESTAMP))).doesNotThrowAnyException();
        assertThatCode(() -> at(TIMESTAMP - 300, SECRET).verify(signed(SIGNATURE, TIMESTAMP))).doesNotThrowAnyException();
    }

    @Test
    void extremeTimestampsDoNotOverflowIntoTheWindow() throws Exception {
        long t = Long.MIN_VALUE + TIMESTAMP;
        String signature = new Webhook(SECRET).sign(ID, t, PAYLOAD);
        assertReason(() -> verifier.verify(signed(signature, t)), SignatureException.Reason.OUTSIDE_TOLERANCE);
    }

    @Test
    void eachMissingHeaderIsMissing() {
        String ts = Long.toString(TIMESTAMP);
        assertReason(() -> verifier.verify(request(PAYLOAD, "webhook-timestamp", ts, "webhook-signature", SIGNATURE)),
                SignatureException.Reason.MISSING);
        assertReason(() -> verifier.verify(request(PAYLOAD, "webhook-id", ID, "webhook-signature", SIGNATURE)),
                SignatureException.Reason.MISSING);
        assertReason(() -> verifier.verify(request(PAYLOAD, "webhook-id", ID, "webhook-timestamp", ts)),
                SignatureException.Reason.MISSING);
    }

    @Test
    void tamperedIdTimestampOrBodyIsAMismatch() {
        assertReason(() -> verifier.verify(request(PAYLOAD, "webhook-id", "msg_other", "webhook-timestamp",
                Long.toString(TIMESTAMP), "webhook-signature", SIGNATURE)), SignatureException.Reason.MISMATCH);
        assertReason(() -> verifier.verify(signed(SIGNATURE, TIMESTAMP + 1)), SignatureException.Reason.MISMATCH);
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
    void badSecretsAreRefusedAtConstruction() {
        assertThatThrownBy(() -> at(0, "whsec_***")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("base64").hasMessageNotContaining("***");
        assertThatThrownBy(() -> at(0, "whsec_")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> at(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
