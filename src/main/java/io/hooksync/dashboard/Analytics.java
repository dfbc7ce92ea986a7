package io.hooksync.dashboard;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The numbers behind the analytics page. Windowed series come from the database (they survive restarts
 * and cover every instance): events per bucket per source from the timeline, ingest-to-row latency
 * from timeline x ledger, delivery success and latency from the attempts. Rejections never reach
 * Kafka, so they come from this instance's Micrometer counters (since its start).
 */
final class Analytics {

    /** Latency samples are capped so a 7-day window of a busy engine stays a cheap query. */
    private static final int MAX_SAMPLES = 20_000;

    private final JdbcTemplate jdbc;
    private final MeterRegistry registry;

    Analytics(JdbcTemplate jdbc, MeterRegistry registry) {
        this.jdbc = jdbc;
        this.registry = registry;
    }

    /**
     * The analytics of one window: events per source per bucket (bucket start in ms -> count), ingest-to-row
     * latency, delivery success and latency per endpoint, and this instance's ingress counters since its start.
     */
    record Report(String window, long since, long until, long bucketMs, Map<String, Map<Long, Long>> eventsPerSource,
                  Latency ingestToRowMs, List<EndpointDeliveries> deliveries, IngressCounters ingress) {
    }

    /** How many samples, and their 50th and 99th percentiles (null without samples). */
    record Latency(int count, Long p50, Long p99) {
    }

    /** One endpoint's attempts in the window. */
    record EndpointDeliveries(String endpointId, int attempts, long delivered, Double successRate, Long p50Ms,
                              Long p99Ms) {
    }

    /** Accepted webhooks by source and rejected ones by reason. */
    record IngressCounters(Map<String, Double> acceptedBySource, Map<String, Double> rejectedByReason) {
    }

    Report report(Window window, long now) {
        long since = now - window.length.toMillis();
        long bucket = window.bucket.toMillis();
        return new Report(window.label, since, now, bucket, eventsPerSource(since, bucket), ingestToRow(since),
                deliveries(since), ingressCounters());
    }

    private Map<String, Map<Long, Long>> eventsPerSource(long since, long bucket) {
        Map<String, Map<Long, Long>> series = new TreeMap<>();
        jdbc.query("SELECT source, FLOOR(received_at / ?) AS b, COUNT(*) AS n FROM hooksync_timeline"
                + " WHERE received_at >= ? GROUP BY source, b", rs -> {
                    series.computeIfAbsent(rs.getString("source"), s -> new TreeMap<>())
                            .put(rs.getLong("b") * bucket, rs.getLong("n"));
                }, bucket, since);
        return series;
    }

    private Latency ingestToRow(long since) {
        List<Long> sample = new ArrayList<>();
        jdbc.query("SELECT t.received_at, l.processed_at FROM hooksync_timeline t JOIN hooksync_ledger l"
                + " ON l.event_id = t.event_id AND l.source = t.source WHERE t.received_at >= ? ORDER BY t.id DESC LIMIT "
                + MAX_SAMPLES, rs -> {
                    Timestamp processed = rs.getTimestamp("processed_at");
                    sample.add(Math.max(0, processed.getTime() - rs.getLong("received_at")));
                }, since);
        long[] values = sample.stream().mapToLong(Long::longValue).toArray();
        return new Latency(values.length, Percentiles.of(values, 50), Percentiles.of(values, 99));
    }

    private List<EndpointDeliveries> deliveries(long since) {
        Map<String, List<long[]>> byEndpoint = new TreeMap<>();
        jdbc.query("SELECT endpoint_id, outcome, latency_ms FROM hooksync_attempts WHERE attempted_at >= ?"
                + " ORDER BY id DESC LIMIT " + MAX_SAMPLES, rs -> {
                    byEndpoint.computeIfAbsent(rs.getString("endpoint_id"), e -> new ArrayList<>())
                            .add(new long[] {"delivered".equals(rs.getString("outcome")) ? 1 : 0, rs.getLong("latency_ms")});
                }, since);
        List<EndpointDeliveries> rows = new ArrayList<>();
        byEndpoint.forEach((endpoint, attempts) -> {
            long delivered = attempts.stream().filter(a -> a[0] == 1).count();
            long[] latencies = attempts.stream().mapToLong(a -> a[1]).toArray();
            rows.add(new EndpointDeliveries(endpoint, attempts.size(), delivered,
                    attempts.isEmpty() ? null : (double) delivered / attempts.size(), Percentiles.of(latencies, 50),
                    Percentiles.of(latencies.clone(), 99)));
        });
        return rows;
    }

    private IngressCounters ingressCounters() {
        Map<String, Double> accepted = new TreeMap<>();
        for (Counter c : registry.find("hooksync.ingress.accepted").counters()) {
            accepted.merge(c.getId().getTag("source"), c.count(), Double::sum);
        }
        Map<String, Double> rejected = new TreeMap<>();
        for (Counter c : registry.find("hooksync.ingress.rejected").counters()) {
            rejected.merge(c.getId().getTag("reason"), c.count(), Double::sum);
        }
        return new IngressCounters(accepted, rejected);
    }
}
