package io.hooksync.infra.consumer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Settles one poll: every record takes effect or is set aside, and the offsets of those are committed;
 * or the poll stops at the first record that must wait (an outage, or an unknown failure with attempts
 * left), the consumer is put back at it, and the failure is returned for the loop to back off.
 * In {@link LoopSpec.Mode#BATCHES} mode the whole poll goes to the processor first; when that fails for a
 * reason other than an outage, the records are tried one by one to find the one at fault.
 */
final class PollSettler {

    private static final Logger log = LoggerFactory.getLogger(PollSettler.class);

    private final String name;
    private final LoopSpec.Mode mode;
    private final RecordProcessor processor;
    private final SetAside setAside;
    private final int maxAttempts;
    private TopicPartition failingPartition;
    private long failingOffset = -1;
    private int attempts;

    PollSettler(String name, LoopSpec.Mode mode, RecordProcessor processor, SetAside setAside, int maxAttempts) {
        this.name = name;
        this.mode = mode;
        this.processor = processor;
        this.setAside = setAside;
        this.maxAttempts = maxAttempts;
    }

    /** Null when the poll is settled and committed; otherwise the failure to back off for. */
    Exception settle(Consumer<byte[], byte[]> consumer, ConsumerRecords<byte[], byte[]> records)
            throws InterruptedException {
        List<ConsumerRecord<byte[], byte[]>> all = new ArrayList<>(records.count());
        records.forEach(all::add);
        if (mode == LoopSpec.Mode.BATCHES && all.size() > 1) {
            Exception refusal = run(all);
            if (refusal == null) {
                commit(consumer, nextOffsets(all, all.size()));   // a refused commit is the loop's to handle
                return null;
            }
            if (Failures.classify(refusal) == FailureKind.OUTAGE) {
                rewind(consumer, all, 0);
                return refusal;
            }
            log.info("Consumer {}: batch of {} refused ({}); trying its records one by one", name, all.size(),
                    SetAsideRecord.Excerpts.describe(refusal));
        }
        for (int i = 0; i < all.size(); i++) {
            Exception failure = attempt(all.get(i));
            if (failure != null) {
                commit(consumer, nextOffsets(all, i));
                rewind(consumer, all, i);
                return failure;
            }
        }
        commit(consumer, nextOffsets(all, all.size()));
        return null;
    }

    /** Null when the record took effect or was set aside; otherwise the failure to wait for. */
    private Exception attempt(ConsumerRecord<byte[], byte[]> record) throws InterruptedException {
        Exception failure = run(List.of(record));
        if (failure == null) {
            forget(record);
            return null;
        }
        FailureKind kind = Failures.classify(failure);
        if (kind == FailureKind.OUTAGE || kind == FailureKind.UNKNOWN && countAttempt(record) < maxAttempts) {
            return failure;
        }
        try {
            setAside.record(name, record, failure);
        } catch (RuntimeException storeFailed) {
            // not kept anywhere, so not skipped: wait as for an outage and try the record again
            return new IllegalStateException("cannot set aside " + record.topic() + "/" + record.partition() + "@"
                    + record.offset() + ": " + storeFailed.getMessage(), storeFailed);
        }
        forget(record);
        return null;
    }

    /** Null when the processor took the records; otherwise what it threw (a stack overflow included). */
    private Exception run(List<ConsumerRecord<byte[], byte[]>> records) throws InterruptedException {
        try {
            processor.process(records);
            return null;
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            return e;
        } catch (StackOverflowError e) {
            return new IllegalStateException("stack overflow while handling the record(s)", e);
        }
    }

    private int countAttempt(ConsumerRecord<byte[], byte[]> record) {
        TopicPartition partition = new TopicPartition(record.topic(), record.partition());
        if (!partition.equals(failingPartition) || record.offset() != failingOffset) {
            failingPartition = partition;
            failingOffset = record.offset();
            attempts = 0;
        }
        return ++attempts;
    }

    private void forget(ConsumerRecord<byte[], byte[]> record) {
        if (failingPartition != null && record.offset() == failingOffset
                && record.partition() == failingPartition.partition()
                && record.topic().equals(failingPartition.topic())) {
            failingPartition = null;
            failingOffset = -1;
            attempts = 0;
        }
    }

    /** Offsets after each partition's last record among the first {@code count} records. */
    private static Map<TopicPartition, OffsetAndMetadata> nextOffsets(List<ConsumerRecord<byte[], byte[]>> all,
                                                                      int count) {
        Map<TopicPartition, OffsetAndMetadata> next = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : all.subList(0, count)) {
            next.put(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1));
        }
        return next;
    }

    private static void commit(Consumer<byte[], byte[]> consumer, Map<TopicPartition, OffsetAndMetadata> offsets) {
        if (!offsets.isEmpty()) {
            consumer.commitSync(offsets);
        }
    }

    /** Puts each partition back at its first record from index {@code from} on (if still assigned). */
    private static void rewind(Consumer<byte[], byte[]> consumer, List<ConsumerRecord<byte[], byte[]>> all, int from) {
        Map<TopicPartition, Long> first = new LinkedHashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : all.subList(from, all.size())) {
            first.putIfAbsent(new TopicPartition(r.topic(), r.partition()), r.offset());
        }
        first.forEach((partition, offset) -> {
            if (consumer.assignment().contains(partition)) {
                consumer.seek(partition, offset);
            }
        });
    }
}
