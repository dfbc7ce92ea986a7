package io.hooksync.backfill;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import io.hooksync.support.Settings;
import org.junit.jupiter.api.Test;

/** {@code hooksync.backfill.*}: the defaults bind, a setting out of its range is refused by name. */
class BackfillPropertiesTest {

    @Test
    void everySettingIsBounded() {
        assertThat(Settings.bind("hooksync.backfill", BackfillProperties.class, Map.of()).batchSize()).isEqualTo(500);
        Settings.assertEachRefused("hooksync.backfill", BackfillProperties.class, Map.of(
                "batch-size", "0", "threads", "9", "lease", "2h", "poll-interval", "10ms", "sample-size", "-1"));
    }
}
