package io.hooksync.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import io.hooksync.support.Settings;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

/** {@code hooksync.http.max-body}: 1MB by default, refused by name outside 1KB..512MB. */
class HttpPropertiesTest {

    @Test
    void theBodyLimitIsBounded() {
        assertThat(Settings.bind("hooksync.http", HttpProperties.class, Map.of()).maxBody())
                .isEqualTo(DataSize.ofMegabytes(1));
        Settings.assertEachRefused("hooksync.http", HttpProperties.class, Map.of("max-body", "0B"));
        Settings.assertEachRefused("hooksync.http", HttpProperties.class, Map.of("max-body", "1GB"));
    }
}
