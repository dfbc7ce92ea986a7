package io.hooksync.outbound;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

/** What the API refuses at save, each problem naming its field and the limit. */
class EndpointRequestTest {

    private final AddressGuard guard = new AddressGuard(List.of(), List.of(443), false);

    private static EndpointRequest withFilter(String filter) {
        return new EndpointRequest(null, "https://93.184.215.14/hook", null, List.of("*"), filter, null, null, null, null);
    }

    private static EndpointRequest withEventTypes(List<String> eventTypes) {
        return new EndpointRequest(null, "https://93.184.215.14/hook", null, eventTypes, null, null, null, null, null);
    }

    @Test
    void aFilterLongerThanTheLimitIsRefusedNamingIt() {
        String longest = "amount > 1" + " ".repeat(EndpointRequest.MAX_FILTER_LENGTH - 10);
        assertThat(withFilter(longest).problems(guard, true)).isEmpty();
        assertThat(withFilter(longest + " ").problems(guard, true)).containsExactly(new EndpointRequest.FieldProblem(
                "filter", "at most 4096 characters (was 4097)"));
    }

    @Test
    void aFilterThatDoesNotParseIsRefused() {
        assertThat(withFilter("amount >").problems(guard, true)).singleElement()
                .satisfies(p -> assertThat(p.message()).startsWith("not a JSONata expression"));
        String nested = "(".repeat(2_000) + "1" + ")".repeat(2_000);
        assertThat(withFilter(nested).problems(guard, true)).containsExactly(new EndpointRequest.FieldProblem(
                "filter", "not a JSONata expression: nested too deeply to parse"));
    }

    @Test
    void aUrlOnAPortOutsideAllowedPortsIsRefusedNamingThePort() {
        EndpointRequest request = new EndpointRequest(null, "https://93.184.215.14:8080/hook", null, List.of("*"), null,
                null, null, null, null);
        assertThat(request.problems(guard, true)).containsExactly(new EndpointRequest.FieldProblem(
                "url", "refused: port 8080 is not allowed (hooksync.outbound.allowed-ports: [443])"));
    }

    @Test
    void anOwnMaximumOutsideItsBoundsIsRefusedNamingThem() {
        for (int ok : new int[] {0, 1, 256}) {
            assertThat(withMaxInFlight(ok).problems(guard, true)).as("%d", ok).isEmpty();
        }
        for (int bad : new int[] {-1, 257}) {
            assertThat(withMaxInFlight(bad).problems(guard, true)).as("%d", bad).containsExactly(
                    new EndpointRequest.FieldProblem("maxInFlight", "1 to 256 requests at once, or 0 for the engine's"
                            + " hooksync.outbound.delivery.concurrency-per-endpoint (was " + bad + ")"));
        }
        assertThat(EndpointRequest.ownMaximum(0)).isNull();
        assertThat(EndpointRequest.ownMaximum(null)).isNull();
        assertThat(EndpointRequest.ownMaximum(8)).isEqualTo(8);
    }

    private static EndpointRequest withMaxInFlight(int maxInFlight) {
        return new EndpointRequest(null, "https://93.184.215.14/hook", null, List.of("*"), null, null, null, null,
                maxInFlight);
    }

    @Test
    void moreEventTypesThanTheLimitAreRefusedAsOneProblem() {
        List<String> most = IntStream.range(0, EndpointRequest.MAX_EVENT_TYPES).mapToObj(i -> "t" + i + ".done")
                .toList();
        assertThat(withEventTypes(most).problems(guard, true)).isEmpty();
        List<String> tooMany = IntStream.rangeClosed(0, 10_000).mapToObj(i -> "not valid " + i).toList();
        assertThat(withEventTypes(tooMany).problems(guard, true)).as("one problem, not one per entry")
                .containsExactly(new EndpointRequest.FieldProblem("eventTypes",
                        "at most 100 event types (was 10001); use a prefix wildcard such as invoice.* for a family"));
    }
}
