package io.hooksync.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import io.hooksync.support.Settings;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.BindException;

/** {@code hooksync.sink.*} as Spring binds it: the defaults, and every setting bounded, refused by name outside. */
class SinkSettingsTest {

    @Test
    void aRouteGetsAThreadPerDefaultPartition() {
        assertThat(bind(Map.of()).consumersPerRoute()).isEqualTo(3);
        assertThat(bind(Map.of("hooksync.sink.consumers-per-route", "64")).consumersPerRoute()).isEqualTo(64);
    }

    @Test
    void aThreadCountOutsideOneTo64IsRefusedByName() {
        for (String wrong : new String[] {"0", "-1", "65", "100000"}) {
            assertThatThrownBy(() -> bind(Map.of("hooksync.sink.consumers-per-route", wrong)))
                    .isInstanceOf(BindException.class)
                    .rootCause().hasMessage("hooksync.sink.consumers-per-route must be between 1 and 64 (a thread and"
                            + " a Kafka consumer per route each), not " + wrong);
        }
    }

    @Test
    void theDefaultsAreInsideTheBoundsAndTheEdgesAreAccepted() {
        SinkSettings defaults = bind(Map.of());
        assertThat(defaults.batchSize()).isEqualTo(500);
        assertThat(defaults.maxAttempts()).isEqualTo(3);
        SinkSettings edges = bind(Map.of("hooksync.sink.batch-size", "5000", "hooksync.sink.max-attempts", "1",
                "hooksync.sink.max-backoff", "100ms", "hooksync.sink.mapping-timeout", "1m",
                "hooksync.sink.mapping-max-depth", "10000"));
        assertThat(edges.batchSize()).isEqualTo(5000);
        assertThat(edges.mappingBounds().maxDepth()).isEqualTo(10_000);
    }

    @Test
    void everyOtherSettingOutsideItsBoundsIsRefusedByName() {
        String[][] wrong = {    // setting, below its range, above it
            {"batch-size", "0", "5001"}, {"max-attempts", "0", "101"}, {"max-backoff", "50ms", "2h"},
            {"mapping-timeout", "0s", "61s"}, {"mapping-max-depth", "0", "10001"}};
        for (String[] setting : wrong) {
            for (String value : new String[] {setting[1], setting[2]}) {
                assertThatThrownBy(() -> bind(Map.of("hooksync.sink." + setting[0], value)))
                        .isInstanceOf(BindException.class)
                        .rootCause().hasMessageStartingWith("hooksync.sink." + setting[0] + " must be between");
            }
        }
        assertThatThrownBy(() -> bind(Map.of("hooksync.sink.mapping-timeout", "500us")))
                .rootCause().hasMessage("hooksync.sink.mapping-timeout must be between 1ms and 1m (an evaluation holds"
                        + " its route's partition), not PT0.0005S");
        assertThatThrownBy(() -> bind(Map.of("hooksync.sink.batch-size", "100000")))
                .rootCause().hasMessage("hooksync.sink.batch-size must be between 1 and 5000 (events per poll and per"
                        + " transaction), not 100000");
    }

    private static SinkSettings bind(Map<String, String> properties) {
        return Settings.bind("hooksync.sink", SinkSettings.class, properties);
    }
}
