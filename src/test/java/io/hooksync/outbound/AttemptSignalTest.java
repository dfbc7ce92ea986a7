package io.hooksync.outbound;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What an attempt's result says about the receiver's load, for its endpoint's adaptive limit. */
class AttemptSignalTest {

    private static final Delivery.Claimed CLAIMED = new Delivery.Claimed(1, "crm",
            new Delivery.Message("m1", "issue.synced", "issues:1", "{}", 0), 0, 0);

    @Test
    void aDeliveredAnswerIsASuccess() {
        assertThat(signal(Delivery.Outcome.DELIVERED, 204)).isEqualTo(Lane.Signal.SUCCESS);
    }

    @Test
    void noAnswerA408A429OrA5xxIsOverload() {
        assertThat(signal(Delivery.Outcome.FAILED, null)).isEqualTo(Lane.Signal.CONGESTION);
        assertThat(signal(Delivery.Outcome.FAILED, 408)).isEqualTo(Lane.Signal.CONGESTION);
        assertThat(signal(Delivery.Outcome.FAILED, 429)).isEqualTo(Lane.Signal.CONGESTION);
        assertThat(signal(Delivery.Outcome.FAILED, 500)).isEqualTo(Lane.Signal.CONGESTION);
        assertThat(signal(Delivery.Outcome.FAILED, 503)).isEqualTo(Lane.Signal.CONGESTION);
    }

    @Test
    void aRefusedMessageARedirectOrAnAttemptNotSentSaysNothingAboutLoad() {
        assertThat(signal(Delivery.Outcome.FAILED, 400)).isEqualTo(Lane.Signal.NONE);
        assertThat(signal(Delivery.Outcome.FAILED, 404)).isEqualTo(Lane.Signal.NONE);
        assertThat(signal(Delivery.Outcome.FAILED, 302)).isEqualTo(Lane.Signal.NONE);
        assertThat(signal(Delivery.Outcome.GONE, 410)).isEqualTo(Lane.Signal.NONE);
        assertThat(signal(Delivery.Outcome.REFUSED, null)).isEqualTo(Lane.Signal.NONE);
        assertThat(signal(Delivery.Outcome.DEFERRED, null)).isEqualTo(Lane.Signal.NONE);
        assertThat(signal(Delivery.Outcome.RELEASED, null)).isEqualTo(Lane.Signal.NONE);
    }

    private static Lane.Signal signal(Delivery.Outcome outcome, Integer status) {
        return Attempts.signal(new Delivery.Result(CLAIMED, outcome, 0, status, 5, null, null, null));
    }
}
