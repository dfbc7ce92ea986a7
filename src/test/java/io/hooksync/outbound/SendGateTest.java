package io.hooksync.outbound;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** When a claimed delivery may still be sent: not after a 410, nor to a disabled or deleted endpoint. */
class SendGateTest {

    private final SendGate gate = new SendGate();

    private static Endpoint endpoint(boolean enabled, long updatedAt) {
        return new Endpoint("ep_a", "https://example.com/a", null, List.of("*"), null, Map.of(), "whsec_x", null, null,
                enabled, false, null, enabled ? null : "disabled", Endpoint.API, null, 0, updatedAt);
    }

    @Test
    void aGoneEndpointIsStoppedAtOnceEvenWhileTheDirectoryStillShowsItEnabled() {
        assertThat(gate.stopped("ep_a", endpoint(true, 100))).isNull();
        gate.gone("ep_a", 1_000);
        assertThat(gate.stopped("ep_a", endpoint(true, 100))).isEqualTo("the endpoint answered 410 Gone");
        assertThat(gate.stopped("ep_b", endpoint(true, 100))).as("other endpoints are not affected").isNull();
        // the recorder disabled it (its row's time is the attempt's, before the answer): still stopped
        assertThat(gate.stopped("ep_a", endpoint(false, 990))).isEqualTo("the endpoint is disabled");
        assertThat(gate.stopped("ep_a", endpoint(true, 1_000))).isEqualTo("the endpoint answered 410 Gone");
    }

    @Test
    void enablingItAgainAfterThe410LiftsTheMark() {
        gate.gone("ep_a", 1_000);
        assertThat(gate.stopped("ep_a", endpoint(true, 2_000))).isNull();
        assertThat(gate.stopped("ep_a", endpoint(true, 500))).as("the mark is gone for good").isNull();
        gate.gone("ep_a", 3_000);
        assertThat(gate.stopped("ep_a", endpoint(true, 2_000))).isEqualTo("the endpoint answered 410 Gone");
    }

    @Test
    void disabledAndDeletedEndpointsAreStopped() {
        assertThat(gate.stopped("ep_a", endpoint(false, 0))).isEqualTo("the endpoint is disabled");
        assertThat(gate.stopped("ep_a", null)).isEqualTo("the endpoint was deleted");
    }
}
