package io.hooksync.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * The adaptive limit's policy, fed answers by hand (times are nanoseconds of a made-up clock): it doubles per round
 * trip of delivered answers until the first overload, then grows by one per round trip, is cut once per round trip
 * of overload, and stays between its bounds.
 */
class PacedAimdLimitTest {

    private static final long SLOW = 5_000;
    private long now = 1_000_000;

    @Test
    void itStartsAtTheMinimumAndDoublesPerRoundTripUntilTheFirstOverload() {
        PacedAimdLimit limit = new PacedAimdLimit(4, 64, 0.7, SLOW);
        assertThat(limit.getLimit()).isEqualTo(4);
        answer(limit, 4, 4, false);   // the answers of one round trip at 4
        assertThat(limit.getLimit()).isEqualTo(8);
        answer(limit, 8, 8, false);
        assertThat(limit.getLimit()).isEqualTo(16);
        answer(limit, 1, 16, true);
        assertThat(limit.getLimit()).as("the first overload: one cut, and the doubling is over").isEqualTo(11);
        answer(limit, 10, 11, false);
        assertThat(limit.getLimit()).as("ten answers at limit 11").isEqualTo(11);
        answer(limit, 1, 11, false);
        assertThat(limit.getLimit()).isEqualTo(12);
    }

    @Test
    void afterTheFirstOverloadItGrowsByOneAfterAsManyDeliveredAnswersAsTheLimit() {
        PacedAimdLimit limit = afterOverload();
        assertThat(limit.getLimit()).isEqualTo(4);
        answer(limit, 3, 4, false);
        assertThat(limit.getLimit()).as("three answers at limit 4").isEqualTo(4);
        answer(limit, 1, 4, false);
        assertThat(limit.getLimit()).as("the fourth").isEqualTo(5);
        answer(limit, 4, 5, false);
        assertThat(limit.getLimit()).as("four answers at limit 5").isEqualTo(5);
        answer(limit, 1, 5, false);
        assertThat(limit.getLimit()).isEqualTo(6);
    }

    @Test
    void answersWithLessThanHalfOfTheLimitInUseDoNotGrowIt() {
        PacedAimdLimit limit = new PacedAimdLimit(4, 64, 0.7, SLOW);
        answer(limit, 100, 1, false);
        assertThat(limit.getLimit()).isEqualTo(4);
        answer(limit, 1, 2, false);   // half in use counts
        assertThat(limit.getLimit()).isEqualTo(5);
        PacedAimdLimit linear = afterOverload();
        answer(linear, 100, 1, false);
        assertThat(linear.getLimit()).isEqualTo(4);
    }

    @Test
    void itNeverGrowsAboveTheMaximum() {
        PacedAimdLimit limit = new PacedAimdLimit(2, 6, 0.7, SLOW);
        answer(limit, 1_000, 6, false);
        assertThat(limit.getLimit()).isEqualTo(6);
    }

    @Test
    void overloadCutsOncePerRoundTripNotOncePerFailedAnswer() {
        PacedAimdLimit limit = grownTo(20);
        long sentTogether = now;
        now += 100;
        // twenty requests sent together all fail: one congestion, one cut
        for (int i = 0; i < 20; i++) {
            limit.onSample(sentTogether, now - sentTogether, 20, true);
        }
        assertThat(limit.getLimit()).isEqualTo(14);
        // a request sent after that cut fails too: the overload goes on, a second cut
        long sentAfter = ++now;
        now += 100;
        limit.onSample(sentAfter, now - sentAfter, 14, true);
        assertThat(limit.getLimit()).isEqualTo(9);
    }

    @Test
    void aSlowAnswerIsOverloadAsAFailureIs() {
        PacedAimdLimit limit = grownTo(10);
        long sent = ++now;
        now += SLOW + 1;
        limit.onSample(sent, now - sent, 10, false);
        assertThat(limit.getLimit()).isEqualTo(7);
    }

    @Test
    void cutsNeverGoBelowTheMinimumAndGrowthStartsOverAfterACut() {
        PacedAimdLimit limit = grownTo(6);
        answer(limit, 5, 6, false);   // one answer short of growing to 7
        for (int i = 0; i < 5; i++) {
            answer(limit, 1, 6, true);
        }
        assertThat(limit.getLimit()).isEqualTo(4);
        answer(limit, 3, 4, false);
        assertThat(limit.getLimit()).as("the answers before the cut do not count").isEqualTo(4);
        answer(limit, 1, 4, false);
        assertThat(limit.getLimit()).isEqualTo(5);
    }

    @Test
    void movedBoundsBringTheLimitWithinThemAtOnceAndHoldAfterwards() {
        PacedAimdLimit limit = grownTo(20);
        limit.bounds(2, 8);
        assertThat(limit.getLimit()).as("lowered ceiling").isEqualTo(8);
        answer(limit, 100, 8, false);
        assertThat(limit.getLimit()).isEqualTo(8);
        answer(limit, 1, 8, true);
        assertThat(limit.getLimit()).as("cut: 0.7 of 8").isEqualTo(5);
        limit.bounds(10, 12);
        assertThat(limit.getLimit()).as("raised floor").isEqualTo(10);
        limit.bounds(1, 1);
        answer(limit, 10, 1, false);
        answer(limit, 1, 1, true);
        assertThat(limit.getLimit()).as("equal bounds: fixed").isEqualTo(1);
        assertThat(limit.min()).isEqualTo(1);
        assertThat(limit.max()).isEqualTo(1);
        assertThatThrownBy(() -> limit.bounds(3, 2)).isInstanceOf(IllegalArgumentException.class);
        assertThat(limit.getLimit()).as("refused bounds change nothing").isEqualTo(1);
    }

    @Test
    void boundsOutOfOrderAreRefused() {
        assertThatThrownBy(() -> new PacedAimdLimit(8, 4, 0.7, SLOW))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("min 8 and max 4");
        assertThatThrownBy(() -> new PacedAimdLimit(0, 4, 0.7, SLOW)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PacedAimdLimit(1, 4, 1.0, SLOW))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("backoff");
    }

    /** A limit at 4 whose doubling is over: one request failed. */
    private PacedAimdLimit afterOverload() {
        PacedAimdLimit limit = new PacedAimdLimit(4, 64, 0.7, SLOW);
        answer(limit, 1, 4, true);
        return limit;
    }

    /** A limit grown one by one to {@code target} after its first overload. */
    private PacedAimdLimit grownTo(int target) {
        PacedAimdLimit limit = afterOverload();
        while (limit.getLimit() < target) {
            answer(limit, 1, limit.getLimit(), false);
        }
        return limit;
    }

    /** Answers of requests sent one after another, each after the last answer (fast: 100 ns). */
    private void answer(PacedAimdLimit limit, int count, int inFlight, boolean failed) {
        for (int i = 0; i < count; i++) {
            long sent = ++now;
            now += 100;
            limit.onSample(sent, now - sent, inFlight, failed);
        }
    }
}
