package io.hooksync.timeline;

import java.time.Duration;

import io.hooksync.infra.SettingBounds;
import jakarta.validation.constraints.NotBlank;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * {@code hooksync.timeline.*}: what the event timeline keeps and for how long. Each setting is bounded; outside its
 * range the start fails naming it.
 *
 * @param enabled record every accepted event for the dashboard and /api/events
 * @param retention timeline rows older than this are pruned (delivery attempts: hooksync.outbound.retention); 1h..3650d
 * @param pruneInterval how often the pruner looks for old rows; 1s..1d
 * @param pruneBatch rows per delete statement, each its own short transaction; 1..5000
 * @param maxBody body bytes shown per event (read back from its event topic, not stored); the rest is cut; 0B..16MB
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
        SettingBounds.between("hooksync.timeline.retention", retention, Duration.ofHours(1), Duration.ofDays(3650),
                "timeline rows kept before they are pruned");
        SettingBounds.between("hooksync.timeline.prune-interval", pruneInterval, Duration.ofSeconds(1),
                Duration.ofDays(1), "how often the pruner looks for old rows");
        SettingBounds.between("hooksync.timeline.prune-batch", pruneBatch, 1, 5000,
                "rows per delete statement");
        SettingBounds.between("hooksync.timeline.max-body", maxBody, DataSize.ofBytes(0), DataSize.ofMegabytes(16),
                "body bytes shown per event");
    }
}
