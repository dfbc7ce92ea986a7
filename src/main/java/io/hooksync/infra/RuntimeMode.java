package io.hooksync.management;

import java.util.List;
import java.util.Locale;

import io.hooksync.infra.InvalidConfigurationException;

/**
 * {@code hooksync.mode}: {@code embedded} (default; a developer's machine) or {@code production}
 * (a shared deployment: no generated admin password). docker compose sets production.
 */
enum RuntimeMode {
    EMBEDDED, PRODUCTION;

    static RuntimeMode parse(String value) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new InvalidConfigurationException(List.of("hooksync.mode (HOOKSYNC_MODE) is '" + value
                    + "': use embedded or production"));
        }
    }
}
