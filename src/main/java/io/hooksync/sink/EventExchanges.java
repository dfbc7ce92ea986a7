package io.hooksync.sink;

import java.io.IOException;
import java.util.List;

import org.apache.camel.Consumer;
import org.apache.camel.Exchange;

/**
 * Runs a {@code hooksync:events?mode=event} route for one event: one exchange with the event as its message
 * ({@link EventMessages}) and a {@link Settlement} of that one event. The route is called synchronously (Camel's
 * asynchronous routing completes before this returns), so the next event of the partition starts only after this
 * one's work ended. A payload that cannot be read as JSON fails before the route runs.
 */
final class EventExchanges implements EventDispatcher.Route {

    private final Consumer consumer;
    private final String routeId;
    private final boolean raw;
    private final SinkMetrics metrics;

    EventExchanges(Consumer consumer, String routeId, boolean raw, SinkMetrics metrics) {
        this.consumer = consumer;
        this.routeId = routeId;
        this.raw = raw;
        this.metrics = metrics;
    }

    @Override
    public Exception run(InboundEvent event) {
        Exchange exchange = consumer.createExchange(false);
        try {
            Settlement settlement = new Settlement(List.of(event));
            exchange.setProperty(Settlement.PROPERTY, settlement);
            try {
                EventMessages.fill(exchange, event, raw);
            } catch (IOException e) {
                return e;
            }
            try {
                consumer.getProcessor().process(exchange);
            } catch (Exception e) {
                exchange.setException(e);
            }
            Exception failure = exchange.getException();
            if (failure == null && settlement.unsettled() > 0) {
                metrics.unsettled(routeId, settlement.unsettled());
                failure = new Settlement.UnsettledException(routeId, settlement,
                        exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class));
            }
            return failure;
        } finally {
            consumer.releaseExchange(exchange, false);
        }
    }
}
