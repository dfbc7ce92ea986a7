package io.hooksync.sink;

import java.util.List;

import io.hooksync.mapping.Mapping;
import org.apache.camel.Consumer;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultEndpoint;
import org.apache.camel.support.DefaultProducer;

/**
 * {@code hooksync:upsert?mapping=...[&emit=type]}: applies the exchange's batch of events in one
 * transaction. The mapping is looked up per batch, so an edited mapping file applies to the next batch.
 */
final class UpsertEndpoint extends DefaultEndpoint {

    private final SinkRuntime runtime;
    private final String mappingName;
    private final String emit;

    UpsertEndpoint(String uri, HooksyncComponent component, SinkRuntime runtime, String mappingName, String emit) {
        super(uri, component);
        this.runtime = runtime;
        this.mappingName = mappingName;
        this.emit = emit;
    }

    @Override
    public Producer createProducer() {
        return new DefaultProducer(this) {
            /** Compiled mappings are not thread-safe: each consumer thread of the route keeps its own. */
            private final ThreadLocal<SinkWriter.Target> targets = new ThreadLocal<>();

            @Override
            public void process(Exchange exchange) {
                List<InboundEvent> batch = Batches.of(exchange);
                String consumer = exchange.getFromRouteId();
                Mapping mapping = runtime.mappings().find(mappingName).orElseThrow(() ->
                        new IllegalStateException("mapping " + mappingName + " disappeared from " + runtime.mappings().directory()));
                SinkWriter.Target target = targets.get();
                if (target == null || !target.consumer().equals(consumer) || target.mapping().definition() != mapping) {
                    target = new SinkWriter.Target(consumer, mapping.compile(), runtime.upsertSql(mapping),
                            emit != null ? emit : mapping.emit());
                    targets.set(target);
                }
                BatchResult result = runtime.writer().apply(target, batch);
                runtime.metrics().record(consumer, result);
                exchange.getMessage().setHeader("HooksyncBatchResult", result);
            }
        };
    }

    @Override
    public Consumer createConsumer(Processor processor) {
        throw new UnsupportedOperationException("hooksync:upsert is a producer; consume with hooksync:events");
    }
}
