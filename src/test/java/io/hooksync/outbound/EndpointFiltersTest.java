package io.hooksync.outbound;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.hooksync.infra.ExpressionBounds;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

/** A failing or runaway filter keeps messages from its own endpoint only, and one that keeps running away is set aside. */
class EndpointFiltersTest {

    private static final String ENDLESS_RECURSION = "($f := function($x){ 1 + $f($x) }; $f(1)) > 0";
    /** Recurses {@code depth} levels: within the bounds for small values, beyond them for large ones. */
    private static final String RECURSES_DEPTH = "($f := function($x){ $x <= 0 ? 0 : 1 + $f($x - 1) }; $f(depth) >= 0)";

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final EndpointFilters filters = new EndpointFilters(new ExpressionBounds(Duration.ofMillis(500), 200),
            new DeliveryMetrics(registry));

    private static Endpoint endpoint(String id, String filter) {
        return new Endpoint(id, "https://example.com/" + id, null, List.of("*"), filter, Map.of(), "whsec_x", null, null,
                true, false, null, null, Endpoint.API, null, 0, 0);
    }

    private double failures(String endpoint, String reason) {
        Counter counter = registry.find("hooksync.delivery.filter.failures").tags("endpoint", endpoint, "reason", reason)
                .counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void aFilterDecidesAndNoFilterPassesEverything() {
        Endpoint paid = endpoint("ep_paid", "status = 'paid' and amount > 10");
        assertThat(filters.passes(paid, Map.of("status", "paid", "amount", 20))).isTrue();
        assertThat(filters.passes(paid, Map.of("status", "open", "amount", 20))).isFalse();
        assertThat(filters.passes(paid, Map.of())).isFalse();
        assertThat(filters.passes(endpoint("ep_all", null), Map.of())).isTrue();
        assertThat(filters.passes(endpoint("ep_blank", " "), Map.of())).isTrue();
    }

    @Test
    void aRunawayFilterFailsItsOwnEndpointOnlyAndIsMarkedBrokenAfterThreeInARow() {
        Endpoint runaway = endpoint("ep_runaway", ENDLESS_RECURSION);
        Endpoint healthy = endpoint("ep_healthy", "n >= 0");
        for (int i = 0; i < EndpointFilters.BROKEN_AFTER + 2; i++) {
            assertThat(filters.passes(runaway, Map.of("n", i))).isFalse();
            assertThat(filters.passes(healthy, Map.of("n", i))).isTrue();
        }
        assertThat(failures("ep_runaway", "bounds")).isEqualTo(EndpointFilters.BROKEN_AFTER);
        assertThat(failures("ep_runaway", "broken")).as("no longer evaluated").isEqualTo(2);
        assertThat(failures("ep_healthy", "bounds") + failures("ep_healthy", "broken")).isZero();
    }

    @Test
    void aStackOverflowIsABoundLikeTheOthers() {
        EndpointFilters loose = new EndpointFilters(new ExpressionBounds(Duration.ofSeconds(30), 10_000_000),
                new DeliveryMetrics(registry));
        assertThat(loose.passes(endpoint("ep_deep", ENDLESS_RECURSION), Map.of())).isFalse();
        assertThat(failures("ep_deep", "bounds")).isEqualTo(1);
    }

    @Test
    void aSuccessInBetweenStartsTheCountAgainAndAChangedFilterGetsAFreshStart() {
        Endpoint sometimes = endpoint("ep_sometimes", RECURSES_DEPTH);
        Map<String, Object> deep = Map.of("depth", 10_000);
        Map<String, Object> shallow = Map.of("depth", 3);
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < EndpointFilters.BROKEN_AFTER - 1; i++) {
                assertThat(filters.passes(sometimes, deep)).isFalse();
            }
            assertThat(filters.passes(sometimes, shallow)).as("not broken: never three in a row").isTrue();
        }
        for (int i = 0; i < EndpointFilters.BROKEN_AFTER; i++) {
            filters.passes(sometimes, deep);
        }
        assertThat(filters.passes(sometimes, shallow)).as("broken now").isFalse();
        assertThat(failures("ep_sometimes", "broken")).isEqualTo(1);

        Endpoint fixed = endpoint("ep_sometimes", "depth < 100");
        assertThat(filters.passes(fixed, shallow)).isTrue();
        assertThat(filters.passes(fixed, deep)).isFalse();
        assertThat(failures("ep_sometimes", "broken")).isEqualTo(1);
    }

    @Test
    void anErroneousFilterFailsEachMessageButIsNotMarkedBroken() {
        Endpoint erroneous = endpoint("ep_error", "amount + 'a' > 1");
        for (int i = 0; i < EndpointFilters.BROKEN_AFTER + 1; i++) {
            assertThat(filters.passes(erroneous, Map.of("amount", 1))).isFalse();
        }
        assertThat(failures("ep_error", "error")).isEqualTo(EndpointFilters.BROKEN_AFTER + 1);
        assertThat(failures("ep_error", "broken")).isZero();
        assertThat(filters.passes(endpoint("ep_unparsable", "(("), Map.of())).isFalse();
        assertThat(failures("ep_unparsable", "error")).isEqualTo(1);
    }
}
