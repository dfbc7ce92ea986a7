package io.hooksync.sink;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads a slice of a source topic's history for Backfill: every partition assigned directly (no consumer group, so
 * no rebalance and no committed offset of any route is touched), from a start offset up to an end offset fixed
 * when the replay began. Records are turned into {@link InboundEvent}s as {@code hooksync:events} does
 * ({@link InboundEvent#of}).
 * Not thread-safe: one reader per replay thread.
 */
public final class HistoryReader implements AutoCloseable {

    private static final Duration POLL = Duration.ofMillis(500);

    private final KafkaConsumer<byte[], byte[]> kafka;
    private final String topic;
    private final String source;
    private final Map<Integer, Long> next;
    private final Map<Integer, Long> end;

    HistoryReader(String bootstrapServers, String topic, String source, Map<Integer, Long> from,
                  Map<Integer, Long> end, int maxRecords) {
        this.kafka = new KafkaConsumer<>(properties(bootstrapServers, maxRecords));
        this.topic = topic;
        this.source = source;
        this.next = new TreeMap<>(from);
        this.end = new TreeMap<>(end);
        List<TopicPartition> open = new ArrayList<>();
        next.forEach((p, offset) -> {
            if (offset < end.getOrDefault(p, 0L)) {
                open.add(new TopicPartition(topic, p));
            }
        });
        kafka.assign(open);
        open.forEach(tp -> kafka.seek(tp, next.get(tp.partition())));
    }

    /**
     * Per partition the first offset to read and the end offset (exclusive) for a replay starting at {@code start}
     * (null: the oldest record Kafka still keeps); the ends are the partitions' ends now.
     */
    static Map<Integer, long[]> range(String bootstrapServers, String topic, Instant start) {
        try (KafkaConsumer<byte[], byte[]> kafka = new KafkaConsumer<>(properties(bootstrapServers, 1))) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (PartitionInfo info : kafka.partitionsFor(topic, Duration.ofSeconds(30))) {
                partitions.add(new TopicPartition(topic, info.partition()));
            }
            Map<TopicPartition, Long> ends = kafka.endOffsets(partitions, Duration.ofSeconds(30));
            Map<TopicPartition, Long> firsts = kafka.beginningOffsets(partitions, Duration.ofSeconds(30));
            Map<TopicPartition, OffsetAndTimestamp> byTime = new HashMap<>();
            if (start != null) {
                Map<TopicPartition, Long> times = new HashMap<>();
                partitions.forEach(tp -> times.put(tp, start.toEpochMilli()));
                byTime.putAll(kafka.offsetsForTimes(times, Duration.ofSeconds(30)));
            }
            Map<Integer, long[]> range = new TreeMap<>();
            for (TopicPartition tp : partitions) {
                long endOffset = ends.get(tp);
                long first = firsts.get(tp);
                if (start != null) {
                    OffsetAndTimestamp found = byTime.get(tp);
                    first = found == null ? endOffset : Math.max(first, found.offset());
                }
                range.put(tp.partition(), new long[] {first, endOffset});
            }
            return range;
        }
    }

    /** The next records (at most the batch size), in offset order per partition; empty when {@link #done()}. */
    public List<InboundEvent> next() {
        List<InboundEvent> events = new ArrayList<>();
        if (done()) {
            return events;
        }
        for (ConsumerRecord<byte[], byte[]> record : kafka.poll(POLL)) {
            long limit = end.getOrDefault(record.partition(), 0L);
            if (record.offset() < limit) {
                events.add(InboundEvent.of(record, source));
            }
            next.merge(record.partition(), Math.min(record.offset() + 1, limit), Math::max);
        }
        for (TopicPartition tp : kafka.assignment()) {
            long position = kafka.position(tp);   // past transaction markers and compacted gaps
            next.merge(tp.partition(), Math.min(position, end.get(tp.partition())), Math::max);
        }
        List<TopicPartition> finished = kafka.assignment().stream()
                .filter(tp -> next.get(tp.partition()) >= end.get(tp.partition())).toList();
        if (!finished.isEmpty()) {
            List<TopicPartition> still = new ArrayList<>(kafka.assignment());
            still.removeAll(finished);
            kafka.assign(still);
        }
        return events;
    }

    /** True when every partition was read up to its end offset. */
    public boolean done() {
        return next.entrySet().stream().allMatch(e -> e.getValue() >= end.getOrDefault(e.getKey(), 0L));
    }

    /** Per partition the next offset to read: what a resumed replay starts from. */
    public Map<Integer, Long> positions() {
        return Map.copyOf(next);
    }

    @Override
    public void close() {
        kafka.close(Duration.ofSeconds(5));
    }

    private static Properties properties(String bootstrapServers, int maxRecords) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "hooksync-backfill");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, maxRecords);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        return p;
    }
}
