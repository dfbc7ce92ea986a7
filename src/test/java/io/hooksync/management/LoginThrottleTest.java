package io.hooksync.management;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

/** The failed-login throttle: per address, per user at an address, per user everywhere (ten times more), one window from the first failure, bounded keys. */
class LoginThrottleTest {

    private final MutableClock clock = new MutableClock();
    private final LoginThrottle throttle = new LoginThrottle(
            new ManagementProperties.LoginThrottle(3, Duration.ofMinutes(5), 100), clock);

    @Test
    void theThirdFailureFromAnAddressLocksItForEveryUserAndNotTheUserElsewhere() {
        throttle.failed("admin", "10.0.0.1");
        throttle.failed("admin", "10.0.0.1");
        assertThat(throttle.lockedFor("admin", "10.0.0.1")).isEmpty();
        clock.advance(Duration.ofMinutes(1));
        throttle.failed("admin", "10.0.0.1");
        assertThat(throttle.lockedFor("admin", "10.0.0.1")).hasValue(Duration.ofMinutes(4));
        assertThat(throttle.lockedFor("someone", "10.0.0.1")).as("the address for any user").isPresent();
        assertThat(throttle.lockedFor(null, "10.0.0.1")).as("tokens too").isPresent();
        assertThat(throttle.lockedFor("admin", "10.0.0.9")).as("the admin elsewhere: one address cannot lock them out")
                .isEmpty();
    }

    /** Guessing spread over addresses (two tries each, under the address limit) is bounded per user all the same. */
    @Test
    void aUserIsLockedEverywhereAfterTenTimesTheFailuresFromAnyAddresses() {
        int spread = 3 * LoginThrottle.SPREAD;
        for (int i = 0; i < spread - 1; i++) {
            throttle.failed("admin", "10.0." + (i / 2) + ".1");
        }
        assertThat(throttle.lockedFor("admin", "10.9.9.9")).isEmpty();
        throttle.failed("admin", "10.1.0.1");
        assertThat(throttle.lockedFor("admin", "10.9.9.9")).isPresent();
        assertThat(throttle.lockedFor("someone", "10.9.9.9")).isEmpty();
    }

    @Test
    void theLockEndsWithTheWindowAndCountingStartsAgain() {
        for (int i = 0; i < 3; i++) {
            throttle.failed(null, "10.0.0.1");
        }
        assertThat(throttle.lockedFor(null, "10.0.0.1")).hasValue(Duration.ofMinutes(5));
        clock.advance(Duration.ofMinutes(5));
        assertThat(throttle.lockedFor(null, "10.0.0.1")).isEmpty();
        throttle.failed(null, "10.0.0.1");
        assertThat(throttle.lockedFor(null, "10.0.0.1")).as("a new window with one failure").isEmpty();
    }

    @Test
    void failuresSpreadOverMoreThanAWindowNeverLock() {
        for (int i = 0; i < 10; i++) {
            throttle.failed("admin", "10.0.0.1");
            clock.advance(Duration.ofMinutes(3));
        }
        assertThat(throttle.lockedFor("admin", "10.0.0.1")).isEmpty();
    }

    @Test
    void aHugeUserNameIsRememberedByItsFirst256Characters() {
        String huge = "x".repeat(100_000);
        for (int i = 0; i < 3 * LoginThrottle.SPREAD; i++) {
            throttle.failed(huge + i, "10.0." + i + ".1");
        }
        assertThat(throttle.lockedFor("x".repeat(256), "10.9.9.9")).isPresent();
    }

    private static final class MutableClock extends Clock {

        private Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
