package io.hooksync.infra.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;

import io.hooksync.support.Settings;
import org.junit.jupiter.api.Test;

/** {@code hooksync.consumers.*}: the defaults bind, a setting out of its range is refused by name. */
class ConsumerPropertiesTest {

    @Test
    void everySettingIsBounded() {
        assertThat(Settings.bind("hooksync.consumers", ConsumerProperties.class, Map.of()).maxBackoff())
                .isEqualTo(Duration.ofSeconds(30));
        Settings.assertEachRefused("hooksync.consumers", ConsumerProperties.class, Map.of(
                "initial-backoff", "0s", "max-backoff", "100ms", "max-attempts", "101", "stall-after", "2d",
                "set-aside-retention", "10m"));
    }
}
