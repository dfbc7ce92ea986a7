package io.hooksync.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

/** The ingress's own bounds as plain objects: the per-address rate limit and the in-flight byte budget. */
class IngressLimitsTest {

    @Test
    void eachAddressHasItsOwnLimitAndOffMeansOff() {
        ClientRateLimits limits = new ClientRateLimits(new IngressProperties.RateLimit(3, Duration.ofHours(1)));
        for (int i = 0; i < 3; i++) {
            assertThat(limits.acquire("10.0.0.1")).isEmpty();
        }
        assertThat(limits.acquire("10.0.0.1").orElse(0)).as("seconds to wait").isPositive();
        assertThat(limits.acquire("10.0.0.2")).as("another address is unaffected").isEmpty();

        ClientRateLimits off = new ClientRateLimits(new IngressProperties.RateLimit(0, Duration.ofSeconds(1)));
        for (int i = 0; i < 10_000; i++) {
            assertThat(off.acquire("10.0.0.1")).isEmpty();
        }
    }

    @Test
    void theBudgetRefusesWhatDoesNotFitAndTakesBackWhatIsReleased() {
        InFlightBudget budget = new InFlightBudget(100);
        assertThat(budget.tryAcquire(60)).isTrue();
        assertThat(budget.tryAcquire(50)).as("60 + 50 > 100").isFalse();
        assertThat(budget.tryAcquire(40)).isTrue();
        budget.release(60);
        assertThat(budget.used()).isEqualTo(40);
        assertThat(budget.tryAcquire(60)).isTrue();
        budget.release(40);
        budget.release(60);
        assertThat(budget.used()).isZero();
        assertThat(budget.tryAcquire(500)).as("one body larger than the whole budget passes alone").isTrue();
        assertThat(budget.tryAcquire(1)).isFalse();
    }
}
