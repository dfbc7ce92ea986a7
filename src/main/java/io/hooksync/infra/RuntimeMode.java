package io.hooksync.infra;

import java.util.List;
import java.util.Locale;

import org.springframework.boot.context.properties.ConfigurationPropertiesBinding;
import org.springframework.core.convert.converter.Converter;
import org.springframework.stereotype.Component;

/**
 * {@code hooksync.mode}: {@code embedded} (default; a developer's machine) or {@code production} (a shared
 * deployment: no generated admin password or encryption key, a warning for plain HTTP). docker compose and the
 * container image set production.
 */
public enum RuntimeMode {
    EMBEDDED, PRODUCTION;

    public static RuntimeMode parse(String value) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new InvalidConfigurationException(List.of("hooksync.mode (HOOKSYNC_MODE) is '" + value
                    + "': use embedded or production"));
        }
    }

    /** Binds {@code hooksync.mode} through {@link #parse}, so a wrong value is named with the two right ones. */
    @Component
    @ConfigurationPropertiesBinding
    static class FromText implements Converter<String, RuntimeMode> {
        @Override
        public RuntimeMode convert(String source) {
            return parse(source);
        }
    }
}
