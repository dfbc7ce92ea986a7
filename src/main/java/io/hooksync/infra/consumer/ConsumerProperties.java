package io.hooksync.infra.consumer;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code hooksync.consumers.*}: the retry and set-aside policy of the consumer loops, their liveness bound,
 * and how long set-aside records are kept.
 *
 * @param initialBackoff first wait after a failed poll; doubles on each failure in a row
 * @param maxBackoff longest wait between retries
 * @param maxAttempts tries of a record failing for an unknown reason before it is set aside
 * @param stallAfter health is DOWN when a loop completed no poll for this long, at least 4 max-backoffs
 * @param setAsideRetention set-aside records (hooksync_set_aside) older than this are pruned hourly
 */
@ConfigurationProperties(prefix = "hooksync.consumers")
public record ConsumerProperties(
        @DefaultValue("500ms") Duration initialBackoff,
        @DefaultValue("30s") Duration maxBackoff,
        @DefaultValue("5") int maxAttempts,
        @DefaultValue("2m") Duration stallAfter,
        @DefaultValue("30d") Duration setAsideRetention) {

    public ConsumerProperties {
        if (initialBackoff.isNegative() || initialBackoff.isZero() || maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException(
                    "hooksync.consumers.initial-backoff must be positive and at most hooksync.consumers.max-backoff");
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("hooksync.consumers.max-attempts must be at least 1");
        }
        if (stallAfter.isNegative() || stallAfter.isZero()) {
            throw new IllegalArgumentException("hooksync.consumers.stall-after must be positive");
        }
        if (setAsideRetention.isNegative() || setAsideRetention.isZero()) {
            throw new IllegalArgumentException("hooksync.consumers.set-aside-retention must be positive");
        }
    }

    /**
     * How long a loop may go without completing a poll before health is DOWN: {@code stall-after}, but at
     * least four longest backoffs (a backing-off loop polls paused, so this only catches a stuck one).
     */
    public Duration staleAfter() {
        Duration backoffs = maxBackoff.multipliedBy(4);
        return backoffs.compareTo(stallAfter) > 0 ? backoffs : stallAfter;
    }
}
