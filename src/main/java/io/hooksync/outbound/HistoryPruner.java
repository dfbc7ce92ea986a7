package io.hooksync.outbound;

import java.time.Clock;
import java.time.Duration;
import java.util.function.BooleanSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Prunes delivery history older than the retention, a minute after start and then every minute, 1,000 rows
 * per table per short transaction ({@link DeliveryStore#prune}); called from the recorder thread, so one
 * writer prunes and pruning yields to a growing backlog of results.
 */
final class HistoryPruner {

    private static final Logger log = LoggerFactory.getLogger(HistoryPruner.class);

    private final DeliveryStore store;
    private final Duration retention;
    private final Clock clock;
    private long prunedAt = System.currentTimeMillis();   // first pruning a minute after start

    HistoryPruner(DeliveryStore store, Duration retention, Clock clock) {
        this.store = store;
        this.retention = retention;
        this.clock = clock;
    }

    /** Prunes when a minute has passed since the last time, batch after batch while {@code goOn} holds. */
    void pruneNowAndThen(BooleanSupplier goOn) {
        long now = clock.millis();
        if (now - prunedAt < 60_000) {
            return;
        }
        prunedAt = now;
        try {
            int removed;
            int total = 0;
            do {
                removed = store.prune(now - retention.toMillis(), 1_000);
                total += removed;
            } while (removed > 0 && goOn.getAsBoolean());
            if (total > 0) {
                log.info("Pruned {} delivery history rows older than {}", total, retention);
            }
        } catch (RuntimeException e) {
            log.warn("Pruning delivery history failed ({}); trying again later", e.getMessage());
        }
    }
}
