package io.hooksync.infra.consumer;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one loop says about itself, for the {@code consumers} health indicator: its state, when it last
 * completed a poll, its last error and current backoff. A loop is unhealthy when its thread died, or
 * when it has a staleness bound and completed no poll within it (stuck in a processor or in Kafka).
 */
public final class Liveness {

    /** Where a loop is. */
    public enum State { STARTING, RUNNING, BACKING_OFF, STOPPED, DEAD }

    private final String name;
    private final Duration staleAfter;
    private final Clock clock;
    private volatile Thread thread;
    private volatile State state = State.STARTING;
    private volatile long startedAt;
    private volatile long lastPoll;
    private volatile String lastError;
    private volatile long backoffMillis;

    /** {@code staleAfter} null: no bound on the time between polls (a loop that is not a Kafka poll loop). */
    Liveness(String name, Duration staleAfter, Clock clock) {
        this.name = name;
        this.staleAfter = staleAfter;
        this.clock = clock;
    }

    public String name() {
        return name;
    }

    public State state() {
        return state;
    }

    public void started(Thread loopThread) {
        thread = loopThread;
        startedAt = clock.millis();
        state = State.STARTING;
    }

    /** A poll completed (records or not, paused or not). */
    public void polled() {
        lastPoll = clock.millis();
    }

    /** Work succeeds again after a failure (or for the first time). */
    public void running() {
        state = State.RUNNING;
        backoffMillis = 0;
    }

    public void backingOff(Throwable error, Duration delay) {
        state = State.BACKING_OFF;
        lastError = SetAsideRecord.Excerpts.cut(SetAsideRecord.Excerpts.describe(error), 500);
        backoffMillis = delay.toMillis();
    }

    public void stopped() {
        state = State.STOPPED;
    }

    public void died(Throwable error) {
        lastError = SetAsideRecord.Excerpts.cut(SetAsideRecord.Excerpts.describe(error), 500);
        state = State.DEAD;
    }

    /** Why this loop is unhealthy, or null when it is not. */
    String problem() {
        State current = state;
        if (current == State.DEAD) {
            return "thread died: " + lastError;
        }
        if (current == State.STOPPED) {
            return null;
        }
        Thread t = thread;
        if (t != null && !t.isAlive()) {
            return "thread " + t.getName() + " is gone";
        }
        if (staleAfter != null && t != null) {
            long since = Math.max(lastPoll, startedAt);
            long idle = clock.millis() - since;
            if (idle > staleAfter.toMillis()) {
                return "no poll completed for " + Duration.ofMillis(idle).toSeconds() + " s (bound "
                        + staleAfter.toSeconds() + " s)";
            }
        }
        return null;
    }

    Map<String, Object> details() {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("state", state.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
        long polled = lastPoll;
        details.put("lastPoll", polled == 0 ? null : Instant.ofEpochMilli(polled).toString());
        details.put("lastError", lastError);
        if (state == State.BACKING_OFF) {
            details.put("backoffMillis", backoffMillis);
        }
        String problem = problem();
        if (problem != null) {
            details.put("problem", problem);
        }
        return details;
    }
}
