package io.hooksync.outbound;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

import com.netflix.concurrency.limits.limiter.SimpleLimiter;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;

/**
 * An endpoint's limiter (Netflix concurrency-limits: the requests in flight to it, at most its current limit, which
 * {@link PacedAimdLimit} moves between a floor and a ceiling; a count, not threads), its breaker, its claimed
 * deliveries not started yet ({@code waiting}, at most {@link #queue()} beyond the requests the limit allows) and the
 * count of claimed, unfinished deliveries ({@code inFlight}: in flight or waiting; at most {@link #capacity()}).
 * The bounds and the queue follow the endpoint's own maximum ({@link #ownMaximum()}) when it is changed.
 */
final class Lane {

    /** A claimed delivery not started yet, with the endpoint as it was at the claim. */
    record Waiting(Endpoint endpoint, Delivery.Claimed claimed) {
    }

    /** How an attempt's outcome speaks to the endpoint's limit: see {@link Attempts#signal}. */
    enum Signal {
        /** Answered 2xx: the limit may grow while the lane is busy. */
        SUCCESS,
        /** The receiver is overloaded or unreachable (5xx, 408, 429, timeout, I/O error): the limit is cut. */
        CONGESTION,
        /** Says nothing about the receiver's load (not sent, refused by the guard, another 4xx). */
        NONE
    }

    private final SimpleLimiter<Void> limiter;
    private final PacedAimdLimit limit;
    private final CircuitBreaker breaker;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Queue<Waiting> waiting = new ConcurrentLinkedQueue<>();
    private volatile Integer ownMaximum;
    private volatile int queue;

    Lane(SimpleLimiter<Void> limiter, PacedAimdLimit limit, CircuitBreaker breaker, Integer ownMaximum, int queue) {
        this.limiter = limiter;
        this.limit = limit;
        this.breaker = breaker;
        this.ownMaximum = ownMaximum;
        this.queue = queue;
    }

    SimpleLimiter<Void> limiter() {
        return limiter;
    }

    CircuitBreaker breaker() {
        return breaker;
    }

    AtomicInteger inFlight() {
        return inFlight;
    }

    Queue<Waiting> waiting() {
        return waiting;
    }

    /** Claims that may wait behind the requests in flight. */
    int queue() {
        return queue;
    }

    /** The endpoint's own maximum the bounds were set for (null: the engine's setting). */
    Integer ownMaximum() {
        return ownMaximum;
    }

    /** New bounds for a changed own maximum; requests in flight above a lowered ceiling finish first. */
    void resize(Integer ownMaximum, int floor, int ceiling, int queue) {
        limit.bounds(floor, ceiling);
        this.queue = queue;
        this.ownMaximum = ownMaximum;
    }

    /** Claims the lane holds at most now: the requests its limit allows and the queue behind them. */
    int capacity() {
        return limiter.getLimit() + queue;
    }

    int free() {
        return capacity() - inFlight.get();
    }
}
