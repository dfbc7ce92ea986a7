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

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class HmacVerifierTest {

    private static final String BODY = "{\"event\":\"ping\"}";

    private static byte[] mac(String algorithm, String secret) throws Exception {
        Mac mac = Mac.getInstance(algorithm);
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), algorithm));
        return mac.doFinal(BODY.getBytes(StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @ValueSource(strings = {"HmacSHA1", "HmacSHA256", "HmacSHA512"})
    void hexWithPrefixVerifies(String algorithm) throws Exception {
        HmacVerifier verifier = new HmacVerifier(List.of("s3cret"), "X-Sig", algorithm, HmacVerifier.Encoding.HEX, "sha=");
        String header = "sha=" + HexFormat.of().formatHex(mac(algorithm, "s3cret"));
        assertThatCode(() -> verifier.verify(request(BODY, "X-Sig", header))).doesNotThrowAnyException();
        assertReason(() -> verifier.verify(request(BODY + " ", "X-Sig", header)), SignatureException.Reason.MISMATCH);
    }

    @Test
    void base64WithoutPrefixVerifies() throws Exception {
        HmacVerifier verifier = new HmacVerifier(List.of("s3cret"), "X-Sig", "HmacSHA256", HmacVerifier.Encoding.BASE64, "");
        String header = Base64.getEncoder().encodeToString(mac("HmacSHA256", "s3cret"));
        assertThatCode(() -> verifier.verify(request(BODY, "X-Sig", header))).doesNotThrowAnyException();
        assertReason(() -> verifier.verify(request(BODY, "X-Sig", "%%%")), SignatureException.Reason.MALFORMED);
        assertReason(() -> verifier.verify(request(BODY)), SignatureException.Reason.MISSING);
    }

    @Test
    void missingPrefixIsMalformed() throws Exception {
        HmacVerifier verifier = new HmacVerifier(List.of("s3cret"), "X-Sig", "HmacSHA256", HmacVerifier.Encoding.HEX, "sha256=");
        String header = HexFormat.of().formatHex(mac("HmacSHA256", "s3cret"));
        assertReason(() -> verifier.verify(request(BODY, "X-Sig", header)), SignatureException.Reason.MALFORMED);
    }

    @Test
    void unknownAlgorithmIsRefusedAtConstruction() {
        assertThatThrownBy(() -> new HmacVerifier(List.of("s"), "X-Sig", "HmacMD42", HmacVerifier.Encoding.HEX, ""))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("HmacMD42");
    }
}
