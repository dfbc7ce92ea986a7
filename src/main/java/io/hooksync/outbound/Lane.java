package io.hooksync.outbound;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.resilience4j.bulkhead.ThreadPoolBulkhead;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;

/**
 * An endpoint's bulkhead, breaker and count of claimed, unfinished deliveries ({@code inFlight}: running, queued
 * in the bulkhead or {@code waiting}). {@code waiting} holds claims the bulkhead refused although the count said
 * there was room: an attempt lowers the count just before its thread goes back to the pool, and on a busy
 * machine that thread can be descheduled right there while the scheduler hands the pool more work.
 */
record Lane(ThreadPoolBulkhead bulkhead, CircuitBreaker breaker, AtomicInteger inFlight, int capacity,
            Queue<Waiting> waiting) {

    /** A claimed delivery not handed to the bulkhead yet, with the endpoint as it was at the claim. */
    record Waiting(Endpoint endpoint, Delivery.Claimed claimed) {
    }

    Lane(ThreadPoolBulkhead bulkhead, CircuitBreaker breaker, int capacity) {
        this(bulkhead, breaker, new AtomicInteger(), capacity, new ConcurrentLinkedQueue<>());
    }

    int free() {
        return capacity - inFlight.get();
    }
}
