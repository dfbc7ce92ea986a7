package io.hooksync.ingress;

import io.github.resilience4j.ratelimiter.RateLimiter;

/**
 * A configured sender at runtime: how its requests are verified, limited and turned into events.
 * {@code rateLimiter} and {@code partitionKey} may be null (unlimited; key = event id).
 */
record Source(String name, SourceKind kind, String topic, SignatureVerifier verifier, long maxBodyBytes,
              RateLimiter rateLimiter, FieldRef eventId, FieldRef eventType, FieldRef partitionKey) {
}
