package io.hooksync.sink;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** Per-route sink counters: {@code hooksync.sink.events{route,outcome}}, skipped, retried and rewritten batches. */
final class SinkMetrics {

    private final MeterRegistry registry;

    SinkMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void record(String route, BatchResult result) {
        count(route, "applied", result.applied());
        count(route, "stale", result.stale());
        count(route, "deleted", result.deleted());
        count(route, "filtered", result.filtered());
        count(route, "duplicate", result.duplicates());
        count(route, "dead_letter", result.deadLettered());
    }

    void skipped(String route, int n) {
        count(route, "not_subscribed", n);
    }

    /** Events a route ended without settling (no upsert committed them, no hooksync:ack passed them on). */
    void unsettled(String route, int n) {
        count(route, "unsettled", n);
    }

    void retried(String route) {
        Counter.builder("hooksync.sink.batch.retries").description("Batches rolled back and retried (database outage)")
                .tag("route", route).register(registry).increment();
    }

    /**
     * A batch written without a ledger lookup that met an event the ledger had (a redelivery) or a would-be dead letter:
     * rolled back and written again after the lookup ({@link SinkWriter}). Steady growth means a route keeps reading
     * events it has applied.
     */
    void rewritten(String route) {
        Counter.builder("hooksync.sink.batch.rewrites")
                .description("Batches written without a ledger lookup, rolled back and written again after one")
                .tag("route", route).register(registry).increment();
    }

    private void count(String route, String outcome, int n) {
        if (n > 0) {
            Counter.builder("hooksync.sink.events").description("Events handled by sink routes, by outcome")
                    .tag("route", route).tag("outcome", outcome).register(registry).increment(n);
        }
    }
}
