package io.hooksync.outbound;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.search.Search;

/**
 * {@code hooksync.delivery.attempts} (counter by endpoint and outcome), {@code hooksync.delivery.latency}
 * (timer by endpoint), {@code hooksync.delivery.deferred} (not sent because the breaker was open) and
 * {@code hooksync.delivery.released} (claimed, then not sent because the endpoint answered 410 or was disabled)
 * and {@code hooksync.delivery.filter.failures} (messages an endpoint's failing or broken filter kept from it),
 * {@code hooksync.delivery.resends} (requests sent again at once on another connection: reason {@code unsent}, the
 * pooled connection was closed before the request left, or {@code dropped}, a connection that had carried an
 * exchange was closed or reset before any answer to it);
 * per endpoint with a lane, gauges {@code hooksync.delivery.concurrency.limit} (requests it may have in flight now),
 * {@code hooksync.delivery.in.flight} (requests at the receiver) and {@code hooksync.delivery.waiting} (claimed
 * deliveries waiting for a place).
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

    /** The gauges of an endpoint's lane, until {@link #laneRetired}. */
    void lane(String endpoint, Lane lane) {
        Gauge.builder("hooksync.delivery.concurrency.limit", lane, l -> l.limiter().getLimit())
                .description("Requests the endpoint may have in flight now (adapts to its answers)")
                .tag("endpoint", endpoint).register(registry);
        Gauge.builder("hooksync.delivery.in.flight", lane, l -> l.limiter().getInflight())
                .description("Requests in flight to the endpoint").tag("endpoint", endpoint).register(registry);
        Gauge.builder("hooksync.delivery.waiting", lane, l -> l.waiting().size())
                .description("Claimed deliveries waiting for a place among the endpoint's requests in flight")
                .tag("endpoint", endpoint).register(registry);
    }

    void laneRetired(String endpoint) {
        for (String name : List.of("hooksync.delivery.concurrency.limit", "hooksync.delivery.in.flight",
                "hooksync.delivery.waiting")) {
            Search.in(registry).name(name).tag("endpoint", endpoint).meters().forEach(registry::remove);
        }
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

    void resent(String endpoint, String reason) {
        Counter.builder("hooksync.delivery.resends")
                .description("Requests sent again at once on another connection: the pooled one was closed by the receiver")
                .tag("endpoint", endpoint).tag("reason", reason).register(registry).increment();
    }

    void filterFailed(String endpoint, String reason) {
        Counter.builder("hooksync.delivery.filter.failures")
                .description("Messages not offered to an endpoint because its filter failed (error, bounds) or is broken")
                .tag("endpoint", endpoint).tag("reason", reason).register(registry).increment();
    }
}
