package io.hooksync.sink;

import io.hooksync.infra.consumer.FailureKind;

/**
 * Bounds the retries of a {@code hooksync:events} batch route. A batch that fails is retried whole, with backoff;
 * when it keeps failing for a reason that is not an outage (a route that drops events without {@code hooksync:ack},
 * a step that refuses some events), {@code maxAttempts} failures in a row switch the consumer thread to running its
 * polls event by event (each event a batch of one) through an {@link EventDispatcher}, which commits the events the
 * route settles and sets an event aside as a dead letter after {@code maxAttempts} failures of its own; the first
 * poll that passes switches back to batches. Outages (the database down, also when the route's own error handling
 * swallowed the failure) never count: those batches wait, whole, as long as the outage lasts.
 * One instance per consumer thread; not thread-safe.
 */
final class BatchRetries {

    private final int maxAttempts;
    private final EventDispatcher oneByOne;
    private int failures;
    private boolean eventByEvent;

    BatchRetries(int maxAttempts, EventDispatcher oneByOne) {
        this.maxAttempts = Math.max(1, maxAttempts);
        this.oneByOne = oneByOne;
    }

    /** The dispatcher this poll runs through instead of the batch, or null (run the batch). */
    EventDispatcher eventByEvent() {
        return eventByEvent ? oneByOne : null;
    }

    /** A batch failed; true when this failure switched to event by event. */
    boolean failed(Exception failure) {
        if (EventDispatcher.kind(failure) == FailureKind.OUTAGE) {
            failures = 0;
            return false;
        }
        if (++failures < maxAttempts) {
            return false;
        }
        failures = 0;
        eventByEvent = true;
        return true;
    }

    /** A poll passed (every event settled or set aside): batches again. */
    void passed() {
        failures = 0;
        eventByEvent = false;
    }

    int maxAttempts() {
        return maxAttempts;
    }
}
