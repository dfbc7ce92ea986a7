package io.hooksync.cdc;

import java.util.ArrayList;
import java.util.List;

import io.hooksync.infra.consumer.FailureKind;
import io.hooksync.infra.consumer.Failures;
import io.hooksync.infra.consumer.SetAside;
import io.micrometer.core.instrument.Counter;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * What the capture loop does with a batch of Debezium records before it acknowledges them: convert each
 * to a {@link CdcEvent} and publish it ({@link ChangePublisher}, acks=all). A change that cannot be
 * converted, or that Kafka refuses for itself (larger than the broker takes, ...), is set aside (consumer
 * {@code cdc-<source>}: counted, logged, kept in {@code hooksync_set_aside} with its source position) so
 * that one row cannot stop the capture. Any other failure (Kafka unreachable or silent, the set-aside
 * table unreachable) is thrown: nothing of the batch is acknowledged and the engine starts again from
 * the last committed offset, so a change is acknowledged only once it was published or set aside.
 * Unlike the Kafka consumer loops there are no bounded attempts for an unknown publishing failure: one
 * that is not about the record (authorization, a missing topic) would otherwise set aside every change.
 */
final class ChangeHandler {

    private final CdcSource source;
    private final ChangePublisher publisher;
    private final SetAside setAside;
    private final Counter changes;

    ChangeHandler(CdcSource source, ChangePublisher publisher, SetAside setAside, Counter changes) {
        this.source = source;
        this.publisher = publisher;
        this.setAside = setAside;
        this.changes = changes;
    }

    String consumer() {
        return "cdc-" + source.name();
    }

    void handle(List<SourceRecord> records) {
        List<CdcEvent> events = new ArrayList<>(records.size());
        List<SourceRecord> origins = new ArrayList<>(records.size());
        for (SourceRecord record : records) {
            CdcEvent event;
            try {
                event = ChangeEnvelope.of(record);
            } catch (RuntimeException | StackOverflowError e) {
                setAside.change(consumer(), record.topic(), position(record), text(record.key()), text(record.value()), e);
                continue;
            }
            if (event != null) {
                events.add(event);
                origins.add(record);
            }
        }
        if (events.isEmpty()) {
            return;
        }
        List<Exception> failures = publisher.publish(source, events);
        for (Exception failure : failures) {
            if (failure != null && Failures.classify(failure) != FailureKind.POISON) {
                throw new IllegalStateException("Kafka did not take a change of CDC source " + source.name() + ": "
                        + failure.getMessage(), failure);
            }
        }
        int published = 0;
        for (int i = 0; i < events.size(); i++) {
            Exception failure = failures.get(i);
            if (failure == null) {
                published++;
            } else {
                CdcEvent event = events.get(i);
                setAside.change(consumer(), origins.get(i).topic(), position(origins.get(i)), event.key(),
                        event.envelope(), failure);
            }
        }
        changes.increment(published);
    }

    private static String position(SourceRecord record) {
        return String.valueOf(record.sourceOffset());
    }

    private static byte[] text(Object value) {
        return value == null ? null : String.valueOf(value).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
}
