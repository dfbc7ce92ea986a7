package io.hooksync.sink;

import java.time.Duration;

import io.hooksync.infra.ExpressionBounds;
import org.springframework.boot.context.properties.ConfigurationProperties;
import io.hooksync.infra.ExpressionBounds;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code hooksync.sink.*}: batch size, consumer threads per route, poison retries, outage backoff ceiling,
 * and the bounds of one evaluation of a mapping's JSONata expression.
 */
@ConfigurationProperties("hooksync.sink")
record SinkSettings(@DefaultValue("500") int batchSize, @DefaultValue("2") int consumersPerRoute,
                    @DefaultValue("3") int maxAttempts, @DefaultValue("30s") Duration maxBackoff,
                    @DefaultValue("1s") Duration mappingTimeout, @DefaultValue("200") int mappingMaxDepth) {

    ExpressionBounds mappingBounds() {
        return new ExpressionBounds(mappingTimeout, mappingMaxDepth);
    }
}
