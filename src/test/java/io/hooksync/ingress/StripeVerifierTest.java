package io.hooksync.ingress;

import static io.hooksync.ingress.GitHubVerifierTest.assertReason;
import static io.hooksync.ingress.GitHubVerifierTest.hmacSha256;
import static io.hooksync.ingress.VerifierFixtures.clockAt;
import static io.hooksync.ingress.VerifierFixtures.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HexFormat;
import java.util.List;

import com.stripe.exception.SignatureVerificationException;
import com.stripe.net.Webhook;
import org.junit.jupiter.api.Test;

/** Signatures made by stripe-java's own helpers must verify; headers we build must verify with stripe-java. */
class StripeVerifierTest {

    private static final String SECRET = "whsec_test_secret_for_hooksync";
    private static final String PAYLOAD = "{\"id\":\"evt_1\",\"object\":\"event\",\"type\":\"customer.created\"}";
    private static final String HEADER = "Stripe-Signature";
    private static final long NOW = 1_732_800_000L;
    private static final Duration TOLERANCE = Duration.ofSeconds(300);

    private final StripeVerifier verifier = new StripeVerifier(List.of(SECRET), TOLERANCE, clockAt(NOW));

    private static String stripeHeader(String payload, String secret, long t) throws Exception {
        return Webhook.Signature.generateSignatureHeader(payload, secret, t);
    }

    @Test
    void headerFromStripeJavaVerifies() throws Exception {
        String header = stripeHeader(PAYLOAD, SECRET, NOW - 10);
        assertThat(header).startsWith("t=" + (NOW - 10) + ",v1=");
        assertThatCode(() -> verifier.verify(request(PAYLOAD, HEADER, header))).doesNotThrowAnyException();
    }

    @Test
    void handBuiltHeaderVerifiesWithStripeJavaAndWithUs() throws Exception {
        String v1 = HexFormat.of().formatHex(hmacSha256(SECRET, NOW + "." + PAYLOAD));
        String header = "t=" + NOW + ",v1=" + v1;
        assertThat(Webhook.Signature.verifyHeader(PAYLOAD, header, SECRET, 300, clockAt(NOW))).isTrue();
        assertThatCode(() -> verifier.verify(request(PAYLOAD, HEADER, header))).doesNotThrowAnyException();
        // and both refuse the same tampered body
        assertThatThrownBy(() -> Webhook.Signature.verifyHeader(PAYLOAD + " ", header, SECRET, 300, clockAt(NOW)))
                .isInstanceOf(SignatureVerificationException.class);
        assertReason(() -> verifier.verify(request(PAYLOAD + " ", HEADER, header)), SignatureException.Reason.MISMATCH);
    }

    @Test
    void anyV1MayMatchAndV0IsIgnoredInAnyOrder() throws Exception {
        String good = Webhook.Util.computeHmacSha256(SECRET, NOW + "." + PAYLOAD);
        String header = "v1=" + "00".repeat(32) + ",v0=" + good + ",t=" + NOW + ",v1=" + good + ",v9=x";
        assertThatCode(() -> verifier.verify(request(PAYLOAD, HEADER, header))).doesNotThrowAnyException();
    }

    @Test
    void aMatchingV0AloneIsNotEnough() throws Exception {
        String good = Webhook.Util.computeHmacSha256(SECRET, NOW + "." + PAYLOAD);
        assertReason(() -> verifier.verify(request(PAYLOAD, HEADER, "t=" + NOW + ",v0=" + good)),
                SignatureException.Reason.MISSING);
    }

    @Test
    void tamperedBodyIsAMismatch() throws Exception {
        String header = stripeHeader(PAYLOAD, SECRET, NOW);
        assertReason(() -> verifier.verify(request(PAYLOAD.replace("customer", "invoice"), HEADER, header)),
                SignatureException.Reason.MISMATCH);
    }

    @Test
    void tamperedTimestampIsAMismatch() throws Exception {
        String header = stripeHeader(PAYLOAD, SECRET, NOW).replace("t=" + NOW, "t=" + (NOW - 1));
        assertReason(() -> verifier.verify(request(PAYLOAD, HEADER, header)), SignatureException.Reason.MISMATCH);
    }

    @Test
    void timestampOutsideToleranceIsRefusedBothWays() throws Exception {
        String old = stripeHeader(PAYLOAD, SECRET, NOW - 301);
        assertReason(() -> verifier.verify(request(PAYLOAD, HEADER, old)), SignatureException.Reason.OUTSIDE_TOLERANCE);
        assertThatThrownBy(() -> verifier.verify(request(PAYLOAD, HEADER, old)))
                .hasMessage("Stripe-Signature timestamp is outside the 300 s tolerance");
        String future = stripeHeader(PAYLOAD, SECRET, NOW + 301);
        assertReason(() -> verifier.verify(request(PAYLOAD, HEADER, future)), SignatureException.Reason.OUTSIDE_TOLERANCE);
        String edge = stripeHeader(PAYLOAD, SECRET, NOW - 300);
        assertThatCode(() -> verifier.verify(request(PAYLOAD, HEADER, edge))).doesNotThrowAnyException();
    }

    @Test
    void extremeTimestampsDoNotOverflowIntoTheWindow() throws Exception {
        for (long t : new long[] {Long.MIN_VALUE + NOW, Long.MIN_VALUE, Long.MAX_VALUE}) {
            String header = stripeHeader(PAYLOAD, SECRET, t);
            assertReason(() -> verifier.verify(request(PAYLOAD, HEADER, header)), SignatureException.Reason.OUTSIDE_TOLERANCE);
        }
    }

    @Test
    void garbageHeaders() {
        assertReason(() -> verifier.verify(request(PAYLOAD)), SignatureException.Reason.MISSING);
        assertReason(() -> verifier.verify(request(PAYLOAD, HEADER, "")), SignatureException.Reason.MALFORMED);
        assertReason(() -> verifier.verify(request(PAYLOAD, HEADER, "t=abc,v1=00")), SignatureException.Reason.MALFORMED);
        assertReason(() -> verifier.verify(request(PAYLOAD, HEADER, "v1=only")), SignatureException.Reason.MALFORMED);
        assertReason(() -> verifier.verify(request(PAYLOAD, HEADER, "t=123")), SignatureException.Reason.MISSING);
        assertReason(() -> verifier.verify(request(PAYLOAD, HEADER, "t=" + NOW + ",v1=not-hex")),
                SignatureException.Reason.MALFORMED);
    }

    @Test
    void rotationAcceptsEitherSecret() throws Exception {
        String fresh = "whsec_new";
        StripeVerifier rotating = new StripeVerifier(List.of(SECRET, fresh), TOLERANCE, clockAt(NOW));
        String oldHeader = stripeHeader(PAYLOAD, SECRET, NOW);
        String newHeader = stripeHeader(PAYLOAD, fresh, NOW);
        assertThatCode(() -> rotating.verify(request(PAYLOAD, HEADER, oldHeader))).doesNotThrowAnyException();
        assertThatCode(() -> rotating.verify(request(PAYLOAD, HEADER, newHeader))).doesNotThrowAnyException();
        StripeVerifier onlyFresh = new StripeVerifier(List.of(fresh), TOLERANCE, clockAt(NOW));
        assertReason(() -> onlyFresh.verify(request(PAYLOAD, HEADER, oldHeader)), SignatureException.Reason.MISMATCH);
    }

    @Test
    void theWholeSecretIncludingItsPrefixIsTheKey() throws Exception {
        String header = stripeHeader(PAYLOAD, SECRET.substring("whsec_".length()), NOW);
        assertReason(() -> verifier.verify(request(PAYLOAD, HEADER, header)), SignatureException.Reason.MISMATCH);
    }

    @Test
    void noSecretsIsAConfigurationError() {
        assertThatThrownBy(() -> new StripeVerifier(List.of(), TOLERANCE, clockAt(NOW)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
