package io.hooksync.outbound;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

import com.netflix.concurrency.limits.limiter.SimpleLimiter;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;

/**
 * An endpoint's limiter (Netflix concurrency-limits: the requests in flight to it, at most its current limit, which
 * adapts between {@code min-concurrency-per-endpoint} and {@code concurrency-per-endpoint}; a count, not threads),
 * its breaker, its claimed deliveries not started yet ({@code waiting}, at most {@code queue-per-endpoint} beyond
 * the requests the limit allows) and the count of claimed, unfinished deliveries ({@code inFlight}: in flight or
 * waiting; at most {@link #capacity()}).
 */
record Lane(SimpleLimiter<Void> limiter, CircuitBreaker breaker, AtomicInteger inFlight, int queue,
            Queue<Waiting> waiting) {

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

    Lane(SimpleLimiter<Void> limiter, CircuitBreaker breaker, int queue) {
        this(limiter, breaker, new AtomicInteger(), queue, new ConcurrentLinkedQueue<>());
    }

    /** Claims the lane holds at most now: the requests its limit allows and the queue behind them. */
    int capacity() {
        return limiter.getLimit() + queue;
    }

    int free() {
        return capacity() - inFlight.get();
    }
}
