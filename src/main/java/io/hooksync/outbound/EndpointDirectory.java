package io.hooksync.outbound;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import com.dashjoin.jsonata.Jsonata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The endpoints as the dispatcher and the deliverer see them: a snapshot of the table, re-read at
 * most every {@code maxAgeMs} (so changes made through another instance arrive within that time) and at
 * once after a change made here. Compiled filters are kept per filter text.
 */
final class EndpointDirectory {

    private static final Logger log = LoggerFactory.getLogger(EndpointDirectory.class);

    private final Supplier<List<Endpoint>> table;
    private final long maxAgeMs;
    private volatile Map<String, Endpoint> snapshot = Map.of();
    private volatile long readAt = Long.MIN_VALUE / 2;
    /** Bumped by every change made here; a snapshot read before a change is never taken for a fresh one. */
    private final AtomicLong changes = new AtomicLong();
    private volatile long readAtChange = -1;
    private final Map<String, Jsonata> filters = new ConcurrentHashMap<>();

    /** {@code table} reads every endpoint ({@code EndpointStore::all}). */
    EndpointDirectory(Supplier<List<Endpoint>> table, long maxAgeMs) {
        this.table = table;
        this.maxAgeMs = maxAgeMs;
    }

    Map<String, Endpoint> current(long now) {
        if (now - readAt >= maxAgeMs || readAtChange != changes.get()) {
            refresh(now);
        }
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
                .filter(e -> EventTypes.matches(e.eventTypes(), type))
                .toList();
    }

    /** The ids of those {@code candidates} whose filter passes {@code data}, sorted. */
    List<String> subscribers(List<Endpoint> candidates, Object data) {
        return candidates.stream()
                .filter(e -> passes(e, data))
                .map(Endpoint::id)
                .sorted()
                .toList();
    }

    private boolean passes(Endpoint endpoint, Object data) {
        if (endpoint.filter() == null || endpoint.filter().isBlank()) {
            return true;
        }
        try {
            Jsonata filter = filters.computeIfAbsent(endpoint.filter(), Jsonata::jsonata);
            // one evaluation at a time per expression: the dispatcher is one thread, the API validates with its own
            synchronized (filter) {
                Object value = filter.evaluate(data);
                return Jsonata.boolize(value == Jsonata.NULL_VALUE ? null : value);
            }
        } catch (RuntimeException e) {
            log.warn("Endpoint {}: filter failed on a message ({}); the message is not sent to it", endpoint.id(),
                    e.getMessage());
            return false;
        }
    }
}
