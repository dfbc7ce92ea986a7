package io.hooksync.ingress;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.springframework.stereotype.Component;

/**
 * Per-source ingress metrics: {@code hooksync.ingress.accepted}, {@code hooksync.ingress.rejected}
 * (tagged by reason) and the {@code hooksync.ingress.latency} histogram (tagged by outcome).
 * Unknown source names are tagged {@code unknown} so callers cannot grow the tag space; reasons are a fixed set.
 * Meters are looked up once per tag combination and kept, not rebuilt per request.
 */
@Component
class IngressMetrics {

    private final MeterRegistry registry;
    private final Map<String, Counter> accepted = new ConcurrentHashMap<>();
    private final Map<String, Counter> unrouted = new ConcurrentHashMap<>();
    private final Map<String, Counter> rejected = new ConcurrentHashMap<>();
    private final Map<String, Timer> latency = new ConcurrentHashMap<>();

    IngressMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void accepted(String source, Duration took) {
        accepted.computeIfAbsent(source, s -> Counter.builder("hooksync.ingress.accepted")
                .description("Webhooks accepted and acknowledged by Kafka").tag("source", s).register(registry))
                .increment();
        latency(source, "accepted", took);
    }

    void unrouted(String source) {
        unrouted.computeIfAbsent(source, s -> Counter.builder("hooksync.ingress.unrouted")
                .description("Accepted events that no running route consumes (kept on Kafka)").tag("source", s)
                .register(registry)).increment();
    }

    void rejected(String source, String reason, Duration took) {
        rejected.computeIfAbsent(source + '\n' + reason, k -> Counter.builder("hooksync.ingress.rejected")
                .description("Webhooks refused, by reason").tag("source", source).tag("reason", reason)
                .register(registry)).increment();
        latency(source, "rejected", took);
    }

    private void latency(String source, String outcome, Duration took) {
        latency.computeIfAbsent(source + '\n' + outcome, k -> Timer.builder("hooksync.ingress.latency")
                .description("Time from request to answer").tag("source", source).tag("outcome", outcome)
                .publishPercentileHistogram().register(registry)).record(took);
    }
}
