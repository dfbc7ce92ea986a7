package io.hooksync.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** Skipped-only polls are committed later, together or after a second, and only for partitions still owned. */
class SkippedProgressTest {

    private static final TopicPartition P0 = new TopicPartition("hooksync.events.github", 0);
    private static final TopicPartition P1 = new TopicPartition("hooksync.events.github", 1);

    private static ConsumerRecords<byte[], byte[]> records(TopicPartition partition, long... offsets) {
        List<ConsumerRecord<byte[], byte[]>> list = new java.util.ArrayList<>();
        for (long offset : offsets) {
            list.add(new ConsumerRecord<>(partition.topic(), partition.partition(), offset, null, new byte[0]));
        }
        return new ConsumerRecords<>(Map.of(partition, list));
    }

    @Test
    void pendingOffsetsAreDueAfterTheIntervalFromTheFirstSkippedPoll() {
        SkippedProgress progress = new SkippedProgress();
        assertThat(progress.due(0)).isFalse();
        assertThat(progress.pending()).isFalse();
        progress.skipped(records(P0, 3, 4), 100);
        assertThat(progress.pending()).isTrue();
        progress.skipped(records(P0, 5), 100 + SkippedProgress.INTERVAL_NANOS / 2);
        assertThat(progress.due(100 + SkippedProgress.INTERVAL_NANOS - 1)).isFalse();
        assertThat(progress.due(100 + SkippedProgress.INTERVAL_NANOS)).isTrue();
        assertThat(progress.drainInto(Map.of(), Set.of(P0, P1))).containsExactly(Map.entry(P0, new OffsetAndMetadata(6)));
        assertThat(progress.due(Long.MAX_VALUE)).isFalse();
        assertThat(progress.pending()).isFalse();
    }

    @Test
    void aRealCommitTakesThePendingOffsetsAlongAndItsOwnWin() {
        SkippedProgress progress = new SkippedProgress();
        progress.skipped(records(P0, 10), 0);
        progress.skipped(records(P1, 20), 0);
        Map<TopicPartition, OffsetAndMetadata> merged = progress.drainInto(
                SkippedProgress.nextOffsets(records(P1, 21, 22)), Set.of(P0, P1));
        assertThat(merged).containsOnly(Map.entry(P0, new OffsetAndMetadata(11)), Map.entry(P1, new OffsetAndMetadata(23)));
    }

    @Test
    void partitionsNoLongerAssignedAreNotCommitted() {
        SkippedProgress progress = new SkippedProgress();
        progress.skipped(records(P0, 10), 0);
        progress.skipped(records(P1, 20), 0);
        assertThat(progress.drainInto(Map.of(), Set.of(P1))).containsOnly(Map.entry(P1, new OffsetAndMetadata(21)));
        assertThat(progress.drainInto(Map.of(), Set.of(P0, P1))).isEmpty();
    }
}
