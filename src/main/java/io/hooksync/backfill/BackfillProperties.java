package io.hooksync.backfill;

import java.time.Duration;

import io.hooksync.infra.SettingBounds;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code hooksync.backfill.*}: events per replay batch (one transaction each), replays run at once per instance,
 * how long a running replay's lease lasts without a heartbeat, how often idle instances look for work, and how
 * many rows of each kind a preview's difference shows.
 *
 * @param batchSize events per replay transaction
 * @param threads replays one instance runs at once, apart from the live routes
 * @param lease a running replay's lease, renewed every batch; another instance resumes it after this
 * @param pollInterval how often an instance looks for replays to run or resume
 * @param sampleSize example rows of each kind in a preview's difference
 */
@ConfigurationProperties("hooksync.backfill")
record BackfillProperties(@DefaultValue("500") int batchSize, @DefaultValue("1") int threads,
                          @DefaultValue("30s") Duration lease, @DefaultValue("2s") Duration pollInterval,
                          @DefaultValue("20") int sampleSize) {

    BackfillProperties {
        String p = "hooksync.backfill.";
        SettingBounds.between(p + "batch-size", batchSize, 1, 5000, "events per replay transaction");
        SettingBounds.between(p + "threads", threads, 1, 8, "replays at once on this instance");
        SettingBounds.between(p + "lease", lease, Duration.ofSeconds(2), Duration.ofHours(1),
                "a dead instance's replay is taken over after it");
        SettingBounds.between(p + "poll-interval", pollInterval, Duration.ofMillis(100), Duration.ofMinutes(1),
                "how often queued replays are looked for");
        SettingBounds.between(p + "sample-size", sampleSize, 0, 10_000, "rows a preview's difference shows");
    }
}
