package io.hooksync.ingress;

import java.time.Duration;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.springframework.stereotype.Component;

/**
 * Per-source ingress metrics: {@code hooksync.ingress.accepted}, {@code hooksync.ingress.rejected}
 * (tagged by reason) and the {@code hooksync.ingress.latency} histogram (tagged by outcome).
 * Unknown source names are tagged {@code unknown} so callers cannot grow the tag space.
 */
@Component
class IngressMetrics {

    private final MeterRegistry registry;

    IngressMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void accepted(String source, Duration latency) {
        Counter.builder("hooksync.ingress.accepted").description("Webhooks accepted and acknowledged by Kafka")
                .tag("source", source).register(registry).increment();
        latency(source, "accepted", latency);
    }

    void unrouted(String source) {
        Counter.builder("hooksync.ingress.unrouted").description("Accepted events that no running route consumes (kept on Kafka)")
                .tag("source", source).register(registry).increment();
    }

    void rejected(String source, String reason, Duration latency) {
        Counter.builder("hooksync.ingress.rejected").description("Webhooks refused, by reason")
                .tag("source", source).tag("reason", reason).register(registry).increment();
        latency(source, "rejected", latency);
    }

    private void latency(String source, String outcome, Duration latency) {
        Timer.builder("hooksync.ingress.latency").description("Time from request to answer")
                .tag("source", source).tag("outcome", outcome)
                .publishPercentileHistogram()
                .register(registry).record(latency);
    }
}
