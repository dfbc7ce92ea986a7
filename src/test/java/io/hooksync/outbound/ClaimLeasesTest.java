package io.hooksync.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ClaimLeasesTest {

    private final ClaimLeases leases = new ClaimLeases(30_000);

    @Test
    void aLeaseEndsItsLengthAfterItWasTaken() {
        assertThat(leases.next(1_000)).isEqualTo(31_000);
        assertThat(leases.next(5_000)).isEqualTo(35_000);
    }

    @Test
    void claimsInOneMillisecondGetDistinctLeasesSoAnOldResultCannotPassForANewClaim() {
        long first = leases.next(1_000);
        long second = leases.next(1_000);   // e.g. a resend released the first claim and the delivery is claimed again
        long third = leases.next(1_000);
        assertThat(second).isGreaterThan(first);
        assertThat(third).isGreaterThan(second);
        assertThat(leases.next(2_000)).isEqualTo(32_000);   // time passing takes over again
    }

    @Test
    void aClockThatStepsBackNeverRepeatsALease() {
        long before = leases.next(10_000);
        assertThat(leases.next(9_000)).isEqualTo(before + 1);
    }

    @Test
    void aLeaseMustLast() {
        assertThatThrownBy(() -> new ClaimLeases(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 1 ms");
    }
}
