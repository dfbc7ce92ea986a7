package io.hooksync.outbound;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import io.hooksync.infra.ExpressionBounds;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

/**
 * The directory's snapshot: re-read after a change made here, also when the change commits while a
 * read is under way (that read saw the table before it, and keeping it for a second made messages
 * dispatched right after an endpoint's creation miss that endpoint).
 */
class EndpointDirectoryTest {

    private static final EndpointFilters FILTERS = new EndpointFilters(
            new ExpressionBounds(Duration.ofMillis(100), 200), new DeliveryMetrics(new SimpleMeterRegistry()));

    private static Endpoint endpoint(String id) {
        return new Endpoint(id, "https://example.com/" + id, null, List.of("*"), null, Map.of(), "whsec_x", null, null,
                true, false, null, null, Endpoint.API, null, 0, 0);
    }

    @Test
    void aChangeCommittedDuringARefreshIsReadByTheNextCall() {
        List<Endpoint> table = new ArrayList<>();
        AtomicReference<EndpointDirectory> directory = new AtomicReference<>();
        AtomicInteger reads = new AtomicInteger();
        directory.set(new EndpointDirectory(() -> {
            List<Endpoint> before = List.copyOf(table);
            if (reads.incrementAndGet() == 2) {
                // another thread creates an endpoint and invalidates while this read is in flight
                table.add(endpoint("ep_new"));
                directory.get().invalidate();
            }
            return before;
        }, 60_000, FILTERS));

        assertThat(directory.get().current(1_000)).isEmpty();
        directory.get().invalidate();
        assertThat(directory.get().current(1_001)).as("the read that raced with the creation").isEmpty();
        assertThat(directory.get().current(1_002)).as("well within maxAge, yet read again").containsKey("ep_new");
        assertThat(reads.get()).isEqualTo(3);
    }

    @Test
    void withoutChangesTheSnapshotIsKeptForMaxAge() {
        AtomicInteger reads = new AtomicInteger();
        EndpointDirectory directory = new EndpointDirectory(() -> {
            reads.incrementAndGet();
            return List.of(endpoint("ep_a"));
        }, 1_000, FILTERS);
        directory.current(0);
        directory.current(999);
        assertThat(reads.get()).isEqualTo(1);
        directory.current(1_000);
        assertThat(reads.get()).isEqualTo(2);
    }
}
