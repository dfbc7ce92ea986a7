package io.hooksync.sink;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * The offsets of polls in which the route wanted no event (another type of the same source). Committing each such
 * poll cost a broker round trip and an offsets-log write per poll for every route that shares a busy source, for
 * nothing a restart would miss: re-reading skipped events only skips them again. They are committed together with
 * the route's next real commit, or on their own once {@link #INTERVAL_NANOS} has passed, and only for partitions the
 * consumer still owns (a commit for a partition handed to another instance would move its progress back).
 * Not thread-safe: one per consumer thread.
 */
final class SkippedProgress {

    static final long INTERVAL_NANOS = 1_000_000_000L;

    private final Map<TopicPartition, OffsetAndMetadata> pending = new HashMap<>();
    private long since;

    /** Remembers the positions after {@code records}, all skipped. */
    void skipped(ConsumerRecords<byte[], byte[]> records, long now) {
        if (pending.isEmpty()) {
            since = now;
        }
        pending.putAll(nextOffsets(records));
    }

    /** Whether any offsets wait to be committed. */
    boolean pending() {
        return !pending.isEmpty();
    }

    /** Whether the pending offsets have waited long enough to be committed on their own. */
    boolean due(long now) {
        return !pending.isEmpty() && now - since >= INTERVAL_NANOS;
    }

    /** The pending offsets of partitions in {@code assignment}, merged under {@code offsets}; forgets all of them. */
    Map<TopicPartition, OffsetAndMetadata> drainInto(Map<TopicPartition, OffsetAndMetadata> offsets,
                                                     Set<TopicPartition> assignment) {
        Map<TopicPartition, OffsetAndMetadata> merged = new HashMap<>();
        pending.forEach((partition, offset) -> {
            if (assignment.contains(partition)) {
                merged.put(partition, offset);
            }
        });
        merged.putAll(offsets);   // a later poll's position wins
        pending.clear();
        return merged;
    }

    /** The position after the last record of each partition in {@code records}. */
    static Map<TopicPartition, OffsetAndMetadata> nextOffsets(ConsumerRecords<byte[], byte[]> records) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition partition : records.partitions()) {
            var list = records.records(partition);
            ConsumerRecord<byte[], byte[]> last = list.get(list.size() - 1);
            offsets.put(partition, new OffsetAndMetadata(last.offset() + 1));
        }
        return offsets;
    }
}
