package io.hooksync.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** {@code hooksync.sink.*} as Spring binds it: the defaults, and a thread count per route that is bounded. */
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

    private static SinkSettings bind(Map<String, String> properties) {
        Map<String, String> source = new java.util.HashMap<>(properties);
        source.put("hooksync.unrelated", "x");
        return new Binder(new MapConfigurationPropertySource(source)).bindOrCreate("hooksync.sink", SinkSettings.class);
    }
}
