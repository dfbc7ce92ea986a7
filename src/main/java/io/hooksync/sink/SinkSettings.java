package io.hooksync.sink;

import java.time.Duration;

import io.hooksync.infra.ExpressionBounds;
import io.hooksync.infra.SettingBounds;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code hooksync.sink.*}: batch size, consumer threads per route, poison retries, outage backoff ceiling,
 * and the bounds of one evaluation of a mapping's JSONata expression. Each is bounded; outside its range the start
 * fails naming the setting, the range and the value.
 *
 * @param batchSize events per poll and per database transaction
 * @param consumersPerRoute consumer threads per route sharing its partitions; order holds per partition. The default
 *                          is the default partition count ({@code hooksync.kafka.partitions}, 3): a thread per
 *                          partition. With 2 threads on 3 partitions one thread has two partitions' events while the
 *                          other idles once its own are done (docs/benchmarks.md, issue 15)
 * @param maxAttempts tries of a poison event before it becomes a dead letter
 * @param maxBackoff longest wait between retries while the database is down
 * @param mappingTimeout longest one JSONata evaluation of a mapping may run; longer is a mapping error (dead letter)
 * @param mappingMaxDepth deepest nesting or recursion of one mapping evaluation; deeper is a mapping error
 */
@ConfigurationProperties("hooksync.sink")
record SinkSettings(@DefaultValue("500") int batchSize, @DefaultValue("3") int consumersPerRoute,
                    @DefaultValue("3") int maxAttempts, @DefaultValue("30s") Duration maxBackoff,
                    @DefaultValue("1s") Duration mappingTimeout, @DefaultValue("200") int mappingMaxDepth) {

    /** Each is a thread and a Kafka consumer per route; more than a topic's partitions only wait. */
    static final int MAX_CONSUMERS_PER_ROUTE = 64;
    /** Events held in memory per route thread, and written in one transaction (as hooksync.backfill.batch-size). */
    static final int MAX_BATCH_SIZE = 5000;

    SinkSettings {
        SettingBounds.between("hooksync.sink.batch-size", batchSize, 1, MAX_BATCH_SIZE,
                "events per poll and per transaction");
        SettingBounds.between("hooksync.sink.consumers-per-route", consumersPerRoute, 1, MAX_CONSUMERS_PER_ROUTE,
                "a thread and a Kafka consumer per route each");
        SettingBounds.between("hooksync.sink.max-attempts", maxAttempts, 1, 100,
                "tries of a failing event before it becomes a dead letter");
        SettingBounds.between("hooksync.sink.max-backoff", maxBackoff, Duration.ofMillis(100), Duration.ofHours(1),
                "longest wait between retries while the database is down");
        SettingBounds.between("hooksync.sink.mapping-timeout", mappingTimeout, Duration.ofMillis(1),
                Duration.ofMinutes(1), "an evaluation holds its route's partition");
        SettingBounds.between("hooksync.sink.mapping-max-depth", mappingMaxDepth, 1, 10_000,
                "nesting of one mapping evaluation");
    }

    ExpressionBounds mappingBounds() {
        return new ExpressionBounds(mappingTimeout, mappingMaxDepth);
    }
}
