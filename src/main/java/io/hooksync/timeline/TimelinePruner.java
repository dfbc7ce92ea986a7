package io.hooksync.timeline;

import java.time.Clock;
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
 * Deletes timeline rows older than the retention, in small batches by primary
 * key (each its own short transaction), so no statement holds locks on many rows or for long, and
 * ingest and delivery never queue behind a cleanup. Every instance may prune; deletes are idempotent.
 */
final class TimelinePruner implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(TimelinePruner.class);

    /** A table to prune: its name and the epoch-millisecond column that ages it. */
    private record Aged(String table, String timeColumn) {
    }

    // delivery attempts belong to outbound, which prunes them with its own retention
    private static final List<Aged> TABLES = List.of(new Aged("hooksync_timeline", "received_at"));

    private final JdbcTemplate jdbc;
    private final TimelineProperties properties;
    private final Clock clock;
    private ScheduledExecutorService scheduler;

    TimelinePruner(JdbcTemplate jdbc, TimelineProperties properties, Clock clock) {
        this.jdbc = jdbc;
        this.properties = properties;
        this.clock = clock;
    }

    /** Prunes everything older than the retention; returns the number of rows deleted. */
    int pruneOnce() {
        long cutoff = clock.millis() - properties.retention().toMillis();
        int deleted = 0;
        for (Aged aged : TABLES) {
            List<Long> ids;
            do {
                ids = jdbc.queryForList("SELECT id FROM " + aged.table() + " WHERE " + aged.timeColumn() + " < ? ORDER BY id"
                        + " LIMIT " + properties.pruneBatch(), Long.class, cutoff);
                if (!ids.isEmpty()) {
                    String marks = String.join(",", Collections.nCopies(ids.size(), "?"));
                    deleted += jdbc.update("DELETE FROM " + aged.table() + " WHERE id IN (" + marks + ")", ids.toArray());
                }
            } while (ids.size() == properties.pruneBatch());
        }
        return deleted;
    }

    @Override
    public void start() {
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> BackgroundPriority.thread("hooksync-timeline-pruner", r));
        long every = properties.pruneInterval().toMillis();
        scheduler.scheduleWithFixedDelay(() -> {
            try {
                int deleted = pruneOnce();
                if (deleted > 0) {
                    log.info("Event timeline: pruned {} row(s) older than {}", deleted, properties.retention());
                }
            } catch (RuntimeException e) {
                log.warn("Event timeline: pruning failed, next try in {}: {}", properties.pruneInterval(), e.toString());
            }
        }, every, every, TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }

    @Override
    public boolean isRunning() {
        return scheduler != null && !scheduler.isShutdown();
    }
}
