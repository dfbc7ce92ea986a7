package io.hooksync.ingress;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The bytes of request bodies the ingress may hold at once ({@code hooksync.ingress.max-in-flight}). A request
 * reserves its declared length (a chunked one its source's max-body) before its body is read and gives it back
 * when answered; a request that does not fit gets 503 with Retry-After. So the heap held by webhooks in flight
 * is bounded whatever the number of connections, and in-flight requests otherwise follow the connections.
 */
final class InFlightBudget {

    private final long capacity;
    private final AtomicLong used = new AtomicLong();

    InFlightBudget(long capacity) {
        this.capacity = capacity;
    }

    boolean tryAcquire(long bytes) {
        long cost = Math.max(1, bytes);
        while (true) {
            long now = used.get();
            if (now + cost > capacity && now > 0) {
                return false;   // a single body larger than the whole budget still passes alone
            }
            if (used.compareAndSet(now, now + cost)) {
                return true;
            }
        }
    }

    void release(long bytes) {
        used.addAndGet(-Math.max(1, bytes));
    }

    long used() {
        return used.get();
    }
}
