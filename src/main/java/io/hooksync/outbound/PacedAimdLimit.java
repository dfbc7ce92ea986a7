package io.hooksync.outbound;

import com.netflix.concurrency.limits.limit.AbstractLimit;

/**
 * An endpoint's adaptive limit of requests in flight, paced by round trips as TCP's congestion control is. Until the
 * first sign of overload it grows by one per delivered answer while the lane is busy, which doubles it per round
 * trip (TCP's slow start: from 4 to 64 in four answer times, where the linear growth took some sixty, and the
 * deliveries after a start lagged behind for seconds: docs/benchmarks.md, twenty-third session). From the first
 * overload on (additive increase, multiplicative decrease, as TCP's congestion avoidance) it grows by one only after
 * as many delivered answers as the limit itself (about once per round trip), and an overload cuts it once: a sign of
 * overload from a request sent before the last cut reports the congestion that cut already answered and is not
 * counted again.
 *
 * <p>Why not concurrency-limits' {@code AIMDLimit}: it grows by one per answer for ever (slow start without its
 * exit), and cuts per failed answer. Against a receiver that drops connections
 * under load, dozens of requests arrived at once, failed together, and opened the endpoint's circuit breaker before
 * the limit came down ({@code bench/delivery.sh}, docs/benchmarks.md, twenty-first session). Its
 * {@code WindowedLimit} paces by time instead, and drops a window with fewer than ten answers, failures included,
 * which a slow receiver at a low limit never fills. The limiter and its metrics stay the library's; only the
 * policy is here.
 *
 * <p>{@link #_update} runs under the lock {@link AbstractLimit#onSample} holds (this object's), as do the bounds' reads
 * and changes.
 */
final class PacedAimdLimit extends AbstractLimit {

    private int min;
    private int max;
    private final double backoff;
    private final long slowNanos;

    /** Delivered answers since the limit last moved, from requests that had at least half of it in use. */
    private int delivered;
    /** When the limit was last cut (System.nanoTime), meaningful once {@link #cut} is true; no cut yet: slow start. */
    private long lastCut;
    private boolean cut;

    /**
     * @param min       where the limit starts and its floor
     * @param max       its ceiling
     * @param backoff   the factor of a cut (0 to 1)
     * @param slowNanos an answer slower than this is a sign of overload, as a failure is
     */
    PacedAimdLimit(int min, int max, double backoff, long slowNanos) {
        super(min);
        checkBounds(min, max);
        if (!(backoff > 0 && backoff < 1)) {
            throw new IllegalArgumentException("backoff must be between 0 and 1, got " + backoff);
        }
        this.min = min;
        this.max = max;
        this.backoff = backoff;
        this.slowNanos = slowNanos;
    }

    /**
     * Moves the floor and the ceiling (an endpoint's own maximum was set or changed); a limit outside them is brought
     * within them at once: requests in flight above a lowered ceiling finish, and no new one starts until below it.
     */
    synchronized void bounds(int min, int max) {
        checkBounds(min, max);
        this.min = min;
        this.max = max;
        int limit = getLimit();
        if (limit < min || limit > max) {
            setLimit(Math.max(min, Math.min(max, limit)));
        }
    }

    synchronized int min() {
        return min;
    }

    synchronized int max() {
        return max;
    }

    private static void checkBounds(int min, int max) {
        if (min < 1 || max < min) {
            throw new IllegalArgumentException("limits must be 1 <= min <= max, got min " + min + " and max " + max);
        }
    }

    @Override
    protected int _update(long startTime, long rtt, int inflight, boolean didDrop) {
        int limit = getLimit();
        if (didDrop || rtt > slowNanos) {
            if (cut && startTime - lastCut < 0) {
                return limit;   // sent before the last cut: the same congestion
            }
            cut = true;
            lastCut = startTime + rtt;
            delivered = 0;
            return Math.max(min, (int) (limit * backoff));
        }
        if (inflight * 2 >= limit && (!cut || ++delivered >= limit)) {
            delivered = 0;
            return Math.min(max, limit + 1);
        }
        return limit;
    }

    @Override
    public synchronized String toString() {
        return "PacedAimdLimit [limit=" + getLimit() + ", min=" + min + ", max=" + max + "]";
    }
}
