package io.hooksync.outbound;

import java.time.Duration;
import java.util.Locale;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * {@code hooksync.delivery.attempts} (counter by endpoint and outcome), {@code hooksync.delivery.latency}
 * (timer by endpoint), {@code hooksync.delivery.deferred} (not sent because the breaker was open) and
 * {@code hooksync.delivery.released} (claimed, then not sent because the endpoint answered 410 or was disabled)
 * and {@code hooksync.delivery.filter.failures} (messages an endpoint's failing or broken filter kept from it).
 */
final class DeliveryMetrics {

    private final MeterRegistry registry;

    DeliveryMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void attempt(String endpoint, Delivery.Outcome outcome, int latencyMs) {
        Counter.builder("hooksync.delivery.attempts").description("Delivery attempts by endpoint and outcome")
                .tag("endpoint", endpoint).tag("outcome", outcome.name().toLowerCase(Locale.ROOT))
                .register(registry).increment();
        Timer.builder("hooksync.delivery.latency").description("Time to the receiver's answer")
                .tag("endpoint", endpoint).publishPercentileHistogram()
                .register(registry).record(Duration.ofMillis(latencyMs));
    }

    void deferred(String endpoint) {
        Counter.builder("hooksync.delivery.deferred").description("Deliveries rescheduled while the breaker was open")
                .tag("endpoint", endpoint).register(registry).increment();
    }

    void released(String endpoint) {
        Counter.builder("hooksync.delivery.released")
                .description("Claimed deliveries released unsent: the endpoint answered 410 Gone or was disabled")
                .tag("endpoint", endpoint).register(registry).increment();
    }

    void filterFailed(String endpoint, String reason) {
        Counter.builder("hooksync.delivery.filter.failures")
                .description("Messages not offered to an endpoint because its filter failed (error, bounds) or is broken")
                .tag("endpoint", endpoint).tag("reason", reason).register(registry).increment();
    }
}
