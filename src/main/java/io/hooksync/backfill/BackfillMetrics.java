package io.hooksync.backfill;

import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * {@code hooksync.backfill.events} (events read, per route and mode), {@code hooksync.backfill.rows} (rows per
 * route, mode and outcome: written, unchanged, deleted while replaying; inserted, changed, unchanged, deleted in a
 * preview's difference), {@code hooksync.backfill.batch.retries} (batches written again after an outage such as a
 * deadlock) and {@code hooksync.backfill.running} (replays this instance runs now). The rate is the
 * counter's rate in Prometheus; the status API also shows events per second of each replay.
 */
final class BackfillMetrics {

    private final MeterRegistry registry;
    private final AtomicInteger running = new AtomicInteger();

    BackfillMetrics(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder("hooksync.backfill.running", running, AtomicInteger::get)
                .description("Backfill replays running on this instance").register(registry);
    }

    void started() {
        running.incrementAndGet();
    }

    void ended() {
        running.decrementAndGet();
    }

    void events(String route, String mode, long n) {
        if (n > 0) {
            Counter.builder("hooksync.backfill.events").description("Events read by Backfill replays")
                    .tag("route", route).tag("mode", mode).register(registry).increment(n);
        }
    }

    void batchRetried(String route, String mode) {
        Counter.builder("hooksync.backfill.batch.retries").description("Backfill batches written again after an outage")
                .tag("route", route).tag("mode", mode).register(registry).increment();
    }

    void rows(String route, String mode, String outcome, long n) {
        if (n > 0) {
            Counter.builder("hooksync.backfill.rows").description("Rows by Backfill outcome")
                    .tag("route", route).tag("mode", mode).tag("outcome", outcome).register(registry).increment(n);
        }
    }
}
