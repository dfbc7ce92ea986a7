package io.hooksync.sink;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.camel.Exchange;

/**
 * Which events of a {@code hooksync:events} batch a Hooksync sink step has settled: applied, stale, duplicate,
 * filtered or dead-lettered by {@code hooksync:upsert} after its transaction committed, or handed elsewhere on
 * purpose ({@code hooksync:ack}). The consumer commits offsets only when every event is settled, so a route's own
 * error handling ({@code onException handled: true}, a dead-letter channel) that swallows a failed upsert can no
 * longer commit events nobody applied. The object travels as an exchange property, so exchanges a route splits or
 * copies share it; marks are thread-safe.
 */
final class Settlement {

    static final String PROPERTY = "hooksync.settlement";

    private final Set<String> pending = ConcurrentHashMap.newKeySet();
    private final int size;

    Settlement(List<InboundEvent> batch) {
        batch.forEach(event -> pending.add(key(event)));
        this.size = pending.size();
    }

    static Optional<Settlement> of(Exchange exchange) {
        return Optional.ofNullable(exchange.getProperty(PROPERTY, Settlement.class));
    }

    void settle(Collection<InboundEvent> events) {
        events.forEach(event -> pending.remove(key(event)));
    }

    int unsettled() {
        return pending.size();
    }

    int size() {
        return size;
    }

    private static String key(InboundEvent event) {
        return event.topic() + '/' + event.partition() + '/' + event.offset();
    }

    /** The route ended normally but left events unsettled: they are retried, never committed. */
    static final class UnsettledException extends Exception {
        UnsettledException(String routeId, Settlement settlement) {
            this(routeId, settlement, null);
        }

        /** {@code caught}: the failure the route's own error handling swallowed, if any (it tells outage from poison). */
        UnsettledException(String routeId, Settlement settlement, Throwable caught) {
            super("route " + routeId + " ended without settling " + settlement.unsettled() + " of " + settlement.size()
                    + " event(s): no hooksync:upsert committed them and no hooksync:ack passed them on (a route's "
                    + "onException or dead-letter handler may have swallowed a failure"
                    + (caught == null ? "" : ": " + caught) + "); they are retried, not committed",
                    caught, false, false);
        }
    }
}
