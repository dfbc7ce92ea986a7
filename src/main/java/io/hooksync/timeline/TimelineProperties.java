package io.hooksync.timeline;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/** {@code hooksync.timeline.*}: what the event timeline keeps and for how long. */
@ConfigurationProperties(prefix = "hooksync.timeline")
record TimelineProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("14d") Duration retention,
        @DefaultValue("1m") Duration pruneInterval,
        @DefaultValue("500") int pruneBatch,
        @DefaultValue("64KB") DataSize maxBody,
        @DefaultValue("hooksync.events.") String topicPrefix) {

    TimelineProperties {
        if (retention.isNegative() || retention.isZero()) {
            throw new IllegalArgumentException("hooksync.timeline.retention must be positive");
        }
        if (pruneBatch < 1 || pruneBatch > 5000) {
            throw new IllegalArgumentException("hooksync.timeline.prune-batch must be between 1 and 5000");
        }
    }
}
