package io.hooksync.ingress;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;

import io.github.resilience4j.ratelimiter.RateLimiter;
import org.springframework.stereotype.Component;

/**
 * The policy of the front door as one pure step: an unverified request either becomes a
 * {@link VerifiedEvent} or is refused with a precise {@link Rejection}. Checks run cheapest first,
 * except the source's rate limit, which counts verified requests only; the payload is parsed only after its
 * signature verified, and every field that reaches Kafka, tables or logs is bounded and printable.
 */
@Component
class WebhookGate {

    private static final int MAX_ID_LENGTH = 256;
    private static final int MAX_NAME_LENGTH = 200;
    private static final String JSON = "application/json";
    private static final String FORM = "application/x-www-form-urlencoded";

    private final Clock clock;

    WebhookGate(Clock clock) {
        this.clock = clock;
    }

    VerifiedEvent admit(Source source, String method, String contentType, UnverifiedRequest request)
            throws Rejection {
        if (!"POST".equals(method)) {
            throw Rejection.methodNotAllowed(method);
        }
        if (request.body().length > source.maxBodyBytes()) {
            throw Rejection.tooLarge(source);
        }
        boolean form = checkContentType(source, contentType);
        try {
            source.verifier().verify(request);
        } catch (SignatureException e) {
            throw Rejection.signature(e);
        }
        checkRate(source.rateLimiter());   // after the signature: unsigned junk cannot spend the sender's quota
        byte[] json = form ? formPayload(request.body()) : request.body();
        Map<String, String> fields = scan(source, json);
        String id = value(source.eventId(), request, fields, json);
        String type = value(source.eventType(), request, fields, json);
        if (id == null || id.isBlank()) {
            throw Rejection.badRequest("missing-event-id", "the event id is missing (expected at " + source.eventId() + ")");
        }
        if (id.length() > MAX_ID_LENGTH || !id.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw Rejection.badRequest("invalid-event-id",
                    "the event id must be 1 to " + MAX_ID_LENGTH + " printable ASCII characters without spaces");
        }
        if (type == null || type.isBlank()) {
            throw Rejection.badRequest("missing-event-type",
                    "the event type is missing (expected at " + source.eventType() + ")");
        }
        checkField("event-type", "the event type", type, MAX_NAME_LENGTH);
        String action = fields.get("action");
        if (action != null) {
            checkField("action", "the action", action, MAX_NAME_LENGTH);
        }
        String key = source.partitionKey() == null ? id : fields.getOrDefault(source.partitionKey().name(), id);
        checkField("partition-key", "the partition key", key, MAX_ID_LENGTH);
        return new VerifiedEvent(source, id, type, action, key, clock.instant(), json);
    }

    /**
     * Refuses a value taken from the request that would reach Kafka headers, tables and logs unless it is at most
     * {@code max} characters of printable text: no control, format (bidi overrides), private-use, unassigned or
     * lone surrogate characters.
     */
    private static void checkField(String reason, String what, String value, int max) throws Rejection {
        if (value.length() > max) {
            throw Rejection.badRequest("invalid-" + reason, what + " is " + value.length()
                    + " characters long; at most " + max + " are accepted");
        }
        if (!printable(value)) {
            throw Rejection.badRequest("invalid-" + reason, what + " contains control or non-printable characters");
        }
    }

    static boolean printable(String value) {
        return value.codePoints().allMatch(c -> switch (Character.getType(c)) {
            case Character.CONTROL, Character.FORMAT, Character.PRIVATE_USE, Character.SURROGATE,
                 Character.UNASSIGNED, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR -> false;
            default -> true;
        });
    }

    private static void checkRate(RateLimiter limiter) throws Rejection {
        if (limiter != null && !limiter.acquirePermission()) {
            throw Rejection.rateLimited(ClientRateLimits.secondsToWait(limiter));
        }
    }

    /** True when the body is GitHub's form encoding. */
    private static boolean checkContentType(Source source, String contentType) throws Rejection {
        String media = contentType == null ? "" : contentType.split(";", 2)[0].trim().toLowerCase();
        if (media.equals(JSON) || (media.startsWith("application/") && media.endsWith("+json"))) {
            return false;
        }
        if (source.kind().acceptsFormPayload && media.equals(FORM)) {
            return true;
        }
        throw Rejection.unsupportedMediaType(contentType == null ? "" : contentType,
                source.kind().acceptsFormPayload ? JSON + " or " + FORM + " with a payload field" : JSON);
    }

    private static byte[] formPayload(byte[] body) throws Rejection {
        for (String pair : new String(body, StandardCharsets.US_ASCII).split("&")) {
            if (pair.startsWith("payload=")) {
                try {
                    return URLDecoder.decode(pair.substring(8), StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8);
                } catch (IllegalArgumentException e) {
                    throw Rejection.badRequest("malformed-form", "the payload field is not valid URL encoding");
                }
            }
        }
        throw Rejection.badRequest("malformed-form", "a form-encoded body must carry the JSON in a payload field");
    }

    private static Map<String, String> scan(Source source, byte[] json) throws Rejection {
        Set<String> paths = new HashSet<>();
        paths.add("action");
        for (FieldRef ref : new FieldRef[] {source.eventId(), source.eventType(), source.partitionKey()}) {
            if (ref != null && ref.where() == FieldRef.Where.BODY) {
                paths.add(ref.name());
            }
        }
        try {
            return PayloadScan.scan(json, paths);
        } catch (PayloadScan.MalformedPayloadException e) {
            throw Rejection.badRequest("malformed-json", e.getMessage());
        }
    }

    private static String value(FieldRef ref, UnverifiedRequest request, Map<String, String> fields, byte[] json) {
        return switch (ref.where()) {
            case HEADER -> request.header(ref.name()).map(String::trim).orElse(null);
            case BODY -> fields.get(ref.name());
            case CONTENT_HASH -> sha256(json);
        };
    }

    private static String sha256(byte[] bytes) {
        try {
            return "sha256-" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
