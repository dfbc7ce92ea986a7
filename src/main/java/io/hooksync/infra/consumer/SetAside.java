package io.hooksync.infra.consumer;

import java.time.Clock;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sets a record aside: stores it ({@link SetAsideStore}), then counts it
 * ({@code hooksync.consumer.set.aside{consumer}}) and logs it once at WARN with where it was and the
 * error. A Kafka record the consumer had set aside already (read again after a crash) is neither stored
 * nor counted again. When the store fails the exception goes to the caller, which must then treat the failure as an
 * outage and keep the record: nothing is skipped without a trace.
 */
public final class SetAside {

    static final String METER = "hooksync.consumer.set.aside";
    private static final Logger log = LoggerFactory.getLogger(SetAside.class);

    private final SetAsideStore store;
    private final MeterRegistry registry;
    private final Clock clock;

    public SetAside(SetAsideStore store, MeterRegistry registry, Clock clock) {
        this.store = store;
        this.registry = registry;
        this.clock = clock;
    }

    /** A Kafka record the consumer {@code consumer} cannot handle. */
    public void record(String consumer, ConsumerRecord<byte[], byte[]> record, Throwable error) {
        save(SetAsideRecord.of(consumer, record, error, clock.millis()));
    }

    /** A captured change that cannot be published; see {@link SetAsideRecord#ofChange}. */
    public void change(String consumer, String topic, String position, byte[] key, byte[] value, Throwable error) {
        save(SetAsideRecord.ofChange(consumer, topic, position, key, value, error, clock.millis()));
    }

    private void save(SetAsideRecord record) {
        if (!store.save(record)) {
            log.info("Consumer {} had set aside {} already; skipping it again", record.consumer(), record.where());
            return;
        }
        Counter.builder(METER).tag("consumer", record.consumer())
                .description("records a consumer could not handle and set aside").register(registry).increment();
        log.warn("Consumer {} set aside {} (key {}): {}", record.consumer(), record.where(), record.key(),
                record.error());
    }
}
