package io.hooksync.outbound;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;

/**
 * An endpoint's bulkhead (a Resilience4j semaphore bulkhead: at most {@code concurrency-per-endpoint} requests in
 * flight, counted, not threads), its breaker, its claimed deliveries not started yet ({@code waiting}, at most
 * {@code queue-per-endpoint} beyond the requests in flight) and the count of claimed, unfinished deliveries
 * ({@code inFlight}: in flight or waiting; at most {@code capacity}).
 */
record Lane(Bulkhead bulkhead, CircuitBreaker breaker, AtomicInteger inFlight, int capacity, Queue<Waiting> waiting) {

    /** A claimed delivery not started yet, with the endpoint as it was at the claim. */
    record Waiting(Endpoint endpoint, Delivery.Claimed claimed) {
    }

    Lane(Bulkhead bulkhead, CircuitBreaker breaker, int capacity) {
        this(bulkhead, breaker, new AtomicInteger(), capacity, new ConcurrentLinkedQueue<>());
    }

    int free() {
        return capacity - inFlight.get();
    }
}
