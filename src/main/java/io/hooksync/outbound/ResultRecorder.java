package io.hooksync.outbound;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.hooksync.infra.BackgroundPriority;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The recorder thread: takes the attempts' results from a queue and writes them in batches of up to 1,000,
 * one transaction each ({@link DeliveryStore#record}), retrying while the database is down (the results wait
 * in memory, the leases keep the deliveries). Between batches it lets the {@link HistoryPruner} prune.
 */
final class ResultRecorder {

    private static final Logger log = LoggerFactory.getLogger(ResultRecorder.class);

    private final DeliveryStore store;
    private final EndpointDirectory endpoints;
    private final long disableAfterMs;
    private final HistoryPruner pruner;
    private final BlockingQueue<Delivery.Result> results = new LinkedBlockingQueue<>();
    private volatile boolean running;
    private Thread thread;

    ResultRecorder(DeliveryStore store, EndpointDirectory endpoints, long disableAfterMs, HistoryPruner pruner) {
        this.store = store;
        this.endpoints = endpoints;
        this.disableAfterMs = disableAfterMs;
        this.pruner = pruner;
    }

    void add(Delivery.Result result) {
        results.add(result);
    }

    void start() {
        running = true;
        thread = BackgroundPriority.thread("hooksync-delivery-recorder", this::record);
        thread.start();
    }

    /** Stops the thread and writes what is still queued. */
    void stop() throws InterruptedException {
        running = false;
        thread.interrupt();
        thread.join(10_000);
        List<Delivery.Result> rest = new ArrayList<>();
        results.drainTo(rest);
        if (!rest.isEmpty()) {
            write(rest);
        }
    }

    private void record() {
        while (running || !results.isEmpty()) {
            pruner.pruneNowAndThen(() -> results.size() < 1_000 && running);
            try {
                Delivery.Result first = results.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                List<Delivery.Result> batch = new ArrayList<>();
                batch.add(first);
                results.drainTo(batch, 999);
                write(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Writes a batch, retrying while the database is down: the results stay in memory, the leases keep the deliveries. */
    private void write(List<Delivery.Result> batch) {
        long backoff = 200;
        while (true) {
            try {
                List<String> disabled = store.record(batch, disableAfterMs);
                if (!disabled.isEmpty()) {
                    endpoints.invalidate();
                    disabled.forEach(id -> log.warn("Endpoint {} disabled: see its endpoint.disabled event", id));
                }
                return;
            } catch (RuntimeException e) {
                log.warn("Could not record {} delivery results ({}); retrying in {} ms", batch.size(), e.getMessage(), backoff);
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
                backoff = Math.min(10_000, backoff * 2);
            }
        }
    }
}
