package io.hooksync.sink;

import java.util.List;

import org.apache.camel.Exchange;

/** Reads the batch of events a {@code hooksync:events} consumer put into an exchange. */
final class Batches {

    private Batches() {
    }

    @SuppressWarnings("unchecked")
    static List<InboundEvent> of(Exchange exchange) {
        Object body = exchange.getMessage().getBody();
        if (body instanceof List<?> list && (list.isEmpty() || list.get(0) instanceof InboundEvent)) {
            return (List<InboundEvent>) list;
        }
        throw new IllegalArgumentException("hooksync:upsert expects a batch from hooksync:events, got "
                + (body == null ? "no body" : body.getClass().getSimpleName()));
    }
}
