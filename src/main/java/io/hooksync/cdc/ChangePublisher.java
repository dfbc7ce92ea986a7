package io.hooksync.cdc;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.hooksync.infra.envelope.EventEnvelope;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;

/**
 * Publishes a batch of changes to the source's topic and returns only when Kafka answered for all of
 * them (acks=all): Debezium may record the batch's offsets only after that, so a crash replays
 * changes (absorbed by the ledger) and never skips one. Headers are the CloudEvents ones the ingress
 * writes, so {@code hooksync:events} needs nothing CDC-specific: type = table, action = op.
 */
final class ChangePublisher {

    private static final long ACK_TIMEOUT_NANOS = TimeUnit.MINUTES.toNanos(2);

    private final Producer<byte[], byte[]> producer;

    ChangePublisher(Producer<byte[], byte[]> producer) {
        this.producer = producer;
    }

    /**
     * Sends every change and waits for Kafka's answers: one entry per change, null when acknowledged, else
     * what Kafka said about that change (e.g. too large). Throws when Kafka did not answer in time.
     */
    List<Exception> publish(CdcSource source, List<CdcEvent> events) {
        List<Future<RecordMetadata>> acks = new ArrayList<>(events.size());
        for (CdcEvent event : events) {
            ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(source.topic(), event.key(), event.envelope());
            new EventEnvelope(event.id(), source.name(), event.table(), event.time()).withAction(event.op())
                    .writeTo(record.headers());
            try {
                acks.add(producer.send(record));
            } catch (KafkaException e) {
                acks.add(CompletableFuture.failedFuture(e));   // refused before sending (e.g. not serializable)
            }
        }
        long deadline = System.nanoTime() + ACK_TIMEOUT_NANOS;
        List<Exception> outcomes = new ArrayList<>(acks.size());
        try {
            for (Future<RecordMetadata> ack : acks) {
                outcomes.add(outcome(ack, deadline));
            }
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka did not acknowledge changes of CDC source " + source.name(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while publishing changes of " + source.name(), e);
        }
        return outcomes;
    }

    private static Exception outcome(Future<RecordMetadata> ack, long deadline)
            throws TimeoutException, InterruptedException {
        try {
            ack.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            return null;
        } catch (ExecutionException e) {
            return e.getCause() instanceof Exception cause ? cause : e;
        }
    }
}
