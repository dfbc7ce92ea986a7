package io.hooksync.outbound;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A receiver of outbound messages. {@code previousSecret} keeps signing until
 * {@code previousSecretUntil} (epoch ms) after a rotation, so receivers can switch without a gap.
 * {@code maxInFlight}: the most requests in flight to it at once, or null for the engine's
 * {@code concurrency-per-endpoint}. Times are epoch milliseconds.
 */
record Endpoint(String id, String url, String description, List<String> eventTypes, String filter,
                Map<String, String> headers, String secret, String previousSecret, Long previousSecretUntil,
                boolean enabled, boolean ordered, Integer maxInFlight, String disabledReason, String managedBy,
                Long failingSince, long createdAt, long updatedAt) {

    static final String API = "api";
    static final String CONFIG = "config";

    Endpoint {
        eventTypes = List.copyOf(eventTypes);
        headers = Map.copyOf(headers);
    }

    /** The keys that sign a message sent at {@code now}: the current secret and, during the overlap, the previous one. */
    List<byte[]> signingKeys(long now) {
        List<byte[]> keys = new ArrayList<>(2);
        keys.add(Signatures.key(secret));
        if (previousSecret != null && previousSecretUntil != null && now < previousSecretUntil) {
            keys.add(Signatures.key(previousSecret));
        }
        return keys;
    }

    Endpoint withEnabled(boolean on, String reason, long now) {
        return new Endpoint(id, url, description, eventTypes, filter, headers, secret, previousSecret,
                previousSecretUntil, on, ordered, maxInFlight, on ? null : reason, managedBy, on ? null : failingSince,
                createdAt, now);
    }
}
