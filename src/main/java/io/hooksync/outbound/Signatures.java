package io.hooksync.outbound;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Standard Webhooks signing: {@code v1,base64(HMAC-SHA256(key, id + "." + timestamp + "." + body))}
 * per active secret, separated by spaces; a secret is {@code whsec_} + base64 of the key bytes.
 */
final class Signatures {

    static final String PREFIX = "whsec_";
    private static final SecureRandom RANDOM = new SecureRandom();

    private Signatures() {
    }

    /** A new secret: {@code whsec_} + base64 of 32 random bytes. */
    static String newSecret() {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        return PREFIX + Base64.getEncoder().encodeToString(key);
    }

    /** The key bytes of a {@code whsec_} secret; the message names the problem, never the secret. */
    static byte[] key(String secret) {
        if (secret == null || !secret.startsWith(PREFIX)) {
            throw new IllegalArgumentException("a signing secret must start with " + PREFIX);
        }
        byte[] key;
        try {
            key = Base64.getDecoder().decode(secret.substring(PREFIX.length()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("a signing secret must be " + PREFIX + " followed by base64");
        }
        if (key.length < 24 || key.length > 64) {
            throw new IllegalArgumentException("a signing secret must hold 24 to 64 key bytes, this one has " + key.length);
        }
        return key;
    }

    /** The {@code webhook-signature} header value: one {@code v1,...} per key. */
    static String header(String messageId, long timestampSeconds, byte[] body, List<byte[]> keys) {
        byte[] prefix = (messageId + "." + timestampSeconds + ".").getBytes(StandardCharsets.UTF_8);
        StringBuilder header = new StringBuilder();
        for (byte[] key : keys) {
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(key, "HmacSHA256"));
                mac.update(prefix);
                byte[] signature = mac.doFinal(body);
                if (!header.isEmpty()) {
                    header.append(' ');
                }
                header.append("v1,").append(Base64.getEncoder().encodeToString(signature));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HmacSHA256 unavailable", e);
            }
        }
        return header.toString();
    }

    /** A secret for logs and API answers: the prefix and the last four characters. */
    static String mask(String secret) {
        if (secret == null) {
            return null;
        }
        return secret.length() <= PREFIX.length() + 4 ? PREFIX + "****"
                : PREFIX + "****" + secret.substring(secret.length() - 4);
    }
}
