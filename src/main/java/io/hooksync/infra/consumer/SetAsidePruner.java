package io.hooksync.infra.consumer;

import java.time.Clock;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.hooksync.infra.BackgroundPriority;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Deletes set-aside rows older than {@code hooksync.consumers.set-aside-retention}, every hour, 500 rows
 * per statement by primary key (short transactions, no long locks), so hostile input that keeps being
 * set aside cannot grow the table without bound. Every instance may prune; deletes are idempotent.
 */
final class SetAsidePruner implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(SetAsidePruner.class);
    private static final Duration EVERY = Duration.ofHours(1);
    private static final int BATCH = 500;

    private final JdbcTemplate jdbc;
    private final Duration retention;
    private final Clock clock;
    private volatile ScheduledExecutorService scheduler;

    SetAsidePruner(JdbcTemplate jdbc, Duration retention, Clock clock) {
        this.jdbc = jdbc;
        this.retention = retention;
        this.clock = clock;
    }

    /** Deletes every row older than the retention; returns how many. */
    int pruneOnce() {
        long cutoff = clock.millis() - retention.toMillis();
        int deleted = 0;
        List<Long> ids;
        do {
            ids = jdbc.queryForList("SELECT id FROM hooksync_set_aside WHERE set_aside_at < ? ORDER BY id LIMIT " + BATCH,
                    Long.class, cutoff);
            if (!ids.isEmpty()) {
                String marks = String.join(",", Collections.nCopies(ids.size(), "?"));
                deleted += jdbc.update("DELETE FROM hooksync_set_aside WHERE id IN (" + marks + ")", ids.toArray());
            }
        } while (ids.size() == BATCH);
        return deleted;
    }

    @Override
    public void start() {
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> BackgroundPriority.thread("hooksync-set-aside-pruner", r));
        scheduler.scheduleWithFixedDelay(() -> {
            try {
                int deleted = pruneOnce();
                if (deleted > 0) {
                    log.info("Pruned {} set-aside record(s) older than {}", deleted, retention);
                }
            } catch (RuntimeException e) {
                log.warn("Pruning set-aside records failed, next try in {}: {}", EVERY, e.toString());
            }
        }, 1, EVERY.toMinutes(), TimeUnit.MINUTES);
    }

    @Override
    public void stop() {
        ScheduledExecutorService current = scheduler;
        if (current != null) {
            current.shutdownNow();
        }
    }

    @Override
    public boolean isRunning() {
        ScheduledExecutorService current = scheduler;
        return current != null && !current.isShutdown();
    }
}
