package io.hooksync.infra.consumer;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

import io.hooksync.infra.KafkaBackbone;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads one record by its position (topic, partition, offset), for views that show a single event's body
 * instead of keeping a copy of every body in the database. One consumer without a group (direct assignment:
 * no rebalance, no committed offset of any reader is touched), opened on first use and shared by callers one at
 * a time; a lookup waits at most {@link #TIMEOUT}. Empty when Kafka no longer holds the record (retention) or
 * the topic or partition does not exist.
 */
public final class RecordLookup implements AutoCloseable {

    static final Duration TIMEOUT = Duration.ofSeconds(3);

    private final KafkaBackbone backbone;
    private KafkaConsumer<byte[], byte[]> kafka;

    public RecordLookup(KafkaBackbone backbone) {
        this.backbone = backbone;
    }

    /** The record at {@code offset}, if Kafka still has it. */
    public synchronized Optional<ConsumerRecord<byte[], byte[]>> find(String topic, int partition, long offset) {
        if (kafka == null) {
            kafka = new KafkaConsumer<>(properties());
        }
        TopicPartition position = new TopicPartition(topic, partition);
        if (kafka.partitionsFor(topic, TIMEOUT).stream().noneMatch(p -> p.partition() == partition)) {
            return Optional.empty();
        }
        kafka.assign(List.of(position));
        Long first = kafka.beginningOffsets(List.of(position), TIMEOUT).get(position);
        Long end = kafka.endOffsets(List.of(position), TIMEOUT).get(position);
        if (first == null || end == null || offset < first || offset >= end) {
            return Optional.empty();
        }
        kafka.seek(position, offset);
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            for (ConsumerRecord<byte[], byte[]> record : kafka.poll(Duration.ofMillis(200)).records(position)) {
                if (record.offset() == offset) {
                    return Optional.of(record);
                }
                if (record.offset() > offset) {
                    return Optional.empty();   // compacted away or an aborted transaction's record
                }
            }
        }
        return Optional.empty();
    }

    private Properties properties() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, backbone.bootstrapServers());
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "hooksync-record-lookup");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);   // asking about a deleted topic must not create it
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 50);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        return p;
    }

    @Override
    public synchronized void close() {
        if (kafka != null) {
            kafka.close(Duration.ofSeconds(5));
            kafka = null;
        }
    }
}
