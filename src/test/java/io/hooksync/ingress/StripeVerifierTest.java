package io.hooksync.ingress;

import static io.hooksync.ingress.GitHubVerifierTest.assertReason;
import static io.hooksync.ingress.VerifierFixtures.clockAt;
import static io.hooksync.ingress.VerifierFixtures.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;

import com.stripe.net.Webhook;
import io.hooksync.support.Signing;
import org.junit.jupiter.api.Test;

/** Signatures made by stripe-java's own helper must verify; ours must verify with stripe-java. */
class StripeVerifierTest {

    private static final String SECRET = "whsec_test_secret_for_hooksync";
    private static final String PAYLOAD = "{\"id\":\"evt_1\",\"object\":\"event\",\"type\":\"customer.created\"}";
    private static final long NOW = 1_732_800_000L;

    private final StripeVerifier verifier = new StripeVerifier(List.of(SECRET), Duration.ofSeconds(300), clockAt(NOW));

    private static String stripeHeader(String payload, String secret, long t) throws Exception {
        return Webhook.Signature.generateSignatureHeader(payload, secret, t);
    }

    @Test
    void headerFromStripeJavaVerifies() throws Exception {
        String header = stripeHeader(PAYLOAD, SECRET, NOW - 10);
        assertThatCode(() -> verifier.verify(request(PAYLOAD, "Stripe-Signature", header))).doesNotThrowAnyException();
    }

    @Test
    void ourSignatureVerifiesWithStripeJava() throws Exception {
        String v1 = HexFormat.of().formatHex(Signing.hmacSha256(SECRET.getBytes(StandardCharsets.UTF_8),
                (NOW + "." + PAYLOAD).getBytes(StandardCharsets.UTF_8)));
        String header = "t=" + NOW + ",v1=" + v1;
        assertThat(Webhook.Signature.verifyHeader(PAYLOAD, header, SECRET, 300, clockAt(NOW))).isTrue();
        assertThatCode(() -> verifier.verify(request(PAYLOAD, "Stripe-Signature", header))).doesNotThrowAnyException();
    }

    @Test
    void anyV1MayMatchAndV0IsIgnoredInAnyOrder() throws Exception {
        String good = Webhook.Util.computeHmacSha256(SECRET, NOW + "." + PAYLOAD);
        String header = "v1=" + "00".repeat(32) + ",v0=" + "11".repeat(32) + ",t=" + NOW + ",v1=" + good;
        assertThatCode(() -> verifier.verify(request(PAYLOAD, "Stripe-Signature", header))).doesNotThrowAnyException();
    }

    @Test
    void tamperedBodyIsAMismatch() throws Exception {
        String header = stripeHeader(PAYLOAD, SECRET, NOW);
        assertReason(() -> verifier.verify(request(PAYLOAD.replace("customer", "invoice"), "Stripe-Signature", header)),
                SignatureException.Reason.MISMATCH);
    }

    @Test
    void timestampOutsideToleranceIsRefused() throws Exception {
        String old = stripeHeader(PAYLOAD, SECRET, NOW - 301);
        assertReason(() -> verifier.verify(request(PAYLOAD, "Stripe-Signature", old)),
                SignatureException.Reason.OUTSIDE_TOLERANCE);
        String future = stripeHeader(PAYLOAD, SECRET, NOW + 301);
        assertReason(() -> verifier.verify(request(PAYLOAD, "Stripe-Signature", future)),
                SignatureException.Reason.OUTSIDE_TOLERANCE);
        String edge = stripeHeader(PAYLOAD, SECRET, NOW - 300);
        assertThatCode(() -> verifier.verify(request(PAYLOAD, "Stripe-Signature", edge))).doesNotThrowAnyException();
    }

    @Test
    void malformedHeaders() {
        assertReason(() -> verifier.verify(request(PAYLOAD)), SignatureException.Reason.MISSING);
        assertReason(() -> verifier.verify(request(PAYLOAD, "Stripe-Signature", "")), SignatureException.Reason.MALFORMED);
        assertReason(() -> verifier.verify(request(PAYLOAD, "Stripe-Signature", "t=abc,v1=00")),
                SignatureException.Reason.MALFORMED);
        assertReason(() -> verifier.verify(request(PAYLOAD, "Stripe-Signature", "v1=00")), SignatureException.Reason.MALFORMED);
        assertReason(() -> verifier.verify(request(PAYLOAD, "Stripe-Signature", "t=" + NOW)), SignatureException.Reason.MISSING);
        assertReason(() -> verifier.verify(request(PAYLOAD, "Stripe-Signature", "t=" + NOW + ",v1=not-hex")),
                SignatureException.Reason.MALFORMED);
    }

    @Test
    void rotationAcceptsEitherSecret() throws Exception {
        StripeVerifier rotating = new StripeVerifier(List.of("whsec_new", SECRET), Duration.ofSeconds(300), clockAt(NOW));
        String header = stripeHeader(PAYLOAD, SECRET, NOW);
        assertThatCode(() -> rotating.verify(request(PAYLOAD, "Stripe-Signature", header))).doesNotThrowAnyException();
        StripeVerifier onlyNew = new StripeVerifier(List.of("whsec_new"), Duration.ofSeconds(300), clockAt(NOW));
        assertReason(() -> onlyNew.verify(request(PAYLOAD, "Stripe-Signature", header)), SignatureException.Reason.MISMATCH);
    }
}
