package io.hooksync.outbound;

import java.util.concurrent.atomic.AtomicInteger;

import io.github.resilience4j.bulkhead.ThreadPoolBulkhead;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;

/** An endpoint's bulkhead, breaker and count of claimed, unfinished deliveries. */
record Lane(ThreadPoolBulkhead bulkhead, CircuitBreaker breaker, AtomicInteger inFlight, int capacity) {

    int free() {
        return capacity - inFlight.get();
    }
}
