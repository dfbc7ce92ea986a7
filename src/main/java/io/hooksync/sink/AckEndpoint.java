package io.hooksync.sink;

import org.apache.camel.Consumer;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultEndpoint;
import org.apache.camel.support.DefaultProducer;

/**
 * {@code hooksync:ack}: says that the events in the exchange's body were handled on purpose by something other than
 * a Hooksync sink (sent to another endpoint, deliberately dropped by a filter branch), so their offsets may be
 * committed. Put it after the step that did the work, so a failure of that step leaves them unsettled and retried.
 */
final class AckEndpoint extends DefaultEndpoint {

    AckEndpoint(String uri, HooksyncComponent component) {
        super(uri, component);
    }

    @Override
    public Producer createProducer() {
        return new DefaultProducer(this) {
            @Override
            public void process(Exchange exchange) {
                Settlement.of(exchange).ifPresent(settlement -> settlement.settle(Batches.settledBy(exchange)));
            }
        };
    }

    @Override
    public Consumer createConsumer(Processor processor) {
        throw new UnsupportedOperationException("hooksync:ack is a producer; consume with hooksync:events");
    }
}
