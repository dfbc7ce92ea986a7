package io.hooksync.outbound;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * When to try a delivery again: a pure function of how many attempts were made, what the receiver
 * asked for (Retry-After) and a random number, so it is tested without clocks or threads.
 * {@code schedule.get(0)} is the delay of the first attempt (normally zero: at once); after attempt
 * {@code n} the next waits {@code schedule.get(n)}, spread by +/- {@code jitter}; after the last entry
 * the message is exhausted. A Retry-After (429, 503) replaces the scheduled wait, clamped to
 * [0, maxRetryAfter], without jitter: the receiver named the time, and the attempt still counts, so a
 * receiver that keeps answering 429 still ends the schedule.
 */
record RetryPolicy(List<Duration> schedule, double jitter, Duration maxRetryAfter) {

    RetryPolicy {
        if (schedule.isEmpty()) {
            throw new IllegalArgumentException("the retry schedule needs at least one entry (the first attempt)");
        }
        if (schedule.stream().anyMatch(Duration::isNegative)) {
            throw new IllegalArgumentException("retry schedule entries cannot be negative: " + schedule);
        }
        if (jitter < 0 || jitter >= 1) {
            throw new IllegalArgumentException("jitter must be in [0, 1): " + jitter);
        }
        schedule = List.copyOf(schedule);
    }

    /** Attempts a message gets at most. */
    int maxAttempts() {
        return schedule.size();
    }

    /**
     * The wait before the next attempt, or empty when the schedule is over.
     *
     * @param attemptsMade attempts already made, at least 1
     * @param retryAfter   the receiver's Retry-After, or null
     * @param random       a uniform number in [0, 1)
     */
    Optional<Duration> next(int attemptsMade, Duration retryAfter, double random) {
        if (attemptsMade < 1) {
            throw new IllegalArgumentException("attemptsMade must be at least 1: " + attemptsMade);
        }
        if (attemptsMade >= schedule.size()) {
            return Optional.empty();
        }
        if (retryAfter != null) {
            Duration clamped = retryAfter.isNegative() ? Duration.ZERO : retryAfter;
            return Optional.of(clamped.compareTo(maxRetryAfter) > 0 ? maxRetryAfter : clamped);
        }
        long base = schedule.get(attemptsMade).toMillis();
        double factor = 1 + jitter * (2 * random - 1);
        return Optional.of(Duration.ofMillis(Math.round(base * factor)));
    }
}
