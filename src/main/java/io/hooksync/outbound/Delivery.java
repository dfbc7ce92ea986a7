package io.hooksync.outbound;

/** The types the delivery machinery passes around. Times are epoch milliseconds. */
final class Delivery {

    private Delivery() {
    }

    /** A message taken from the outbound topic (or created by the API, e.g. a test event). */
    record Message(String id, String type, String entityKey, String payload, long createdAt) {
    }

    /**
     * A delivery claimed by this instance: it is sent once, then {@link Result} releases it. {@code lease} is the
     * {@code locked_until} the claim set: the result is written only while the delivery still holds it.
     */
    record Claimed(long deliveryId, String endpointId, Message message, int attempts, long lease) {
    }

    enum Outcome {
        /** 2xx. */
        DELIVERED,
        /** Any other answer, a timeout or a connection failure. */
        FAILED,
        /** The SSRF guard refused the address. */
        REFUSED,
        /** 410 Gone: the endpoint is disabled. */
        GONE,
        /** Not sent: the endpoint's circuit breaker is open; rescheduled without counting an attempt. */
        DEFERRED,
        /**
         * Not sent: the endpoint answered 410, was disabled or deleted after the delivery was claimed;
         * back to pending (due now) without counting an attempt, like any disabled endpoint's deliveries.
         */
        RELEASED
    }

    /**
     * What happened to one claimed delivery. {@code nextAttemptAt} is null when the delivery is final
     * (delivered, or failed for good).
     */
    record Result(Claimed claimed, Outcome outcome, long attemptedAt, Integer statusCode, int latencyMs,
                  String responseBody, String error, Long nextAttemptAt) {

        boolean countsAsAttempt() {
            return outcome != Outcome.DEFERRED && outcome != Outcome.RELEASED;
        }

        String status() {
            if (outcome == Outcome.DELIVERED) {
                return "delivered";
            }
            return nextAttemptAt == null ? "failed" : "pending";
        }

        boolean exhausted() {
            return outcome != Outcome.DELIVERED && outcome != Outcome.GONE && nextAttemptAt == null;
        }
    }
}
