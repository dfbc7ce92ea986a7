package io.hooksync.ingress;

import static io.hooksync.ingress.GitHubVerifierTest.assertReason;
import static io.hooksync.ingress.VerifierFixtures.request;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The generic HMAC verifier: algorithms, encodings, prefixes and construction checks. */
class HmacVerifierTest {

    private static final String BODY = "{\"event\":\"ping\"}";
    private static final String SECRET = "s3cret";

    private static byte[] mac(String algorithm, String secret) throws Exception {
        Mac mac = Mac.getInstance(algorithm);
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), algorithm));
        return mac.doFinal(BODY.getBytes(StandardCharsets.UTF_8));
    }

    private static String encode(HmacVerifier.Encoding encoding, byte[] bytes) {
        return encoding == HmacVerifier.Encoding.HEX ? HexFormat.of().formatHex(bytes) : Base64.getEncoder().encodeToString(bytes);
    }

    @ParameterizedTest
    @CsvSource({
            "HmacSHA1,   HEX,    sha1=", "HmacSHA1,   BASE64, ''",
            "HmacSHA256, HEX,    sha256=", "HmacSHA256, HEX, ''", "HmacSHA256, BASE64, sha256=", "HmacSHA256, BASE64, ''",
            "HmacSHA512, HEX,    ''", "HmacSHA512, BASE64, v1=",
    })
    void verifiesAndDetectsTampering(String algorithm, HmacVerifier.Encoding encoding, String prefix) throws Exception {
        HmacVerifier verifier = new HmacVerifier(List.of(SECRET), "X-Sig", algorithm, encoding, prefix);
        String header = prefix + encode(encoding, mac(algorithm, SECRET));
        assertThatCode(() -> verifier.verify(request(BODY, "X-Sig", header))).doesNotThrowAnyException();
        assertReason(() -> verifier.verify(request(BODY + " ", "X-Sig", header)), SignatureException.Reason.MISMATCH);
        assertReason(() -> verifier.verify(request(BODY)), SignatureException.Reason.MISSING);
    }

    @ParameterizedTest
    @ValueSource(strings = {"HmacSHA1", "HmacSHA512"})
    void aSignatureWithAnotherAlgorithmIsAMismatch(String other) throws Exception {
        HmacVerifier verifier = new HmacVerifier(List.of(SECRET), "X-Sig", "HmacSHA256", HmacVerifier.Encoding.HEX, "");
        String header = HexFormat.of().formatHex(mac(other, SECRET));
        assertReason(() -> verifier.verify(request(BODY, "X-Sig", header)), SignatureException.Reason.MISMATCH);
    }

    @Test
    void undecodableOrEmptySignaturesAreMalformed() {
        HmacVerifier base64 = new HmacVerifier(List.of(SECRET), "X-Sig", "HmacSHA256", HmacVerifier.Encoding.BASE64, "");
        assertReason(() -> base64.verify(request(BODY, "X-Sig", "%%%")), SignatureException.Reason.MALFORMED);
        assertReason(() -> base64.verify(request(BODY, "X-Sig", "")), SignatureException.Reason.MALFORMED);
        HmacVerifier hex = new HmacVerifier(List.of(SECRET), "X-Sig", "HmacSHA256", HmacVerifier.Encoding.HEX, "sha256=");
        assertReason(() -> hex.verify(request(BODY, "X-Sig", "sha256=xyz")), SignatureException.Reason.MALFORMED);
    }

    @Test
    void missingPrefixIsMalformed() throws Exception {
        HmacVerifier verifier = new HmacVerifier(List.of(SECRET), "X-Sig", "HmacSHA256", HmacVerifier.Encoding.HEX, "sha256=");
        String header = HexFormat.of().formatHex(mac("HmacSHA256", SECRET));
        assertReason(() -> verifier.verify(request(BODY, "X-Sig", header)), SignatureException.Reason.MALFORMED);
    }

    @Test
    void rotationAcceptsEitherSecret() throws Exception {
        HmacVerifier verifier = new HmacVerifier(List.of("old", "new"), "X-Sig", "HmacSHA256", HmacVerifier.Encoding.HEX, "");
        for (String secret : List.of("old", "new")) {
            String header = HexFormat.of().formatHex(mac("HmacSHA256", secret));
            assertThatCode(() -> verifier.verify(request(BODY, "X-Sig", header))).doesNotThrowAnyException();
        }
        String other = HexFormat.of().formatHex(mac("HmacSHA256", "other"));
        assertReason(() -> verifier.verify(request(BODY, "X-Sig", other)), SignatureException.Reason.MISMATCH);
    }

    @Test
    void unknownAlgorithmOrNoSecretIsRefusedAtConstruction() {
        assertThatThrownBy(() -> new HmacVerifier(List.of("s"), "X-Sig", "HmacMD42", HmacVerifier.Encoding.HEX, ""))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("HmacMD42");
        assertThatThrownBy(() -> new HmacVerifier(List.of(), "X-Sig", "HmacSHA256", HmacVerifier.Encoding.HEX, ""))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
