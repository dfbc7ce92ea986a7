package io.hooksync.infra.consumer;

import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Makes {@link ConsumerLoop}s with the shared policy ({@code hooksync.consumers.*}) and keeps the
 * {@link Liveness} of every running one for the {@code consumers} health indicator.
 */
public final class ConsumerLoops {

    private final ConsumerProperties properties;
    private final SetAside setAside;
    private final Clock clock;
    private final ConcurrentMap<String, Liveness> running = new ConcurrentHashMap<>();

    public ConsumerLoops(ConsumerProperties properties, SetAside setAside, Clock clock) {
        this.properties = properties;
        this.setAside = setAside;
        this.clock = clock;
    }

    /** A loop, not started yet; its name must be unique among running loops. */
    public ConsumerLoop create(LoopSpec spec, RecordProcessor processor) {
        PollSettler settler = new PollSettler(spec.name(), spec.mode(), processor, setAside, properties.maxAttempts());
        return new ConsumerLoop(spec, settler, new Liveness(spec.name(), properties.staleAfter(), clock), this,
                new ConsumerLoop.Backoff(properties.initialBackoff(), properties.maxBackoff()));
    }

    /**
     * The liveness of a loop that is not a Kafka poll loop (CDC capture): registered now, shown until
     * {@link #unregister}; it has no bound on the time between polls (the loop reports its own state).
     */
    public Liveness register(String name) {
        Liveness liveness = new Liveness(name, null, clock);
        register(liveness);
        return liveness;
    }

    public void unregister(Liveness liveness) {
        running.remove(liveness.name(), liveness);
    }

    /** Sets records aside with the same counter, log and table as the loops. */
    public SetAside setAside() {
        return setAside;
    }

    void register(Liveness liveness) {
        running.put(liveness.name(), liveness);
    }

    Collection<Liveness> all() {
        return List.copyOf(running.values());
    }
}
