package io.hooksync.sink;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import io.hooksync.infra.RouteIdentity;
import io.hooksync.infra.consumer.GroupStarts;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Places a route's consumer on partitions its group has no committed offset for (Kafka's auto.offset.reset is
 * {@code none} for routes, so this is the only way a position is chosen), by the route's {@link StartPosition},
 * and commits that position so it holds for every instance. "Now" is the route identity's first deployment
 * ({@link RouteStarts}), not the moment of the first assignment: events accepted between the route's deployment
 * and its first assignment (a fresh install's first webhooks) are not skipped. Offsets are looked up with
 * {@code offsetsForTimes} over the record timestamps the producers set when they accepted the events.
 */
final class FirstPositions {

    private static final Logger log = LoggerFactory.getLogger(FirstPositions.class);

    private final RouteIdentity identity;
    private final StartPosition start;
    private final Supplier<Instant> deployedAt;

    FirstPositions(RouteIdentity identity, StartPosition start, Supplier<Instant> deployedAt) {
        this.identity = identity;
        this.start = start;
        this.deployedAt = deployedAt;
    }

    /** Seeks each partition to its first position and commits it. */
    void place(Consumer<?, ?> kafka, Set<TopicPartition> partitions) {
        Map<TopicPartition, Long> offsets;
        if (start instanceof StartPosition.Beginning) {
            offsets = kafka.beginningOffsets(partitions);
        } else if (start instanceof StartPosition.At at) {
            offsets = GroupStarts.byTime(kafka, partitions, at.at());
        } else {
            offsets = GroupStarts.byTime(kafka, partitions, deployedAt.get());
        }
        Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
        offsets.forEach((partition, offset) -> {
            kafka.seek(partition, offset);
            commit.put(partition, new OffsetAndMetadata(offset));
        });
        kafka.commitSync(commit);
        log.info("Route {} (group {}) had no committed offset; start={} places it at {}", identity.routeId(),
                identity.groupId(), describe(), offsets);
    }

    private String describe() {
        if (start instanceof StartPosition.Beginning) {
            return "beginning";
        }
        return start instanceof StartPosition.At at ? at.at().toString() : "now (first deployed " + deployedAt.get() + ")";
    }
}
