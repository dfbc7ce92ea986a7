package io.hooksync.infra.consumer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.common.TopicPartition;

/**
 * Kafka's MockConsumer on one assigned partition, acting like a log: a seek back returns the records
 * from there again (MockConsumer forgets polled records), and an empty poll waits a moment like a real one.
 */
final class ReplayingConsumer extends MockConsumer<byte[], byte[]> {

    static final TopicPartition PARTITION = new TopicPartition("t", 0);
    private final List<ConsumerRecord<byte[], byte[]>> log = new ArrayList<>();

    ReplayingConsumer(String... values) {
        super(OffsetResetStrategy.EARLIEST);
        assign(List.of(PARTITION));
        updateBeginningOffsets(Map.of(PARTITION, 0L));
        for (String value : values) {
            ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>(PARTITION.topic(), PARTITION.partition(),
                    log.size(), ("k" + log.size()).getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8));
            log.add(record);
            addRecord(record);
        }
    }

    @Override
    public synchronized void seek(TopicPartition partition, long offset) {
        super.seek(partition, offset);
        log.stream().filter(r -> r.offset() >= offset).forEach(this::addRecord);
    }

    @Override
    public synchronized ConsumerRecords<byte[], byte[]> poll(Duration timeout) {
        ConsumerRecords<byte[], byte[]> records = super.poll(timeout);
        if (records.isEmpty()) {
            try {
                wait(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return records;
    }

    /** The committed offset of the partition, or -1. */
    synchronized long committedOffset() {
        OffsetAndMetadata committed = committed(java.util.Set.of(PARTITION)).get(PARTITION);
        return committed == null ? -1 : committed.offset();
    }

    static String value(ConsumerRecord<byte[], byte[]> record) {
        return new String(record.value(), StandardCharsets.UTF_8);
    }
}
