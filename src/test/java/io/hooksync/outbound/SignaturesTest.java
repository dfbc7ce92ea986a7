package io.hooksync.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import com.svix.Webhook;
import com.svix.exceptions.WebhookVerificationException;
import org.junit.jupiter.api.Test;

/** Our signatures checked by svix's own verifier, including the two signatures of a rotation overlap. */
class SignaturesTest {

    private static HttpHeaders headers(String id, long ts, String signature) {
        return HttpHeaders.of(Map.of("webhook-id", List.of(id), "webhook-timestamp", List.of(Long.toString(ts)),
                "webhook-signature", List.of(signature)), (a, b) -> true);
    }

    @Test
    void svixVerifiesOurSignature() {
        String secret = Signatures.newSecret();
        assertThat(secret).startsWith("whsec_");
        assertThat(Signatures.key(secret)).hasSize(32);
        long now = System.currentTimeMillis() / 1000;
        String body = "{\"type\":\"issue.synced\",\"timestamp\":\"2026-11-28T10:00:00Z\",\"data\":{\"id\":1}}";
        String header = Signatures.header("msg_1", now, body.getBytes(StandardCharsets.UTF_8),
                List.of(Signatures.key(secret)));
        assertThatCode(() -> new Webhook(secret).verify(body, headers("msg_1", now, header))).doesNotThrowAnyException();
        // tampered body or another id fail svix's check
        assertThatThrownBy(() -> new Webhook(secret).verify(body.replace("1}", "2}"), headers("msg_1", now, header)))
                .isInstanceOf(WebhookVerificationException.class);
        assertThatThrownBy(() -> new Webhook(secret).verify(body, headers("msg_2", now, header)))
                .isInstanceOf(WebhookVerificationException.class);
    }

    @Test
    void duringARotationBothSecretsVerify() {
        String old = Signatures.newSecret();
        String fresh = Signatures.newSecret();
        long now = System.currentTimeMillis() / 1000;
        String body = "{}";
        String header = Signatures.header("msg_r", now, body.getBytes(StandardCharsets.UTF_8),
                List.of(Signatures.key(fresh), Signatures.key(old)));
        assertThat(header.split(" ")).hasSize(2).allMatch(s -> s.startsWith("v1,"));
        assertThatCode(() -> new Webhook(old).verify(body, headers("msg_r", now, header))).doesNotThrowAnyException();
        assertThatCode(() -> new Webhook(fresh).verify(body, headers("msg_r", now, header))).doesNotThrowAnyException();
        assertThatThrownBy(() -> new Webhook(Signatures.newSecret()).verify(body, headers("msg_r", now, header)))
                .isInstanceOf(WebhookVerificationException.class);
    }

    @Test
    void malformedSecretsAreNamedNotShown() {
        assertThatThrownBy(() -> Signatures.key("s3cret-value")).hasMessage("a signing secret must start with whsec_")
                .hasMessageNotContaining("s3cret");
        assertThatThrownBy(() -> Signatures.key("whsec_%%%")).hasMessageContaining("base64");
        assertThatThrownBy(() -> Signatures.key("whsec_AAAA")).hasMessageContaining("24 to 64");
        assertThat(Signatures.mask("whsec_abcdefghijklmnop")).isEqualTo("whsec_****mnop");
    }
}
