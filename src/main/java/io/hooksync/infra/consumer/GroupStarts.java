package io.hooksync.infra.consumer;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

/**
 * Where a consumer group that never committed starts reading: at the first record accepted at or after a
 * given time (a route's deployment), not at the oldest retained record, so a new or renamed route does not
 * replay the topic's history. Records are found with {@code offsetsForTimes} over the producers' timestamps.
 */
public final class GroupStarts {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private GroupStarts() {
    }

    /**
     * The first offset of each partition whose record was accepted at or after {@code from}; the end offset (read
     * before the lookup, so a record appended meanwhile is not skipped) where there is none yet.
     */
    public static Map<TopicPartition, Long> byTime(Consumer<?, ?> kafka, Set<TopicPartition> partitions, Instant from) {
        Map<TopicPartition, Long> end = kafka.endOffsets(partitions);
        Map<TopicPartition, Long> times = new HashMap<>();
        partitions.forEach(p -> times.put(p, from.toEpochMilli()));
        Map<TopicPartition, OffsetAndTimestamp> found = kafka.offsetsForTimes(times);
        Map<TopicPartition, Long> offsets = new HashMap<>();
        for (TopicPartition partition : partitions) {
            OffsetAndTimestamp hit = found.get(partition);
            offsets.put(partition, hit != null ? hit.offset() : end.get(partition));
        }
        return offsets;
    }

    /**
     * For each partition of {@code topic} the group of {@code consumerProperties} has no committed offset for,
     * commits {@link #byTime the first offset at or after} {@code from}, before the group's loop starts. Returns
     * what it committed (nothing when the group already has offsets, or the topic does not exist yet: a topic
     * created later holds only newer records). Throws a Kafka exception when the group is active elsewhere (it
     * then has its offsets) or Kafka cannot be reached.
     */
    public static Map<TopicPartition, Long> initialize(Properties consumerProperties, String topic, Instant from) {
        Properties p = new Properties();
        p.putAll(consumerProperties);
        p.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        try (KafkaConsumer<byte[], byte[]> kafka = new KafkaConsumer<>(p)) {
            List<PartitionInfo> infos = kafka.partitionsFor(topic, TIMEOUT);
            if (infos == null || infos.isEmpty()) {
                return Map.of();
            }
            Set<TopicPartition> all = infos.stream().map(i -> new TopicPartition(topic, i.partition()))
                    .collect(Collectors.toSet());
            Map<TopicPartition, OffsetAndMetadata> committed = kafka.committed(all, TIMEOUT);
            Set<TopicPartition> missing = all.stream().filter(tp -> committed.get(tp) == null).collect(Collectors.toSet());
            if (missing.isEmpty()) {
                return Map.of();
            }
            Map<TopicPartition, Long> offsets = byTime(kafka, missing, from);
            Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
            offsets.forEach((partition, offset) -> commit.put(partition, new OffsetAndMetadata(offset)));
            kafka.assign(missing);
            kafka.commitSync(commit, TIMEOUT);
            return offsets;
        }
    }
}
