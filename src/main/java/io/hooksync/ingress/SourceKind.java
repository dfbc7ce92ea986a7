package io.hooksync.ingress;

import java.time.Duration;

/**
 * The kinds of sender Hooksync knows, with where each finds the event id and type and the
 * default signature tolerance. A source may override id and type locations.
 */
enum SourceKind {
    GITHUB("header:X-GitHub-Delivery", "header:X-GitHub-Event", Duration.ZERO, true),
    STRIPE("body:id", "body:type", Duration.ofSeconds(300), false),
    STANDARD_WEBHOOKS("header:webhook-id", "body:type", Duration.ofMinutes(5), false),
    HMAC("", "body:type", Duration.ZERO, false);

    final String defaultEventId;
    final String defaultEventType;
    final Duration defaultTolerance;
    /** GitHub can be configured to send {@code application/x-www-form-urlencoded} with a {@code payload} field. */
    final boolean acceptsFormPayload;

    SourceKind(String defaultEventId, String defaultEventType, Duration defaultTolerance, boolean acceptsFormPayload) {
        this.defaultEventId = defaultEventId;
        this.defaultEventType = defaultEventType;
        this.defaultTolerance = defaultTolerance;
        this.acceptsFormPayload = acceptsFormPayload;
    }
}
