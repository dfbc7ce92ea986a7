package io.hooksync.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * While a route's circuit breaker is open its consumer keeps polling with paused partitions. A
 * rebalance inside such a poll assigns partitions that are not paused yet; their records must be put
 * back, or the consumer's position skips events that were never applied (seen as a stalled partition
 * after a database outage).
 */
class EventsConsumerPauseTest {

    private static final TopicPartition PARTITION = new TopicPartition("hooksync.events.github", 1);

    @Test
    void recordsOfAPartitionAssignedDuringTheWaitAreNotSkipped() {
        MockConsumer<byte[], byte[]> kafka = new MockConsumer<>(OffsetResetStrategy.EARLIEST);
        kafka.subscribe(List.of(PARTITION.topic()));
        kafka.updateBeginningOffsets(Map.of(PARTITION, 0L));
        kafka.schedulePollTask(() -> {
            kafka.rebalance(List.of(PARTITION));
            kafka.addRecord(new ConsumerRecord<>(PARTITION.topic(), PARTITION.partition(), 0, null, "a".getBytes()));
            kafka.addRecord(new ConsumerRecord<>(PARTITION.topic(), PARTITION.partition(), 1, null, "b".getBytes()));
        });

        EventsConsumer.waitPaused(kafka, Duration.ofMillis(10));

        // the next fetch after the breaker closes starts at the first record the wait had to give back
        assertThat(kafka.position(PARTITION)).as("position after the wait").isZero();
        assertThat(kafka.paused()).as("paused once assigned").containsExactly(PARTITION);
    }

    @Test
    void pausedPartitionsReturnNothingAndKeepTheirPosition() {
        MockConsumer<byte[], byte[]> kafka = new MockConsumer<>(OffsetResetStrategy.EARLIEST);
        kafka.assign(List.of(PARTITION));
        kafka.updateBeginningOffsets(Map.of(PARTITION, 0L));
        kafka.addRecord(new ConsumerRecord<>(PARTITION.topic(), PARTITION.partition(), 0, null, "a".getBytes()));

        EventsConsumer.waitPaused(kafka, Duration.ofMillis(10));

        assertThat(kafka.position(PARTITION)).isZero();
        kafka.resume(kafka.paused());
        assertThat(kafka.poll(Duration.ofMillis(10)).count()).isEqualTo(1);
    }
}
