package io.hooksync.ingress;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

/**
 * Standard Webhooks: {@code webhook-id}, {@code webhook-timestamp}, {@code webhook-signature} (space
 * separated {@code v1,<base64>}); HMAC-SHA256 of {@code id.timestamp.body} keyed by the base64-decoded
 * part after {@code whsec_}; the timestamp must be within the tolerance both ways.
 */
final class StandardWebhooksVerifier implements SignatureVerifier {

    private final Hmac hmac;
    private final Duration tolerance;
    private final Clock clock;

    StandardWebhooksVerifier(List<String> secrets, Duration tolerance, Clock clock) {
        this.hmac = new Hmac("HmacSHA256", secrets.stream().map(StandardWebhooksVerifier::key).toList());
        this.tolerance = Objects.requireNonNull(tolerance, "tolerance");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    private static byte[] key(String secret) {
        String encoded = secret.startsWith("whsec_") ? secret.substring(6) : secret;
        try {
            return Base64.getDecoder().decode(encoded);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("a Standard Webhooks secret must be whsec_ followed by base64");
        }
    }

    @Override
    public void verify(UnverifiedRequest request) throws SignatureException {
        String id = required(request, "webhook-id");
        String timestamp = required(request, "webhook-timestamp");
        String signatures = required(request, "webhook-signature");
        long t;
        try {
            t = Long.parseLong(timestamp.trim());
        } catch (NumberFormatException e) {
            throw new SignatureException(SignatureException.Reason.MALFORMED, "webhook-timestamp is not a number");
        }
        long now = clock.instant().getEpochSecond();
        if (t < now - tolerance.toSeconds() || t > now + tolerance.toSeconds()) {
            throw new SignatureException(SignatureException.Reason.OUTSIDE_TOLERANCE,
                    "webhook-timestamp is outside the " + tolerance.toSeconds() + " s tolerance");
        }
        List<byte[]> expected = hmac.sign((id + "." + timestamp.trim() + ".").getBytes(StandardCharsets.UTF_8),
                request.body());
        boolean anyV1 = false;
        for (String signature : signatures.trim().split(" +")) {
            if (!signature.startsWith("v1,")) {
                continue;
            }
            anyV1 = true;
            try {
                if (Hmac.matchesAny(expected, Base64.getDecoder().decode(signature.substring(3)))) {
                    return;
                }
            } catch (IllegalArgumentException e) {
                // not base64: cannot match; others may
            }
        }
        if (!anyV1) {
            throw new SignatureException(SignatureException.Reason.MALFORMED, "webhook-signature has no v1 signature");
        }
        throw new SignatureException(SignatureException.Reason.MISMATCH, "webhook-signature does not match the body");
    }

    private static String required(UnverifiedRequest request, String name) throws SignatureException {
        return request.header(name).filter(v -> !v.isBlank())
                .orElseThrow(() -> new SignatureException(SignatureException.Reason.MISSING, name + " header is missing"));
    }
}
