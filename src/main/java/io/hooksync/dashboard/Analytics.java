package io.hooksync.dashboard;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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

    Map<String, Object> report(Window window, long now) {
        long since = now - window.length.toMillis();
        long bucket = window.bucket.toMillis();
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("window", window.label);
        report.put("since", since);
        report.put("until", now);
        report.put("bucketMs", bucket);
        report.put("eventsPerSource", eventsPerSource(since, bucket));
        report.put("ingestToRowMs", ingestToRow(since));
        report.put("deliveries", deliveries(since));
        report.put("ingress", ingressCounters());
        return report;
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

    private Map<String, Object> ingestToRow(long since) {
        List<Long> sample = new ArrayList<>();
        jdbc.query("SELECT t.received_at, l.processed_at FROM hooksync_timeline t JOIN hooksync_ledger l"
                + " ON l.event_id = t.event_id AND l.source = t.source WHERE t.received_at >= ? ORDER BY t.id DESC LIMIT "
                + MAX_SAMPLES, rs -> {
                    Timestamp processed = rs.getTimestamp("processed_at");
                    sample.add(Math.max(0, processed.getTime() - rs.getLong("received_at")));
                }, since);
        long[] values = sample.stream().mapToLong(Long::longValue).toArray();
        Map<String, Object> latency = new LinkedHashMap<>();
        latency.put("count", values.length);
        latency.put("p50", Percentiles.of(values, 50));
        latency.put("p99", Percentiles.of(values, 99));
        return latency;
    }

    private List<Map<String, Object>> deliveries(long since) {
        Map<String, List<long[]>> byEndpoint = new TreeMap<>();
        jdbc.query("SELECT endpoint_id, outcome, latency_ms FROM hooksync_attempts WHERE attempted_at >= ?"
                + " ORDER BY id DESC LIMIT " + MAX_SAMPLES, rs -> {
                    byEndpoint.computeIfAbsent(rs.getString("endpoint_id"), e -> new ArrayList<>())
                            .add(new long[] {"delivered".equals(rs.getString("outcome")) ? 1 : 0, rs.getLong("latency_ms")});
                }, since);
        List<Map<String, Object>> rows = new ArrayList<>();
        byEndpoint.forEach((endpoint, attempts) -> {
            long delivered = attempts.stream().filter(a -> a[0] == 1).count();
            long[] latencies = attempts.stream().mapToLong(a -> a[1]).toArray();
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("endpointId", endpoint);
            row.put("attempts", attempts.size());
            row.put("delivered", delivered);
            row.put("successRate", attempts.isEmpty() ? null : (double) delivered / attempts.size());
            row.put("p50Ms", Percentiles.of(latencies, 50));
            row.put("p99Ms", Percentiles.of(latencies.clone(), 99));
            rows.add(row);
        });
        return rows;
    }

    private Map<String, Object> ingressCounters() {
        Map<String, Double> accepted = new TreeMap<>();
        for (Counter c : registry.find("hooksync.ingress.accepted").counters()) {
            accepted.merge(c.getId().getTag("source"), c.count(), Double::sum);
        }
        Map<String, Double> rejected = new TreeMap<>();
        for (Counter c : registry.find("hooksync.ingress.rejected").counters()) {
            rejected.merge(c.getId().getTag("reason"), c.count(), Double::sum);
        }
        Map<String, Object> ingress = new LinkedHashMap<>();
        ingress.put("acceptedBySource", accepted);
        ingress.put("rejectedByReason", rejected);
        return ingress;
    }
}
