package io.hooksync.sink;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.hooksync.mapping.Mapping;
import org.apache.camel.Consumer;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultEndpoint;
import org.apache.camel.support.DefaultProducer;

/**
 * {@code hooksync:upsert?mapping=...[&emit=type]}: applies the exchange's batch of events in one
 * transaction; on a per-event exchange ({@code mode=event}) the one event, with the route's body as its payload. The mapping is looked up per batch, so an edited mapping file applies to the next batch.
 * With a per-action emit ({@link EmitChoice}) the batch is applied as consecutive runs of events that emit
 * the same type, one transaction per run, in order; the ledger makes a redelivered run a no-op.
 */
final class UpsertEndpoint extends DefaultEndpoint {

    private final SinkRuntime runtime;
    private final String mappingName;
    private final EmitChoice emit;

    UpsertEndpoint(String uri, HooksyncComponent component, SinkRuntime runtime, String mappingName, String emit) {
        super(uri, component);
        this.runtime = runtime;
        this.mappingName = mappingName;
        this.emit = EmitChoice.parse(emit);
    }

    String mappingName() {
        return mappingName;
    }

    /** The emit parameter of the step ({@link EmitChoice#NONE} when the mapping's own emit applies). */
    EmitChoice emit() {
        return emit;
    }

    @Override
    public Producer createProducer() {
        return new DefaultProducer(this) {
            /** Compiled mappings are not thread-safe: each consumer thread of the route keeps its own (per emit type). */
            private final ThreadLocal<Map<String, SinkWriter.Target>> targets = ThreadLocal.withInitial(HashMap::new);

            @Override
            public void process(Exchange exchange) {
                List<InboundEvent> batch = Batches.of(exchange);
                String route = exchange.getFromRouteId();
                String consumer = runtime.identities().ledgerOf(route);   // the ledger id: a renamed route continues its old one
                Mapping mapping = runtime.mappings().find(mappingName).orElseThrow(() ->
                        new IllegalStateException("mapping " + mappingName + " disappeared from " + runtime.mappings().directory()));
                EmitChoice choice = emit != EmitChoice.NONE ? emit : EmitChoice.parse(mapping.emit());
                BatchResult result = BatchResult.EMPTY;
                if (!choice.perAction()) {
                    result = runtime.writer().apply(target(consumer, mapping, choice.fixed(), true), batch);
                } else {
                    for (List<InboundEvent> run : choice.runs(batch)) {
                        String type = choice.typeFor(run.get(0).action());
                        // a change stream: every change is emitted, none conflated
                        result = result.plus(runtime.writer().apply(target(consumer, mapping, type, false), run));
                    }
                }
                runtime.metrics().record(route, result);
                exchange.getMessage().setHeader("HooksyncBatchResult", result);
                Settlement.of(exchange).ifPresent(settlement -> settlement.settle(batch));   // committed: settled
            }

            private SinkWriter.Target target(String consumer, Mapping mapping, String emitType, boolean conflate) {
                Map<String, SinkWriter.Target> byEmit = targets.get();
                String slot = emitType == null ? "" : emitType;
                SinkWriter.Target target = byEmit.get(slot);
                if (target == null || !target.consumer().equals(consumer) || target.mapping().definition() != mapping
                        || target.conflate() != conflate) {
                    target = new SinkWriter.Target(consumer, mapping.compile(runtime.settings().mappingBounds()),
                            runtime.upsertSql(mapping), emitType, conflate);
                    byEmit.put(slot, target);
                }
                return target;
            }
        };
    }

    @Override
    public Consumer createConsumer(Processor processor) {
        throw new UnsupportedOperationException("hooksync:upsert is a producer; consume with hooksync:events");
    }
}
