package io.hooksync.sink;

import java.util.List;

import org.apache.camel.Exchange;

/** Reads the events a {@code hooksync:events} consumer put into an exchange: a batch, or one event. */
final class Batches {

    private Batches() {
    }

    /** What {@code hooksync:upsert} applies: the batch, or the one event with the route's body as its payload. */
    static List<InboundEvent> of(Exchange exchange) {
        InboundEvent single = EventMessages.of(exchange);
        return single != null ? List.of(EventMessages.asRouted(exchange, single)) : batch(exchange);
    }

    /** Which events an exchange settles ({@code hooksync:ack}): the batch, or the one event as it was read. */
    static List<InboundEvent> settledBy(Exchange exchange) {
        InboundEvent single = EventMessages.of(exchange);
        return single != null ? List.of(single) : batch(exchange);
    }

    @SuppressWarnings("unchecked")
    private static List<InboundEvent> batch(Exchange exchange) {
        Object body = exchange.getMessage().getBody();
        if (body instanceof List<?> list && (list.isEmpty() || list.get(0) instanceof InboundEvent)) {
            return (List<InboundEvent>) list;
        }
        throw new IllegalArgumentException("hooksync:upsert expects a batch from hooksync:events, got "
                + (body == null ? "no body" : body.getClass().getSimpleName()));
    }
}
