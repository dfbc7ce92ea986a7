package io.hooksync.sink;

import org.apache.camel.Consumer;
import org.apache.camel.MultipleConsumersSupport;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultEndpoint;

/**
 * {@code hooksync:events?source=..&types=..&actions=..&batchSize=..&continues=..&start=..&mode=batch|event&raw=..}: a
 * source's events, in batches or one by one ({@link EventForm}); {@code continues} and {@code start} are the route's
 * {@link Origin}.
 */
final class EventsEndpoint extends DefaultEndpoint implements MultipleConsumersSupport {

    private final SinkRuntime runtime;
    private final String source;
    private final TypeFilter filter;
    private final int batchSize;
    private final Origin origin;
    private EventForm form = EventForm.BATCH;

    /** The identity a renamed route continues (or null), and where a route without committed offsets starts. */
    record Origin(String continues, StartPosition start) {
    }

    EventsEndpoint(String uri, HooksyncComponent component, SinkRuntime runtime, String source, TypeFilter filter,
                   int batchSize, Origin origin) {
        super(uri, component);
        this.runtime = runtime;
        this.source = source;
        this.filter = filter;
        this.batchSize = batchSize;
        this.origin = origin;
    }

    /** Batch (default) or per-event, see {@link EventForm}. */
    void setForm(EventForm form) {
        this.form = form;
    }

    EventForm form() {
        return form;
    }

    String source() {
        return source;
    }

    TypeFilter filter() {
        return filter;
    }

    @Override
    public Consumer createConsumer(Processor processor) {
        return new EventsConsumer(this, processor, runtime, source, filter, batchSize, origin);
    }

    /** Several routes may consume the same events (e.g. into two mappings); each has its own consumer group. */
    @Override
    public boolean isMultipleConsumersSupported() {
        return true;
    }

    @Override
    public Producer createProducer() {
        throw new UnsupportedOperationException("hooksync:events is a consumer; apply batches with hooksync:upsert");
    }
}
