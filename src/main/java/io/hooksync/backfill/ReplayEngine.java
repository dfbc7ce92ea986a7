package io.hooksync.backfill;

import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.hooksync.infra.BackgroundPriority;
import io.hooksync.sink.ReplaySink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Runs replays in the background, apart from the live routes: its own threads ({@code hooksync.backfill.threads}),
 * its own Kafka reader and database transactions. Every instance looks for claimable replays (queued, or running
 * with a lapsed lease: its instance died) and claims one through its lease, so only one instance runs a given
 * replay and a killed instance's replay resumes elsewhere or after the restart. While it runs a replay it renews the
 * lease at every poll as well as with every batch, so a long step (a preview's difference) does not let another
 * instance take it over. On start it drops shadow tables no queued or running replay owns (left by a crash or by a
 * preview that ended without dropping its own), never one of a preview another instance is running or may resume.
 */
final class ReplayEngine implements SmartLifecycle {

    static final String SHADOW_PREFIX = "hooksync_shadow_";
    /** A shadow table's whole name: the prefix and the 16 hex digits of its replay id ({@link Replays#create}). */
    private static final java.util.regex.Pattern SHADOW_NAME = java.util.regex.Pattern.compile(
            java.util.regex.Pattern.quote(SHADOW_PREFIX) + "[0-9a-f]{16}");
    private static final Logger log = LoggerFactory.getLogger(ReplayEngine.class);

    private final ReplayStore store;
    private final ReplaySink sink;
    private final ReplayRunner runner;
    private final BackfillProperties properties;
    private final Clock clock;
    private final String owner;
    private final Set<String> running = ConcurrentHashMap.newKeySet();
    private ScheduledExecutorService poller;
    private ExecutorService workers;

    ReplayEngine(ReplayStore store, ReplaySink sink, ReplayRunner runner, BackfillProperties properties, Clock clock,
                 String owner) {
        this.store = store;
        this.sink = sink;
        this.runner = runner;
        this.properties = properties;
        this.clock = clock;
        this.owner = owner;
    }

    @Override
    public void start() {
        sweepShadows();
        workers = Executors.newFixedThreadPool(properties.threads(), daemon("hooksync-backfill"));
        poller = Executors.newSingleThreadScheduledExecutor(daemon("hooksync-backfill-poller"));
        poller.scheduleWithFixedDelay(this::claimWork, 0, properties.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Looks for work now instead of at the next poll (a replay was just created). */
    void wake() {
        if (poller != null) {
            poller.execute(this::claimWork);
        }
    }

    /** This instance's name in {@code hooksync_replays.owner}. */
    String owner() {
        return owner;
    }

    private void claimWork() {
        try {
            long renewAt = clock.millis();
            for (String id : running) {
                store.renew(id, owner, renewAt + properties.lease().toMillis());
            }
            for (String id : store.claimable(clock.millis())) {
                if (running.size() >= properties.threads()) {
                    return;
                }
                long now = clock.millis();
                if (sink.route(store.get(id).routeId()).isEmpty()) {
                    continue;   // its route is not (yet) running here: left for an instance that has it
                }
                if (!running.contains(id) && store.claim(id, owner, now, now + properties.lease().toMillis())) {
                    running.add(id);
                    workers.execute(() -> {
                        try {
                            runner.run(id);
                        } finally {
                            running.remove(id);
                        }
                    });
                }
            }
        } catch (RuntimeException e) {
            log.warn("Backfill: looking for replays failed, trying again in {}: {}", properties.pollInterval(),
                    e.toString());
        }
    }

    /**
     * Drops the shadow tables that belong to no queued or running preview: the replay ended (succeeded, failed,
     * cancelled) or its row is gone. A queued or running preview keeps its shadow whoever runs it and whether its
     * lease is live (another instance runs it now) or lapsed (it resumes into that shadow after its last committed
     * batch). Only names Backfill gives its shadows are considered; mapping tables cannot start with
     * {@code hooksync_}. Returns the tables dropped.
     */
    List<String> sweepShadows() {
        List<String> dropped = new ArrayList<>();
        List<String> tables;
        try {
            tables = sink.tablesStartingWith(SHADOW_PREFIX);
        } catch (SQLException | RuntimeException e) {
            log.warn("Backfill: leftover shadow tables not swept now: {}", e.toString());
            return dropped;
        }
        for (String table : tables) {
            if (!SHADOW_NAME.matcher(table).matches()) {
                continue;
            }
            try {
                if (!store.activeWithTable(table)) {
                    sink.dropTable(table);
                    dropped.add(table);
                    log.info("Backfill: dropped leftover shadow table {} (no queued or running preview owns it)",
                            table);
                }
            } catch (SQLException | RuntimeException e) {
                log.warn("Backfill: leftover shadow table {} not dropped now: {}", table, e.toString());
            }
        }
        return dropped;
    }

    @Override
    public void stop() {
        runner.stop();
        if (poller != null) {
            poller.shutdownNow();
            try {
                // a lease renewal under way ends before the workers release their leases below
                poller.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (workers != null) {
            workers.shutdown();
            try {
                workers.awaitTermination(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        poller = null;
    }

    @Override
    public boolean isRunning() {
        return poller != null;
    }

    /** After the Camel routes (the replays look them up), before them when stopping. */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 10;
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> BackgroundPriority.thread(name, r);
    }
}
