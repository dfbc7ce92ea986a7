package io.hooksync.ingress;

import java.util.Map;

/**
 * Why a webhook was refused: the HTTP status, a stable reason (the metric tag and the problem type)
 * and a detail safe to show the sender. Extra headers carry Retry-After or Allow.
 */
final class Rejection extends Exception {

    private final int status;
    private final String reason;
    private final String title;
    private final transient Map<String, String> headers;

    Rejection(int status, String reason, String title, String detail, Map<String, String> headers) {
        super(detail, null, false, false);
        this.status = status;
        this.reason = reason;
        this.title = title;
        this.headers = Map.copyOf(headers);
    }

    Rejection(int status, String reason, String title, String detail) {
        this(status, reason, title, detail, Map.of());
    }

    /** {@code prefix}: the ingress path with its trailing slash, e.g. {@code /webhooks/}. */
    static Rejection unknownSource(String path, String prefix) {
        return new Rejection(404, "unknown-source", "Unknown source",
                "no source is configured at '" + path + "'; webhooks are sent to " + prefix
                        + "<source name>, a name under hooksync.sources");
    }

    static Rejection notReady() {
        return new Rejection(503, "not-ready", "Service unavailable",
                "the engine is starting or stopping and accepts no webhooks yet; send it again shortly",
                Map.of("Retry-After", "5"));
    }

    static Rejection busy() {
        return new Rejection(503, "busy", "Service unavailable",
                "too many webhook bodies are in flight (hooksync.ingress.max-in-flight); send it again shortly",
                Map.of("Retry-After", "1"));
    }

    static Rejection clientRateLimited(long retryAfterSeconds) {
        return new Rejection(429, "client-rate-limited", "Too many requests",
                "too many requests from this address (hooksync.ingress.client-rate-limit); retry after "
                        + retryAfterSeconds + " s", Map.of("Retry-After", Long.toString(retryAfterSeconds)));
    }

    static Rejection bodyTimeout() {
        return new Rejection(408, "body-timeout", "Request timeout",
                "the body did not arrive within hooksync.ingress.read-timeout");
    }

    static Rejection methodNotAllowed(String method) {
        return new Rejection(405, "method-not-allowed", "Method not allowed",
                method + " is not accepted here; webhooks are sent with POST", Map.of("Allow", "POST"));
    }

    static Rejection tooLarge(Source source) {
        return new Rejection(413, "body-too-large", "Body too large", "the body is larger than this source's limit of "
                + source.maxBodyBytes() + " bytes (hooksync.sources." + source.name() + ".max-body)");
    }

    static Rejection unsupportedMediaType(String contentType, String accepted) {
        return new Rejection(415, "unsupported-media-type", "Unsupported media type",
                "Content-Type '" + contentType + "' is not accepted; send " + accepted);
    }

    static Rejection rateLimited(long retryAfterSeconds) {
        return new Rejection(429, "rate-limited", "Too many requests",
                "this source's rate limit is exhausted; retry after " + retryAfterSeconds + " s",
                Map.of("Retry-After", Long.toString(retryAfterSeconds)));
    }

    static Rejection signature(SignatureException e) {
        String reason = switch (e.reason()) {
            case MISSING -> "signature-missing";
            case MALFORMED -> "signature-malformed";
            case MISMATCH -> "signature-invalid";
            case OUTSIDE_TOLERANCE -> "signature-expired";
        };
        return new Rejection(401, reason, "Signature not verified", e.getMessage());
    }

    static Rejection badRequest(String reason, String detail) {
        return new Rejection(400, reason, "Bad request", detail);
    }

    static Rejection unavailable(String detail) {
        return new Rejection(503, "kafka-unavailable", "Service unavailable", detail, Map.of("Retry-After", "5"));
    }

    int status() {
        return status;
    }

    String reason() {
        return reason;
    }

    String title() {
        return title;
    }

    Map<String, String> headers() {
        return headers;
    }
}
