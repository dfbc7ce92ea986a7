package io.hooksync.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.dashjoin.jsonata.JException;
import org.junit.jupiter.api.Test;

/** Runaway JSONata ends in an ordinary exception, and what stays within the bounds evaluates as before. */
class ExpressionBoundsTest {

    private static final String ENDLESS_TAIL_RECURSION = "($f := function($x){ $f($x) }; $f(1))";
    private static final String DEEP_RECURSION = "($f := function($x){ 1 + $f($x) }; $f(1))";
    private static final String LONG_LOOP = "$sum([1..100000].($sum([1..100000])))";

    private final ExpressionBounds bounds = new ExpressionBounds(Duration.ofMillis(100), 200);

    @Test
    void aLoopStopsAtTheTimeout() {
        assertThatThrownBy(() -> bounds.evaluate(ExpressionBounds.compile(LONG_LOOP), Map.of(), Map.of()))
                .isInstanceOf(ExpressionBounds.Exceeded.class).hasMessage("the expression ran longer than 100 ms");
        // a tail call does not grow the stack: endless tail recursion is a loop, stopped by the clock
        assertThatThrownBy(() -> bounds.evaluate(ExpressionBounds.compile(ENDLESS_TAIL_RECURSION), Map.of(), Map.of()))
                .isInstanceOf(ExpressionBounds.Exceeded.class).hasMessageContaining("longer than 100 ms");
    }

    @Test
    void aDeepRecursionStopsAtTheDepthBound() {
        assertThatThrownBy(() -> bounds.evaluate(ExpressionBounds.compile(DEEP_RECURSION), Map.of(), Map.of()))
                .isInstanceOf(ExpressionBounds.Exceeded.class).hasMessage("the expression nested deeper than 200 levels");
    }

    @Test
    void aStackOverflowBeforeTheDepthBoundIsAnOrdinaryException() {
        ExpressionBounds loose = new ExpressionBounds(Duration.ofSeconds(30), 10_000_000);
        assertThatThrownBy(() -> loose.evaluate(ExpressionBounds.compile(DEEP_RECURSION), Map.of(), Map.of()))
                .isInstanceOf(ExpressionBounds.Exceeded.class).hasMessage("the expression recursed until the stack overflowed");
    }

    @Test
    void boundsCrossedInsideAFunctionArgumentAreRecognisedThroughTheWrapping() {
        // dashjoin wraps what a sort comparator or a mapper throws in a RuntimeException
        assertThatThrownBy(() -> bounds.evaluate(ExpressionBounds.compile("$sort([1..100], function($a, $b){ "
                + DEEP_RECURSION + " > 0 })"), Map.of(), Map.of()))
                .isInstanceOf(ExpressionBounds.Exceeded.class).hasMessage("the expression nested deeper than 200 levels");
        ExpressionBounds loose = new ExpressionBounds(Duration.ofSeconds(30), 10_000_000);
        assertThatThrownBy(() -> loose.evaluate(ExpressionBounds.compile("$map([1, 2], function($v){ " + DEEP_RECURSION
                + " })"), Map.of(), Map.of()))
                .isInstanceOf(ExpressionBounds.Exceeded.class).hasMessage("the expression recursed until the stack overflowed");
    }

    @Test
    void eachEvaluationGetsItsOwnClock() throws InterruptedException {
        var sum = ExpressionBounds.compile("$sum(items) + $offset");
        Map<String, Object> input = Map.of("items", List.of(1, 2, 3));
        assertThat(bounds.evaluate(sum, input, Map.of("offset", 10))).isEqualTo(16);
        Thread.sleep(150);   // longer than the timeout: a later evaluation of the same expression is not charged for it
        assertThat(bounds.evaluate(sum, input, Map.of("offset", 20))).isEqualTo(26);
        assertThat(bounds.evaluate(ExpressionBounds.compile("null"), input, Map.of())).isNull();
        assertThat(bounds.evaluate(ExpressionBounds.compile("missing"), input, Map.of())).isNull();
    }

    @Test
    void otherErrorsStayTheEvaluatorsOwn() {
        assertThatThrownBy(() -> bounds.evaluate(ExpressionBounds.compile("1 + 'a'"), Map.of(), Map.of()))
                .isInstanceOf(JException.class).isNotInstanceOf(ExpressionBounds.Exceeded.class);
    }

    @Test
    void compilingNamesSyntaxErrorsAndExpressionsTooDeepToParse() {
        assertThatThrownBy(() -> ExpressionBounds.compile("((")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ExpressionBounds.compile("(".repeat(4_000) + "1" + ")".repeat(4_000)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("nested too deeply to parse");
    }

    @Test
    void boundsMustBePositive() {
        assertThatThrownBy(() -> new ExpressionBounds(Duration.ZERO, 10)).hasMessageContaining("timeout must be positive");
        assertThatThrownBy(() -> new ExpressionBounds(Duration.ofMillis(1), 0)).hasMessageContaining("at least 1");
    }
}
