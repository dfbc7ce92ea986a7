package io.hooksync.cdc;

import java.io.IOException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;

import io.debezium.embedded.Connect;
import io.debezium.engine.ChangeEvent;
import io.debezium.engine.DebeziumEngine;
import io.hooksync.infra.consumer.ConsumerLoops;
import io.hooksync.infra.consumer.Liveness;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs Debezium's embedded engine for one source on its own thread, in batches: convert, publish,
 * wait for Kafka's acks, then mark the records processed (so offsets never run ahead of Kafka).
 * When the engine fails (database or Kafka unreachable) it is started again after an exponential backoff
 * (1 s .. 30 s) from the last committed offset; nothing is skipped. A change that cannot be converted or
 * that Kafka refuses for itself is set aside ({@link ChangeHandler}) and acknowledged, so it cannot stop the
 * capture. The loop's liveness shows in the {@code consumers} health ({@code cdc-<source>}): its thread
 * dying turns it DOWN. With several instances only the one holding the source's {@link CaptureLease}
 * runs the engine; the others stand by and take over when its database session ends.
 *
 * <p>Why not Camel's debezium-postgres consumer: it hands the route one change at a time and, when the
 * route fails, only logs the error and returns, so Debezium commits the offset of a change that never
 * reached Kafka (a gap), and a failed engine is never restarted. The engine's batch API makes
 * "offset after ack" explicit, and batches keep thousands of changes per second.
 */
final class CaptureLoop {

    private static final Logger log = LoggerFactory.getLogger(CaptureLoop.class);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
    /** How often a standby instance asks for the lease, and a capturing one checks it still holds it. */
    private static final Duration STANDBY_POLL = Duration.ofSeconds(5);
    private static final Duration LEASE_CHECK = Duration.ofSeconds(5);

    /**
     * What the health indicator shows besides the slot: the engine's state, its last failure, and the
     * source offset of the last record handed to Kafka (heartbeats included; MariaDB: binlog file and pos).
     */
    record State(String phase, String lastError, Map<String, ?> lastOffset) {

        State(String phase, String lastError) {
            this(phase, lastError, null);
        }

        State withOffset(Map<String, ?> offset) {
            return new State(phase, lastError, offset);
        }
    }

    private final CdcSource source;
    private final Properties settings;
    private final ChangeHandler handler;
    private final ConsumerLoops loops;
    private final AtomicReference<State> state = new AtomicReference<>(new State("starting", null));
    private volatile boolean running;
    private volatile DebeziumEngine<ChangeEvent<SourceRecord, SourceRecord>> engine;
    private Thread thread;
    private volatile CaptureLease lease;   // set by the loop thread, read in handleBatch on the engine's threads
    private volatile long leaseCheckedAt;
    private volatile Liveness liveness;

    CaptureLoop(CdcSource source, Properties settings, ChangeHandler handler, ConsumerLoops loops) {
        this.source = source;
        this.settings = settings;
        this.handler = handler;
        this.loops = loops;
    }

    State state() {
        return state.get();
    }

    void start() {
        running = true;
        thread = new Thread(this::loop, "hooksync-cdc-" + source.name());
        thread.setDaemon(true);
        liveness = loops.register(handler.consumer());
        liveness.started(thread);
        thread.start();
    }

    void stop() throws InterruptedException {
        running = false;
        closeEngine();
        synchronized (this) {
            notifyAll();
        }
        if (thread != null) {
            thread.join(Duration.ofSeconds(30).toMillis());
        }
        if (liveness != null) {
            if (liveness.state() != Liveness.State.DEAD) {
                liveness.stopped();
            }
            loops.unregister(liveness);
        }
    }

    private void loop() {
        Duration backoff = Duration.ofSeconds(1);
        try {
            while (running) {
                if (!holdLease()) {
                    pauseFor(STANDBY_POLL);
                    continue;
                }
                AtomicReference<Throwable> failure = new AtomicReference<>();
                engine = newEngine(failure);
                if (!running) {
                    closeEngine();
                    return;
                }
                long started = System.nanoTime();
                engine.run();
                closeEngine();
                if (!running) {
                    return;
                }
                Throwable error = failure.get();
                String reason = error == null ? "engine stopped" : rootMessage(error);
                state.updateAndGet(current -> new State("restarting", reason, current.lastOffset()));
                if (Duration.ofNanos(System.nanoTime() - started).compareTo(Duration.ofMinutes(1)) > 0) {
                    backoff = Duration.ofSeconds(1);
                }
                liveness.backingOff(error == null ? new IllegalStateException(reason) : error, backoff);
                log.warn("CDC source {}: capture stopped ({}); starting again in {} s from the last committed offset",
                        source.name(), reason, backoff.toSeconds());
                pauseFor(backoff);
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
            }
        } catch (Throwable t) {
            liveness.died(t);
            log.error("CDC source {}: capture thread died; health is DOWN until the engine restarts", source.name(), t);
        } finally {
            releaseLease();
        }
    }

    /** A Debezium engine for the source that reports its start and leaves its failure in {@code failure}. */
    private DebeziumEngine<ChangeEvent<SourceRecord, SourceRecord>> newEngine(AtomicReference<Throwable> failure) {
        return DebeziumEngine.create(Connect.class)
                .using(settings)
                .using((success, message, error) -> failure.set(success ? null : error != null ? error
                        : new IllegalStateException(message)))
                .using(new DebeziumEngine.ConnectorCallback() {
                    @Override
                    public void taskStarted() {
                        state.updateAndGet(current -> new State("running", null, current.lastOffset()));
                        liveness.running();
                        log.info("CDC source {} streams changes", source.describe());
                    }
                })
                .notifying(this::handleBatch)
                .build();
    }

    /**
     * True when this instance holds the source's {@link CaptureLease} (taking it if free). Otherwise the
     * loop stands by: another instance captures the source, or its database cannot be asked right now.
     */
    private boolean holdLease() {
        if (lease != null && lease.held()) {
            return true;
        }
        releaseLease();
        try {
            lease = CaptureLease.tryAcquire(source);
        } catch (SQLException e) {
            state.updateAndGet(current -> new State("restarting", "cannot take the capture lease: " + e.getMessage(),
                    current.lastOffset()));
            log.warn("CDC source {}: cannot take the capture lease, trying again in {} s: {}", source.name(),
                    STANDBY_POLL.toSeconds(), e.getMessage());
            return false;
        }
        if (lease == null) {
            State previous = state.getAndUpdate(current -> new State("standby", null, current.lastOffset()));
            liveness.running();   // alive and waiting for the lease: nothing to report as a failure
            if (!"standby".equals(previous.phase())) {
                log.info("CDC source {}: another instance captures it; this one stands by", source.name());
            }
            return false;
        }
        leaseCheckedAt = System.nanoTime();
        return true;
    }

    private void releaseLease() {
        if (lease != null) {
            lease.close();
            lease = null;
        }
    }

    private void pauseFor(Duration duration) {
        synchronized (this) {
            try {
                if (running) {
                    wait(duration.toMillis());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                running = false;
            }
        }
    }

    private void handleBatch(List<ChangeEvent<SourceRecord, SourceRecord>> records,
                             DebeziumEngine.RecordCommitter<ChangeEvent<SourceRecord, SourceRecord>> committer)
            throws InterruptedException {
        if (System.nanoTime() - leaseCheckedAt > LEASE_CHECK.toNanos()) {
            if (!lease.held()) {
                // the lock's session ended (database restart, network): another instance may capture now
                throw new IllegalStateException("capture lease of CDC source " + source.name() + " lost");
            }
            leaseCheckedAt = System.nanoTime();
        }
        List<SourceRecord> values = new ArrayList<>(records.size());
        records.forEach(record -> values.add(record.value()));
        handler.handle(values);
        liveness.polled();
        for (ChangeEvent<SourceRecord, SourceRecord> record : records) {
            committer.markProcessed(record);
        }
        committer.markBatchFinished();
        if (!records.isEmpty()) {
            Map<String, ?> offset = records.get(records.size() - 1).value().sourceOffset();
            state.updateAndGet(current -> current.withOffset(offset));
        }
    }

    private void closeEngine() {
        DebeziumEngine<?> current = engine;
        if (current != null) {
            try {
                current.close();
            } catch (IOException | RuntimeException e) {
                log.debug("CDC source {}: closing the engine failed: {}", source.name(), e.toString());
            }
        }
    }

    private static String rootMessage(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
