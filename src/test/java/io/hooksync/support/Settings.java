package io.hooksync.support;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;

import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** Binds a {@code @ConfigurationProperties} record as Spring does at start, from the given settings alone. */
public final class Settings {

    private Settings() {
    }

    /** {@code type} bound at {@code prefix} from {@code values} (full property names); defaults for the rest. */
    public static <T> T bind(String prefix, Class<T> type, Map<String, String> values) {
        Map<String, String> source = new HashMap<>(values);
        source.put("hooksync.unrelated", "x");   // a source with nothing under the prefix still creates the defaults
        return new Binder(new MapConfigurationPropertySource(source)).bindOrCreate(prefix, type);
    }

    /**
     * Each of {@code wrong} (a name under {@code prefix} to a value out of its range) alone fails the binding with
     * a message that starts by naming the setting and its range.
     */
    public static void assertEachRefused(String prefix, Class<?> type, Map<String, String> wrong) {
        wrong.forEach((name, value) -> assertThatThrownBy(() -> bind(prefix, type, Map.of(prefix + "." + name, value)))
                .as(name + "=" + value)
                .isInstanceOf(BindException.class)
                .rootCause().hasMessageStartingWith(prefix + "." + name + " must be between"));
    }
}
