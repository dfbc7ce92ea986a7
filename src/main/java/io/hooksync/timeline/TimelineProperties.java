package io.hooksync.timeline;

import java.time.Duration;

import jakarta.validation.constraints.NotBlank;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * {@code hooksync.timeline.*}: what the event timeline keeps and for how long.
 *
 * @param enabled record every accepted event for the dashboard and /api/events
 * @param retention timeline rows older than this are pruned (delivery attempts: hooksync.outbound.retention)
 * @param pruneInterval how often the pruner looks for old rows
 * @param pruneBatch rows per delete statement, each its own short transaction
 * @param maxBody body bytes shown per event (read back from its event topic, not stored); the rest is cut
 * @param topicPrefix source topics the recorder subscribes to (default in application.yaml: the ingress prefix)
 */
@ConfigurationProperties(prefix = "hooksync.timeline")
@Validated
record TimelineProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("14d") Duration retention,
        @DefaultValue("1m") Duration pruneInterval,
        @DefaultValue("500") int pruneBatch,
        @DefaultValue("64KB") DataSize maxBody,
        @NotBlank String topicPrefix) {

    TimelineProperties {
        if (retention.isNegative() || retention.isZero()) {
            throw new IllegalArgumentException("hooksync.timeline.retention must be positive");
        }
        if (pruneBatch < 1 || pruneBatch > 5000) {
            throw new IllegalArgumentException("hooksync.timeline.prune-batch must be between 1 and 5000");
        }
    }
}
