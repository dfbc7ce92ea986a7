package io.hooksync.ingress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;

import io.hooksync.support.Settings;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

/**
 * {@code hooksync.ingress.*} and {@code hooksync.sources.*} as Spring binds them: the defaults and the tests' own
 * settings pass; a size, a duration or a rate out of its range fails the start naming the setting.
 */
class IngressPropertiesTest {

    @Test
    void theDefaultsAndTheEdgesBind() {
        IngressProperties defaults = bind(Map.of("hooksync.sources.github.kind", "github"));
        assertThat(defaults.ingress().maxInFlight()).isEqualTo(DataSize.ofMegabytes(64));
        assertThat(defaults.sources().get("github").maxBody()).isEqualTo(DataSize.ofMegabytes(1));
        IngressProperties edges = bind(Map.of("hooksync.ingress.read-timeout", "10m",
                "hooksync.ingress.client-rate-limit.requests", "0", "hooksync.sources.github.kind", "github",
                "hooksync.sources.github.max-body", "1KB", "hooksync.sources.github.tolerance", "7d",
                "hooksync.sources.github.rate-limit.requests", "1000000", "hooksync.sources.github.rate-limit.per", "1ms"));
        assertThat(edges.ingress().readTimeout()).isEqualTo(Duration.ofMinutes(10));
        assertThat(edges.sources().get("github").rateLimit().per()).isEqualTo(Duration.ofMillis(1));
    }

    @Test
    void aSettingOutOfRangeFailsNamingIt() {
        Settings.assertEachRefused("hooksync", IngressProperties.class, Map.of(
                "ingress.max-in-flight", "0B",
                "ingress.read-timeout", "0s",
                "ingress.client-rate-limit.requests", "-1",
                "ingress.client-rate-limit.per", "0s",
                "sources.github.max-body", "1GB",
                "sources.github.tolerance", "-5m",
                "sources.github.rate-limit.requests", "2000000",
                "sources.github.rate-limit.per", "2d"));
        assertThatThrownBy(() -> bind(Map.of("hooksync.sources.stripe.max-body", "2GB")))
                .rootCause().hasMessage("hooksync.sources.stripe.max-body must be between 1KB and 512MB (larger bodies"
                        + " get 413), not 2GB");
        assertThatThrownBy(() -> bind(Map.of("hooksync.ingress.max-in-flight", "1000B")))
                .rootCause().hasMessage("hooksync.ingress.max-in-flight must be between 64KB and 16GB (body bytes held"
                        + " by webhooks not yet answered), not 1000B");
    }

    private static IngressProperties bind(Map<String, String> values) {
        return Settings.bind("hooksync", IngressProperties.class, values);
    }
}
