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

    static Rejection unknownSource(String name) {
        return new Rejection(404, "unknown-source", "Unknown source", "no source named '" + name + "' is configured");
    }

    static Rejection methodNotAllowed(String method) {
        return new Rejection(405, "method-not-allowed", "Method not allowed",
                method + " is not accepted here; webhooks are sent with POST", Map.of("Allow", "POST"));
    }

    static Rejection tooLarge(long limit) {
        return new Rejection(413, "body-too-large", "Body too large",
                "the body is larger than this source's limit of " + limit + " bytes (hooksync.sources.<name>.max-body)");
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
