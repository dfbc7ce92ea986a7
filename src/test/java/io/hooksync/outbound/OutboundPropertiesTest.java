package io.hooksync.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import io.hooksync.support.Settings;
import org.junit.jupiter.api.Test;

/** {@code hooksync.outbound.*} as Spring binds it: the defaults pass, and a number or duration out of range is refused by name. */
class OutboundPropertiesTest {

    @Test
    void theDefaultsAndTheTestsOwnSettingsBind() {
        OutboundProperties defaults = bind(Map.of());
        assertThat(defaults.delivery().schedule()).hasSize(8);
        // adapts from 4 up to 64 (docs/benchmarks.md, twenty-second session)
        assertThat(defaults.delivery().concurrencyPerEndpoint()).isEqualTo(64);
        assertThat(defaults.delivery().minConcurrency()).isEqualTo(4);
        assertThat(defaults.breaker().slidingWindow()).isEqualTo(20);
        OutboundProperties fast = bind(Map.of("hooksync.outbound.delivery.schedule", "0s,1s,1s",
                "hooksync.outbound.delivery.timeout", "1s", "hooksync.outbound.delivery.lease-margin", "5s",
                "hooksync.outbound.breaker.open-for", "3s", "hooksync.outbound.breaker.half-open-calls", "1"));
        assertThat(fast.delivery().schedule()).containsExactly(Duration.ZERO, Duration.ofSeconds(1), Duration.ofSeconds(1));
    }

    @Test
    void anEndpointsLimitStartsAtFourUnlessTheMostAllowedIsLowerOrItIsSet() {
        assertThat(bind(Map.of("hooksync.outbound.delivery.concurrency-per-endpoint", "1")).delivery().minConcurrency())
                .isEqualTo(1);
        assertThat(bind(Map.of("hooksync.outbound.delivery.concurrency-per-endpoint", "16",
                "hooksync.outbound.delivery.min-concurrency-per-endpoint", "16")).delivery().minConcurrency()).isEqualTo(16);
        assertThatThrownBy(() -> bind(Map.of("hooksync.outbound.delivery.concurrency-per-endpoint", "8",
                "hooksync.outbound.delivery.min-concurrency-per-endpoint", "9")))
                .rootCause().hasMessage("hooksync.outbound.delivery.min-concurrency-per-endpoint must be between 1 and 8"
                        + " (where an endpoint's limit of requests in flight starts, at most concurrency-per-endpoint),"
                        + " not 9");
    }

    @Test
    void aSettingOutOfRangeFailsNamingIt() {
        Map<String, String> wrong = new HashMap<>();
        wrong.put("delivery.concurrency-per-endpoint", "0");
        wrong.put("delivery.queue-per-endpoint", "1000000");
        wrong.put("delivery.min-concurrency-per-endpoint", "0");
        wrong.put("delivery.dispatch-batch-size", "0");
        wrong.put("delivery.response-body-limit", "-1");
        wrong.put("delivery.poll-interval", "0ms");
        wrong.put("delivery.timeout", "0s");
        wrong.put("delivery.connect-timeout", "1h");
        wrong.put("delivery.lease-margin", "0s");
        wrong.put("delivery.disable-after", "1s");
        wrong.put("delivery.schedule", "0s,-5s");
        wrong.put("breaker.sliding-window", "0");
        wrong.put("breaker.minimum-calls", "0");
        wrong.put("breaker.half-open-calls", "0");
        wrong.put("breaker.open-for", "1ms");
        wrong.put("relay-interval", "0ms");
        wrong.put("relay-batch-size", "10001");
        wrong.put("retention", "0s");
        wrong.put("filter.timeout", "1m");
        wrong.put("filter.max-depth", "0");
        Settings.assertEachRefused("hooksync.outbound", OutboundProperties.class, wrong);
        assertThatThrownBy(() -> bind(Map.of("hooksync.outbound.delivery.jitter", "1.5")))
                .rootCause().hasMessageStartingWith("hooksync.outbound.delivery.jitter must be at least 0 and below 1");
        assertThatThrownBy(() -> bind(Map.of("hooksync.outbound.breaker.failure-rate-threshold", "0")))
                .rootCause().hasMessageStartingWith("hooksync.outbound.breaker.failure-rate-threshold must be above 0");
        assertThatThrownBy(() -> bind(Map.of("hooksync.outbound.delivery.concurrency-per-endpoint", "0")))
                .rootCause().hasMessage("hooksync.outbound.delivery.concurrency-per-endpoint must be between 1 and 256"
                        + " (requests in flight to one endpoint), not 0");
        assertThatThrownBy(() -> bind(Map.of("hooksync.outbound.delivery.poll-interval", "2m")))
                .rootCause().hasMessage("hooksync.outbound.delivery.poll-interval must be between 10ms and 1m (how"
                        + " often due deliveries are looked for), not 2m");
    }

    private static OutboundProperties bind(Map<String, String> properties) {
        return Settings.bind("hooksync.outbound", OutboundProperties.class, properties);
    }
}
