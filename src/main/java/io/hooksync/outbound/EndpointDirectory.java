package io.hooksync.outbound;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
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

    private final EndpointStore store;
    private final long maxAgeMs;
    private volatile Map<String, Endpoint> snapshot = Map.of();
    private volatile long readAt = Long.MIN_VALUE / 2;
    private final Map<String, Jsonata> filters = new ConcurrentHashMap<>();

    EndpointDirectory(EndpointStore store, long maxAgeMs) {
        this.store = store;
        this.maxAgeMs = maxAgeMs;
    }

    Map<String, Endpoint> current(long now) {
        if (now - readAt >= maxAgeMs) {
            refresh(now);
        }
        return snapshot;
    }

    synchronized void refresh(long now) {
        snapshot = store.all().stream().collect(Collectors.toUnmodifiableMap(Endpoint::id, Function.identity()));
        readAt = now;
    }

    void invalidate() {
        readAt = Long.MIN_VALUE / 2;
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
