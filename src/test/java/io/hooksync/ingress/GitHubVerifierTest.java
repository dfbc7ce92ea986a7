package io.hooksync.ingress;

import static io.hooksync.ingress.VerifierFixtures.request;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

class GitHubVerifierTest {

    // GitHub's documented example: https://docs.github.com/webhooks/using-webhooks/validating-webhook-deliveries
    private static final String SECRET = "It's a Secret to Everybody";
    private static final String PAYLOAD = "Hello, World!";
    private static final String SIGNATURE = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";

    private final GitHubVerifier verifier = new GitHubVerifier(List.of(SECRET));

    @Test
    void githubsPublishedVectorVerifies() {
        assertThatCode(() -> verifier.verify(request(PAYLOAD, "X-Hub-Signature-256", SIGNATURE))).doesNotThrowAnyException();
    }

    @Test
    void upperCaseHexVerifies() {
        assertThatCode(() -> verifier.verify(request(PAYLOAD, "X-Hub-Signature-256",
                "sha256=" + SIGNATURE.substring(7).toUpperCase()))).doesNotThrowAnyException();
    }

    @Test
    void tamperedBodyIsAMismatch() {
        assertThatThrownBy(() -> verifier.verify(request("Hello, World?", "X-Hub-Signature-256", SIGNATURE)))
                .isInstanceOfSatisfying(SignatureException.class, e ->
                        org.assertj.core.api.Assertions.assertThat(e.reason()).isEqualTo(SignatureException.Reason.MISMATCH));
    }

    @Test
    void missingHeaderIsMissing() {
        assertReason(() -> verifier.verify(request(PAYLOAD)), SignatureException.Reason.MISSING);
    }

    @Test
    void malformedHeadersAreMalformed() {
        assertReason(() -> verifier.verify(request(PAYLOAD, "X-Hub-Signature-256", SIGNATURE.substring(7))),
                SignatureException.Reason.MALFORMED);
        assertReason(() -> verifier.verify(request(PAYLOAD, "X-Hub-Signature-256", "sha256=zz")),
                SignatureException.Reason.MALFORMED);
        assertReason(() -> verifier.verify(request(PAYLOAD, "X-Hub-Signature-256", "sha1=abc")),
                SignatureException.Reason.MALFORMED);
    }

    @Test
    void duringRotationEitherSecretVerifies() {
        GitHubVerifier rotating = new GitHubVerifier(List.of("new secret", SECRET));
        assertThatCode(() -> rotating.verify(request(PAYLOAD, "X-Hub-Signature-256", SIGNATURE))).doesNotThrowAnyException();
        GitHubVerifier other = new GitHubVerifier(List.of("new secret"));
        assertReason(() -> other.verify(request(PAYLOAD, "X-Hub-Signature-256", SIGNATURE)), SignatureException.Reason.MISMATCH);
    }

    @Test
    void noSecretsIsAConfigurationError() {
        assertThatThrownBy(() -> new GitHubVerifier(List.of())).isInstanceOf(IllegalArgumentException.class);
    }

    static void assertReason(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, SignatureException.Reason reason) {
        assertThatThrownBy(call).isInstanceOfSatisfying(SignatureException.class, e -> {
            org.assertj.core.api.Assertions.assertThat(e.reason()).isEqualTo(reason);
            org.assertj.core.api.Assertions.assertThat(e.getMessage()).isNotBlank();
        });
    }
}
