package io.hooksync.timeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;

import io.hooksync.support.Settings;
import org.junit.jupiter.api.Test;

/** {@code hooksync.timeline.*} as Spring binds it: the defaults pass, a setting out of its range is refused by name. */
class TimelinePropertiesTest {

    @Test
    void theDefaultsAndTheEdgesBind() {
        TimelineProperties defaults = bind(Map.of());
        assertThat(defaults.retention()).isEqualTo(Duration.ofDays(14));
        TimelineProperties edges = bind(Map.of("hooksync.timeline.retention", "1h", "hooksync.timeline.max-body", "0B",
                "hooksync.timeline.prune-interval", "1d", "hooksync.timeline.prune-batch", "5000"));
        assertThat(edges.maxBody().toBytes()).isZero();
    }

    @Test
    void aSettingOutOfRangeFailsNamingIt() {
        Settings.assertEachRefused("hooksync.timeline", TimelineProperties.class, Map.of(
                "retention", "10m", "prune-interval", "0s", "prune-batch", "0", "max-body", "1GB"));
        assertThatThrownBy(() -> bind(Map.of("hooksync.timeline.retention", "-1d")))
                .rootCause().hasMessage("hooksync.timeline.retention must be between 1h and 3650d (timeline rows kept"
                        + " before they are pruned), not PT-24H");
    }

    private static TimelineProperties bind(Map<String, String> values) {
        return Settings.bind("hooksync.timeline", TimelineProperties.class, values);
    }
}
