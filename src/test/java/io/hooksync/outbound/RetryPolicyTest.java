package io.hooksync.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

class RetryPolicyTest {

    private static final List<Duration> DEFAULT = List.of(Duration.ZERO, Duration.ofSeconds(5), Duration.ofMinutes(5),
            Duration.ofMinutes(30), Duration.ofHours(2), Duration.ofHours(5), Duration.ofHours(10), Duration.ofHours(10));
    private final RetryPolicy policy = new RetryPolicy(DEFAULT, 0.2, Duration.ofHours(1));

    @Test
    void followsTheScheduleAndEndsAfterItsLastEntry() {
        assertThat(policy.maxAttempts()).isEqualTo(8);
        assertThat(policy.next(1, null, 0.5)).contains(Duration.ofSeconds(5));
        assertThat(policy.next(2, null, 0.5)).contains(Duration.ofMinutes(5));
        assertThat(policy.next(7, null, 0.5)).contains(Duration.ofHours(10));
        assertThat(policy.next(8, null, 0.5)).isEmpty();
        assertThat(policy.next(9, null, 0.5)).isEmpty();
    }

    @Test
    void jitterStaysWithinItsBounds() {
        assertThat(policy.next(2, null, 0.0)).contains(Duration.ofMinutes(4));          // -20%
        assertThat(policy.next(2, null, 0.999_999).orElseThrow())
                .isLessThanOrEqualTo(Duration.ofMinutes(6)).isGreaterThan(Duration.ofMillis(359_000)); // +20%
        for (double r = 0; r < 1; r += 0.01) {
            Duration d = policy.next(3, null, r).orElseThrow();
            assertThat(d).isBetween(Duration.ofMinutes(24), Duration.ofMinutes(36));
        }
    }

    @Test
    void retryAfterReplacesTheScheduledWaitAndIsClamped() {
        assertThat(policy.next(1, Duration.ofSeconds(120), 0.5)).contains(Duration.ofSeconds(120));
        assertThat(policy.next(1, Duration.ofDays(3), 0.5)).contains(Duration.ofHours(1));
        assertThat(policy.next(1, Duration.ofSeconds(-30), 0.5)).contains(Duration.ZERO);
        // a receiver that keeps answering 429 still ends the schedule
        assertThat(policy.next(8, Duration.ofSeconds(1), 0.5)).isEmpty();
    }

    @Test
    void refusesNonsense() {
        assertThatThrownBy(() -> new RetryPolicy(List.of(), 0.2, Duration.ofHours(1)))
                .hasMessageContaining("at least one entry");
        assertThatThrownBy(() -> new RetryPolicy(List.of(Duration.ofSeconds(-1)), 0.2, Duration.ofHours(1)))
                .hasMessageContaining("negative");
        assertThatThrownBy(() -> new RetryPolicy(DEFAULT, 1.5, Duration.ofHours(1))).hasMessageContaining("jitter");
        assertThatThrownBy(() -> policy.next(0, null, 0.5)).hasMessageContaining("at least 1");
    }
}
