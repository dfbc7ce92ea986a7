package io.hooksync.management;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import io.hooksync.support.Settings;
import org.junit.jupiter.api.Test;

/** {@code hooksync.management.login-throttle.*}: the defaults bind, a value out of its range is refused by name. */
class ManagementPropertiesTest {

    @Test
    void theLoginThrottleIsBounded() {
        assertThat(Settings.bind("hooksync.management", ManagementProperties.class, Map.of()).loginThrottle()
                .maxFailures()).isEqualTo(10);
        Settings.assertEachRefused("hooksync.management", ManagementProperties.class, Map.of(
                "login-throttle.max-failures", "0", "login-throttle.window", "2d", "login-throttle.tracked", "0"));
    }
}
