package io.hooksync.infra.consumer;

import java.time.Duration;

import io.hooksync.infra.SettingBounds;
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
        String p = "hooksync.consumers.";
        SettingBounds.between(p + "initial-backoff", initialBackoff, Duration.ofMillis(1), Duration.ofMinutes(1),
                "first wait after a failed poll");
        SettingBounds.between(p + "max-backoff", maxBackoff, initialBackoff, Duration.ofHours(1),
                "longest wait between retries, at least initial-backoff");
        SettingBounds.between(p + "max-attempts", maxAttempts, 1, 100, "tries before a record is set aside");
        SettingBounds.between(p + "stall-after", stallAfter, Duration.ofSeconds(1), Duration.ofDays(1),
                "health is DOWN after a loop stalls this long");
        SettingBounds.between(p + "set-aside-retention", setAsideRetention, Duration.ofHours(1), Duration.ofDays(3650),
                "set-aside records kept before they are pruned");
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
