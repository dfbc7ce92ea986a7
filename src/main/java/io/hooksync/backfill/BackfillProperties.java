package io.hooksync.backfill;

import java.time.Duration;

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
        if (batchSize < 1 || batchSize > 5000) {
            throw new IllegalArgumentException("hooksync.backfill.batch-size must be between 1 and 5000");
        }
        if (threads < 1 || threads > 8) {
            throw new IllegalArgumentException("hooksync.backfill.threads must be between 1 and 8");
        }
        if (lease.toSeconds() < 2) {
            throw new IllegalArgumentException("hooksync.backfill.lease must be at least 2s");
        }
        if (pollInterval.toMillis() < 100) {
            throw new IllegalArgumentException("hooksync.backfill.poll-interval must be at least 100ms");
        }
        if (sampleSize < 0 || sampleSize > 10_000) {
            throw new IllegalArgumentException("hooksync.backfill.sample-size must be between 0 and 10000");
        }
    }
}
