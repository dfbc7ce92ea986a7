package io.hooksync.outbound;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import io.hooksync.infra.envelope.EventTypePatterns;

/**
 * The endpoints as the dispatcher and the deliverer see them: a snapshot of the table, re-read at
 * most every {@code maxAgeMs} (so changes made through another instance arrive within that time) and at
 * once after a change made here. Filters are run by {@link EndpointFilters}.
 */
final class EndpointDirectory {

    private final Supplier<List<Endpoint>> table;
    private final long maxAgeMs;
    private volatile Map<String, Endpoint> snapshot = Map.of();
    private volatile long readAt = Long.MIN_VALUE / 2;
    /** Bumped by every change made here; a snapshot read before a change is never taken for a fresh one. */
    private final AtomicLong changes = new AtomicLong();
    private volatile long readAtChange = -1;
    private final EndpointFilters filters;

    /** {@code table} reads every endpoint ({@code EndpointStore::all}). */
    EndpointDirectory(Supplier<List<Endpoint>> table, long maxAgeMs, EndpointFilters filters) {
        this.table = table;
        this.maxAgeMs = maxAgeMs;
        this.filters = filters;
    }

    Map<String, Endpoint> current(long now) {
        if (now - readAt >= maxAgeMs || readAtChange != changes.get()) {
            refresh(now);
        }
        return snapshot;
    }

    /** The snapshot as it is, never re-read here (for threads that must not wait for the database). */
    Map<String, Endpoint> cached() {
        return snapshot;
    }

    synchronized void refresh(long now) {
        // the change count is read before the table: a change committed while the table is read bumps it
        // again, so the next call reads once more instead of keeping this snapshot for maxAgeMs (a message
        // dispatched in that window would miss an endpoint created just before it)
        long seen = changes.get();
        snapshot = table.get().stream().collect(Collectors.toUnmodifiableMap(Endpoint::id, Function.identity()));
        readAt = now;
        readAtChange = seen;
    }

    /** After a change of the table made through this instance, once it is committed. */
    void invalidate() {
        changes.incrementAndGet();
    }

    /** The enabled endpoints that want messages of this type (before their filters). */
    List<Endpoint> wanting(long now, String type) {
        return current(now).values().stream()
                .filter(Endpoint::enabled)
                .filter(e -> EventTypePatterns.matchesMessage(e.eventTypes(), type))
                .toList();
    }

    /** The ids of those {@code candidates} whose filter passes {@code data}, sorted. */
    List<String> subscribers(List<Endpoint> candidates, Object data) {
        return candidates.stream()
                .filter(e -> filters.passes(e, data))
                .map(Endpoint::id)
                .sorted()
                .toList();
    }
}
