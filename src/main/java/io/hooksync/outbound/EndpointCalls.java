package io.hooksync.outbound;

import java.time.Duration;
import java.time.Instant;

import jakarta.validation.constraints.NotNull;

/** The small request and answer bodies of the endpoint API besides {@link EndpointRequest} and {@link EndpointView}. */
final class EndpointCalls {

    private EndpointCalls() {
    }

    /** {@code POST /api/endpoints/{id}/rotate-secret}: how long the old secret keeps signing (default 24 hours). */
    record Rotate(Duration overlap) {
    }

    /** {@code POST /api/endpoints/{id}/recover}: every failed delivery created since then is sent again. */
    record Recover(@NotNull(message = REQUIRED) Instant since) {
        static final String REQUIRED = "required: an ISO-8601 instant such as 2026-11-28T10:00:00Z";
    }

    /** The answer to recover. */
    record Recovered(String endpointId, int rescheduled) {
    }

    /** The answer to test: the id of the {@code hooksync.test} message. */
    record TestSent(String messageId) {
    }

    /** The answer to resend. */
    record Resent(String endpointId, String messageId) {
    }
}
