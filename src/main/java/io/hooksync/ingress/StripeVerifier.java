package io.hooksync.ingress;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * Stripe: {@code Stripe-Signature: t=<unix>,v1=<hex>[,v1=...]}, HMAC-SHA256 of {@code t.body} keyed by
 * the UTF-8 bytes of the whole {@code whsec_...} secret; any v1 may match, v0 and unknown schemes are
 * ignored. Stripe itself only checks age; this verifier also refuses timestamps more than the
 * tolerance in the future, which a replayed or forged header could otherwise use to live longer.
 */
final class StripeVerifier implements SignatureVerifier {

    static final String HEADER = "Stripe-Signature";
    private final Hmac hmac;
    private final Duration tolerance;
    private final Clock clock;

    StripeVerifier(List<String> secrets, Duration tolerance, Clock clock) {
        this.hmac = Hmac.sha256Utf8(secrets);
        this.tolerance = Objects.requireNonNull(tolerance, "tolerance");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public void verify(UnverifiedRequest request) throws SignatureException {
        String header = request.header(HEADER)
                .orElseThrow(() -> new SignatureException(SignatureException.Reason.MISSING, HEADER + " header is missing"));
        String timestamp = null;
        List<byte[]> candidates = new ArrayList<>();
        boolean anyV1 = false;
        for (String element : header.split(",")) {
            int eq = element.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            String name = element.substring(0, eq).trim();
            String value = element.substring(eq + 1).trim();
            if (name.equals("t")) {
                timestamp = value;
            } else if (name.equals("v1")) {
                anyV1 = true;
                try {
                    candidates.add(HexFormat.of().parseHex(value));
                } catch (IllegalArgumentException e) {
                    // a malformed v1 cannot match; others may
                }
            }
        }
        if (timestamp == null) {
            throw new SignatureException(SignatureException.Reason.MALFORMED, HEADER + " has no t= timestamp");
        }
        long t;
        try {
            t = Long.parseLong(timestamp);
        } catch (NumberFormatException e) {
            throw new SignatureException(SignatureException.Reason.MALFORMED, HEADER + " timestamp is not a number");
        }
        if (candidates.isEmpty()) {
            throw new SignatureException(anyV1 ? SignatureException.Reason.MALFORMED : SignatureException.Reason.MISSING,
                    anyV1 ? HEADER + " v1 signature is not hexadecimal" : HEADER + " has no v1 signature");
        }
        long now = clock.instant().getEpochSecond();
        if (t < now - tolerance.toSeconds() || t > now + tolerance.toSeconds()) {
            throw new SignatureException(SignatureException.Reason.OUTSIDE_TOLERANCE,
                    HEADER + " timestamp is outside the " + tolerance.toSeconds() + " s tolerance");
        }
        List<byte[]> expected = hmac.sign((timestamp + ".").getBytes(StandardCharsets.UTF_8), request.body());
        for (byte[] candidate : candidates) {
            if (Hmac.matchesAny(expected, candidate)) {
                return;
            }
        }
        throw new SignatureException(SignatureException.Reason.MISMATCH, HEADER + " does not match the body");
    }
}
