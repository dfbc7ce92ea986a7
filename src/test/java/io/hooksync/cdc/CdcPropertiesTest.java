package io.hooksync.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;

import io.hooksync.support.Settings;
import org.junit.jupiter.api.Test;

/** {@code hooksync.cdc.offset-flush-interval}: 1 s by default, refused by name outside 10 ms - 1 h. */
class CdcPropertiesTest {

    @Test
    void theOffsetFlushIntervalIsBounded() {
        assertThat(Settings.bind("hooksync.cdc", CdcProperties.class, Map.of()).offsetFlushInterval())
                .isEqualTo(Duration.ofSeconds(1));
        Settings.assertEachRefused("hooksync.cdc", CdcProperties.class, Map.of("offset-flush-interval", "0s"));
        Settings.assertEachRefused("hooksync.cdc", CdcProperties.class, Map.of("offset-flush-interval", "2h"));
    }
}
