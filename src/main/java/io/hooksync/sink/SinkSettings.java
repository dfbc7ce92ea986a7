package io.hooksync.sink;

import java.time.Duration;

import io.hooksync.infra.ExpressionBounds;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code hooksync.sink.*}: batch size, consumer threads per route, poison retries, outage backoff ceiling,
 * and the bounds of one evaluation of a mapping's JSONata expression.
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

    SinkSettings {
        if (consumersPerRoute < 1 || consumersPerRoute > MAX_CONSUMERS_PER_ROUTE) {
            throw new IllegalArgumentException("hooksync.sink.consumers-per-route must be between 1 and "
                    + MAX_CONSUMERS_PER_ROUTE + " (a thread and a Kafka consumer per route each), not "
                    + consumersPerRoute);
        }
    }

    ExpressionBounds mappingBounds() {
        return new ExpressionBounds(mappingTimeout, mappingMaxDepth);
    }
}
