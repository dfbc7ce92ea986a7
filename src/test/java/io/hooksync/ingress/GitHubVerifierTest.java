package io.hooksync.ingress;

import static io.hooksync.ingress.VerifierFixtures.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/** GitHub's published vector, malformed headers and secret rotation. */
class GitHubVerifierTest {

    // GitHub's documented example: https://docs.github.com/webhooks/using-webhooks/validating-webhook-deliveries
    private static final String SECRET = "It's a Secret to Everybody";
    private static final String PAYLOAD = "Hello, World!";
    private static final String SIGNATURE = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";
    private static final String HEADER = "X-Hub-Signature-256";

    private final GitHubVerifier verifier = new GitHubVerifier(List.of(SECRET));

    @Test
    void githubsPublishedVectorVerifies() {
        assertThatCode(() -> verifier.verify(request(PAYLOAD, HEADER, SIGNATURE))).doesNotThrowAnyException();
    }

    @Test
    void headerNameIsCaseInsensitive() {
        assertThatCode(() -> verifier.verify(request(PAYLOAD, "x-hub-signature-256", SIGNATURE))).doesNotThrowAnyException();
    }

    @Test
    void upperCaseHexVerifies() {
        assertThatCode(() -> verifier.verify(request(PAYLOAD, HEADER, "sha256=" + SIGNATURE.substring(7).toUpperCase())))
                .doesNotThrowAnyException();
    }

    @Test
    void tamperedBodyIsAMismatch() {
        assertReason(() -> verifier.verify(request("Hello, World?", HEADER, SIGNATURE)), SignatureException.Reason.MISMATCH);
    }

    @Test
    void missingHeaderIsMissing() {
        assertReason(() -> verifier.verify(request(PAYLOAD)), SignatureException.Reason.MISSING);
    }

    @Test
    void malformedHeadersAreMalformed() {
        assertReason(() -> verifier.verify(request(PAYLOAD, HEADER, SIGNATURE.substring(7))), SignatureException.Reason.MALFORMED);
        assertReason(() -> verifier.verify(request(PAYLOAD, HEADER, "sha256=zz")), SignatureException.Reason.MALFORMED);
        assertReason(() -> verifier.verify(request(PAYLOAD, HEADER, "sha256=abc")), SignatureException.Reason.MALFORMED);
        assertReason(() -> verifier.verify(request(PAYLOAD, HEADER, "sha256=")), SignatureException.Reason.MALFORMED);
        assertReason(() -> verifier.verify(request(PAYLOAD, HEADER, "sha1=abcd")), SignatureException.Reason.MALFORMED);
    }

    @Test
    void messagesNeverRevealTheExpectedSignature() {
        String wrong = "sha256=" + "00".repeat(32);
        assertThatThrownBy(() -> verifier.verify(request(PAYLOAD, HEADER, wrong)))
                .hasMessageNotContaining(SIGNATURE.substring(7)).hasMessageNotContaining(SECRET);
    }

    @Test
    void duringRotationEitherSecretVerifies() throws Exception {
        String fresh = "a new secret";
        GitHubVerifier rotating = new GitHubVerifier(List.of(SECRET, fresh));
        String freshSignature = "sha256=" + HexFormat.of().formatHex(hmacSha256(fresh, PAYLOAD));
        assertThatCode(() -> rotating.verify(request(PAYLOAD, HEADER, SIGNATURE))).doesNotThrowAnyException();
        assertThatCode(() -> rotating.verify(request(PAYLOAD, HEADER, freshSignature))).doesNotThrowAnyException();
        GitHubVerifier onlyFresh = new GitHubVerifier(List.of(fresh));
        assertReason(() -> onlyFresh.verify(request(PAYLOAD, HEADER, SIGNATURE)), SignatureException.Reason.MISMATCH);
    }

    @Test
    void noSecretsIsAConfigurationError() {
        assertThatThrownBy(() -> new GitHubVerifier(List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new GitHubVerifier(List.of(""))).isInstanceOf(IllegalArgumentException.class);
    }

    static byte[] hmacSha256(String secret, String data) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    }

    /** Asserts a {@link SignatureException} with the given reason and a non-blank message. */
    static void assertReason(ThrowingCallable call, SignatureException.Reason reason) {
        assertThatThrownBy(call).isInstanceOfSatisfying(SignatureException.class, e -> {
            assertThat(e.reason()).isEqualTo(reason);
            assertThat(e.getMessage()).isNotBlank();
        });
    }
}
