package io.hooksync.backfill;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import javax.sql.DataSource;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hooksync.infra.consumer.FailureKind;
import io.hooksync.infra.consumer.Failures;
import io.hooksync.mapping.Mapping;
import io.hooksync.sink.HistoryReader;
import io.hooksync.sink.InboundEvent;
import io.hooksync.sink.ReplaySink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one claimed replay to its end: reads the route's history from where the replay stands up to the end
 * offsets fixed at its creation, writes each batch and its progress in one transaction of its own (so a restart
 * resumes exactly after the last committed batch), stops when cancelled or when its lease was taken, and for a
 * preview compares the shadow table with the real one and drops the shadow. A batch that fails because of an outage
 * (a deadlock with the live route or the outbox relay, a lost connection, a restarting database) is rolled back and
 * written again, with backoff, for up to one lease; any other failure, or an outage that outlasts the lease, ends
 * the replay as failed with the database's message.
 */
final class ReplayRunner {

    private static final Logger log = LoggerFactory.getLogger(ReplayRunner.class);
    private static final long FIRST_BACKOFF_MS = 100;
    private static final long MAX_BACKOFF_MS = 5_000;

    private final ReplaySink sink;
    private final ReplayStore store;
    private final DataSource dataSource;
    private final BackfillMetrics metrics;
    private final BackfillProperties properties;
    private final ObjectMapper json;
    private final Clock clock;
    private final String owner;

    ReplayRunner(ReplaySink sink, ReplayStore store, DataSource dataSource, BackfillMetrics metrics,
                 BackfillProperties properties, ObjectMapper json, Clock clock, String owner) {
        this.sink = sink;
        this.store = store;
        this.dataSource = dataSource;
        this.metrics = metrics;
        this.properties = properties;
        this.json = json;
        this.clock = clock;
        this.owner = owner;
    }

    /** Stopped from outside (shutdown): the replay stays claimable and resumes on the next lease. */
    private volatile boolean stopping;

    void stop() {
        stopping = true;
    }

    void run(String id) {
        Replay replay = store.get(id);
        metrics.started();
        try {
            String end = execute(replay);
            if (end != null) {
                finish(replay, end, null, end.equals("succeeded") && replay.preview() ? diff(replay) : null);
            } else if (stopping) {
                store.release(id, owner);   // shutting down: another instance, or this one restarted, resumes it now
            }
        } catch (SQLException | RuntimeException e) {
            log.warn("Replay {} of route {} failed: {}", id, replay.routeId(), e.toString());
            finish(replay, "failed", e.getMessage() == null ? e.toString() : e.getMessage(), null);
        } finally {
            metrics.ended();
        }
    }

    /** The final state, or null when this instance stopped or lost the lease (another one resumes). */
    private String execute(Replay replay) throws SQLException {
        ReplaySink.Route route = sink.route(replay.routeId()).orElseThrow(() ->
                new IllegalStateException("route " + replay.routeId() + " is no longer running"));
        Mapping mapping = sink.mapping(replay.mapping()).orElseThrow(() ->
                new IllegalStateException("mapping " + replay.mapping() + " no longer exists"));
        ReplaySink.Target target = replay.preview()
                ? sink.shadowTable(route, mapping, replay.targetTable(), replay.eventsRead() == 0)
                : sink.realTable(route, mapping);
        Map<Integer, long[]> offsets = store.offsets(replay.id());
        Map<Integer, Long> from = new HashMap<>();
        Map<Integer, Long> to = new HashMap<>();
        offsets.forEach((p, o) -> {
            from.put(p, o[0]);
            to.put(p, o[1]);
        });
        log.info("Replay {} ({}) of route {} into {} from offsets {} to {}", replay.id(), replay.mode(),
                replay.routeId(), target.table(), from, to);
        try (HistoryReader reader = sink.reader(route, from, to, properties.batchSize())) {
            while (!reader.done()) {
                if (stopping) {
                    return null;
                }
                if (store.cancelRequested(replay.id())) {
                    return "cancelled";
                }
                Map<Integer, Long> before = reader.positions();
                List<InboundEvent> events = reader.next();
                if (!commitRetrying(replay, target, events, before, reader.positions())) {
                    log.warn("Replay {}: lease lost to another instance; stopping here", replay.id());
                    return null;
                }
            }
        }
        return "succeeded";
    }

    /**
     * {@link #commit}, written again after an outage until it commits or one lease has passed since the first
     * failure: the batch was rolled back, so writing the same events again is what resuming would do. An outage can
     * also strike after the database committed and before its answer came back (a connection lost during COMMIT):
     * before writing again, the replay's stored offsets say which happened. When they stand at the batch's end
     * ({@code to}), the earlier attempt committed and the batch is not written, nor counted, a second time.
     */
    private boolean commitRetrying(Replay replay, ReplaySink.Target target, List<InboundEvent> events,
                                   Map<Integer, Long> from, Map<Integer, Long> to) throws SQLException {
        long giveUpAt = 0;
        long backoff = FIRST_BACKOFF_MS;
        AtomicReference<ReplayStore.Batch> written = new AtomicReference<>();
        for (int attempt = 1; ; attempt++) {
            try {
                if (attempt > 1 && !to.equals(from) && to.equals(store.nextOffsets(replay.id()))) {
                    log.warn("Replay {}: the batch of {} events had committed before its failure (the database's"
                            + " answer was lost); not writing it again", replay.id(), events.size());
                    if (written.get() != null) {
                        record(replay, written.get());
                    }
                    return true;
                }
                return commit(replay, target, events, to, written);
            } catch (SQLException | RuntimeException e) {
                if (giveUpAt == 0) {
                    giveUpAt = clock.millis() + properties.lease().toMillis();
                }
                if (Failures.classify(e) != FailureKind.OUTAGE || stopping || clock.millis() + backoff > giveUpAt) {
                    throw e;
                }
                log.warn("Replay {}: batch of {} events not written (attempt {}), writing it again in {} ms: {}",
                        replay.id(), events.size(), attempt, backoff, e.toString());
                metrics.batchRetried(replay.routeId(), replay.mode());
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
                backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
            }
        }
    }

    /** Writes the batch and its progress in one transaction; {@code written} gets its counts before the COMMIT. */
    private boolean commit(Replay replay, ReplaySink.Target target, List<InboundEvent> events,
                           Map<Integer, Long> positions, AtomicReference<ReplayStore.Batch> written)
            throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);   // the pool restores auto-commit when the connection goes back
            try {
                ReplaySink.Written w = sink.write(c, target, events, replay.emit());
                ReplayStore.Batch batch = new ReplayStore.Batch(events.size(), w.rowsWritten(), w.rowsUnchanged(),
                        w.rowsDeleted(), w.mappingErrors(), w.firstError());
                long lease = clock.millis() + properties.lease().toMillis();
                if (!store.progress(c, replay.id(), owner, positions, batch, lease)) {
                    c.rollback();
                    return false;
                }
                written.set(batch);
                c.commit();
                record(replay, batch);
                return true;
            } catch (SQLException | RuntimeException e) {
                rollBack(c, e);
                throw e;
            }
        }
    }

    /** A connection the failure broke cannot roll back: that must not hide the failure (the pool drops it). */
    private static void rollBack(Connection c, Exception failure) {
        try {
            c.rollback();
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
    }

    private void record(Replay replay, ReplayStore.Batch batch) {
        metrics.events(replay.routeId(), replay.mode(), batch.events());
        metrics.rows(replay.routeId(), replay.mode(), "written", batch.written());
        metrics.rows(replay.routeId(), replay.mode(), "unchanged", batch.unchanged());
        metrics.rows(replay.routeId(), replay.mode(), "deleted", batch.deleted());
    }

    private String diff(Replay replay) {
        Mapping mapping = sink.mapping(replay.mapping()).orElseThrow();
        try (Connection c = dataSource.getConnection()) {
            ReplayDiff diff = new DiffQuery(sink).compute(c, mapping, replay.targetTable(), properties.sampleSize());
            metrics.rows(replay.routeId(), replay.mode(), "inserted", diff.inserted());
            metrics.rows(replay.routeId(), replay.mode(), "changed", diff.changed());
            metrics.rows(replay.routeId(), replay.mode(), "deleted", diff.deleted());
            return json.writeValueAsString(diff);
        } catch (SQLException | JsonProcessingException e) {
            throw new IllegalStateException("comparing " + replay.targetTable() + " with " + mapping.table()
                    + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * Drops a preview's shadow, then ends the replay (so a finished preview has no shadow left), but only while this
     * instance still holds the replay: when another instance took it over (this one stalled past the lease), the
     * shadow is that instance's to use and drop, and the end is its to record.
     */
    private void finish(Replay replay, String state, String error, String result) {
        if (!store.holds(replay.id(), owner)) {
            log.warn("Replay {} of route {}: another instance holds it now and ends it (here: {})", replay.id(),
                    replay.routeId(), state);
            return;
        }
        if (replay.preview()) {
            try {
                sink.dropTable(replay.targetTable());
            } catch (SQLException e) {
                log.warn("Replay {}: shadow table {} not dropped now ({}); the next start sweeps it", replay.id(),
                        replay.targetTable(), e.getMessage());
            }
        }
        store.finish(replay.id(), owner, state, error, result, clock.millis());
        Replay ended = store.get(replay.id());
        if (ended.mappingErrors() > 0) {
            // the events the mapping could not take are skipped, not written: "succeeded" alone would hide them
            log.warn("Replay {} of route {} {}, but {} of its {} events could not be mapped and were skipped (first:"
                    + " {}); fix mapping {} and replay again", replay.id(), replay.routeId(), state,
                    ended.mappingErrors(), ended.eventsRead(), ended.error(), replay.mapping());
        } else {
            log.info("Replay {} of route {} {}", replay.id(), replay.routeId(), state);
        }
    }
}
