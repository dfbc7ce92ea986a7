package io.hooksync.backfill;

import java.sql.SQLException;
import java.time.Clock;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.hooksync.sink.ReplaySink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Runs replays in the background, apart from the live routes: its own threads ({@code hooksync.backfill.threads}),
 * its own Kafka reader and database transactions. Every instance looks for claimable replays (queued, or running
 * with a lapsed lease: its instance died) and claims one through its lease, so only one instance runs a given
 * replay and a killed instance's replay resumes elsewhere or after the restart. On start it drops shadow tables
 * no queued or running replay owns (left by a crash).
 */
final class ReplayEngine implements SmartLifecycle {

    static final String SHADOW_PREFIX = "hooksync_shadow_";
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

    private void claimWork() {
        try {
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

    private void sweepShadows() {
        try {
            for (String table : sink.tablesStartingWith(SHADOW_PREFIX)) {
                if (!store.activeWithTable(table)) {
                    sink.dropTable(table);
                    log.info("Backfill: dropped leftover shadow table {}", table);
                }
            }
        } catch (SQLException | RuntimeException e) {
            log.warn("Backfill: leftover shadow tables not swept now: {}", e.toString());
        }
    }

    @Override
    public void stop() {
        runner.stop();
        if (poller != null) {
            poller.shutdownNow();
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
        return r -> {
            Thread thread = new Thread(r, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
