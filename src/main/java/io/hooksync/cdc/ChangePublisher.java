package io.hooksync.cdc;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Publishes a batch of changes to the source's topic and returns only when Kafka acknowledged all of
 * them (acks=all): Debezium may record the batch's offsets only after that, so a crash replays
 * changes (absorbed by the ledger) and never skips one. Headers are the CloudEvents ones the ingress
 * writes, so {@code hooksync:events} needs nothing CDC-specific: type = table, action = op.
 */
final class ChangePublisher {

    private final KafkaProducer<byte[], byte[]> producer;

    ChangePublisher(KafkaProducer<byte[], byte[]> producer) {
        this.producer = producer;
    }

    void publish(CdcSource source, List<CdcEvent> events) {
        List<Future<RecordMetadata>> acks = new ArrayList<>(events.size());
        for (CdcEvent event : events) {
            ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(source.topic(), event.key(), event.envelope());
            header(record, "ce_specversion", "1.0");
            header(record, "ce_id", event.id());
            header(record, "ce_source", source.name());
            header(record, "ce_type", event.table());
            header(record, "ce_time", event.time());
            header(record, "content-type", "application/json");
            header(record, "hooksync_action", event.op());
            acks.add(producer.send(record));
        }
        try {
            for (Future<RecordMetadata> ack : acks) {
                ack.get(2, TimeUnit.MINUTES);
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("Kafka refused a change of CDC source " + source.name() + ": "
                    + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka did not acknowledge changes of CDC source " + source.name(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while publishing changes of " + source.name(), e);
        }
    }

    private static void header(ProducerRecord<byte[], byte[]> record, String name, String value) {
        if (value != null) {
            record.headers().add(name, value.getBytes(StandardCharsets.UTF_8));
        }
    }
}
