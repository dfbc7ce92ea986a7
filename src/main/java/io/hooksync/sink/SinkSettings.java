package io.hooksync.sink;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/** {@code hooksync.sink.*}: batch size, consumer threads per route, poison retries, outage backoff ceiling. */
@ConfigurationProperties("hooksync.sink")
record SinkSettings(@DefaultValue("500") int batchSize, @DefaultValue("2") int consumersPerRoute,
                    @DefaultValue("3") int maxAttempts, @DefaultValue("30s") Duration maxBackoff) {
}
