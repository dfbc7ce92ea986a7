package io.hooksync.infra;

import java.time.Duration;
import java.util.Map;

import com.dashjoin.jsonata.JException;
import com.dashjoin.jsonata.Jsonata;

/**
 * A time and nesting bound for one JSONata evaluation, so that an expression written in a mapping file
 * or sent by an API caller (an endpoint filter) cannot run away with the thread that evaluates it. Each
 * evaluation gets a fresh frame with dashjoin's runtime bounds ({@code Frame.setRuntimeBounds}): the
 * clock starts with the evaluation, and the evaluator checks elapsed time and nesting depth each time it
 * enters or leaves a sub-expression, so a loop or a recursion stops at the next step after a bound. A
 * single built-in call on a large input is not interrupted (JSONata's own limits apply, e.g. ranges of
 * at most 10 million items), but whatever calls it again is. A {@link StackOverflowError} (a recursion
 * that exhausts the thread's stack before the depth bound) is caught too. Either way the caller gets
 * {@link Exceeded}, an ordinary exception, and the thread goes on.
 */
public record ExpressionBounds(Duration timeout, int maxDepth) {

    private static final String OVERFLOW = "the expression recursed until the stack overflowed";

    public ExpressionBounds {
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("an expression timeout must be positive (was " + timeout + ")");
        }
        if (maxDepth < 1) {
            throw new IllegalArgumentException("an expression depth bound must be at least 1 (was " + maxDepth + ")");
        }
    }

    /** An evaluation crossed a bound: it ran too long, nested too deeply or overflowed the stack. */
    public static final class Exceeded extends RuntimeException {
        Exceeded(String message) {
            super(message);
        }
    }

    /**
     * Compiles an expression; a syntax error is an {@link IllegalArgumentException} naming it, and so is
     * an expression nested so deeply that the parser overflows the stack.
     */
    public static Jsonata compile(String expression) {
        try {
            return Jsonata.jsonata(expression);
        } catch (StackOverflowError e) {
            throw new IllegalArgumentException("nested too deeply to parse");
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /**
     * Evaluates {@code expression} on {@code input} with {@code bindings} (variable name without
     * {@code $} to value) within these bounds; JSONata's null comes back as {@code null}. Throws
     * {@link Exceeded} when a bound is crossed, the evaluator's own exception for other errors. The
     * expression must not be evaluated by two threads at once (dashjoin keeps per-evaluation state in it).
     */
    public Object evaluate(Jsonata expression, Object input, Map<String, Object> bindings) {
        Jsonata.Frame frame = expression.createFrame();
        bindings.forEach(frame::bind);
        frame.setRuntimeBounds(timeout.toMillis(), maxDepth);
        try {
            Object value = expression.evaluate(input, frame);
            return value == Jsonata.NULL_VALUE ? null : value;
        } catch (StackOverflowError e) {
            throw new Exceeded(OVERFLOW);
        } catch (RuntimeException e) {
            Exceeded exceeded = exceeded(e);
            throw exceeded != null ? exceeded : e;
        }
    }

    /** The bound behind {@code e}, if any: dashjoin wraps what a function argument (a comparator, a mapper) throws. */
    private Exceeded exceeded(RuntimeException e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof StackOverflowError) {
                return new Exceeded(OVERFLOW);
            }
            String error = cause instanceof JException j ? String.valueOf(j.getError()) : "";
            if (error.startsWith("Expression evaluation timeout")) {
                return new Exceeded("the expression ran longer than " + timeout.toMillis() + " ms");
            }
            if (error.startsWith("Stack overflow error")) {
                return new Exceeded("the expression nested deeper than " + maxDepth + " levels");
            }
        }
        return null;
    }
}
