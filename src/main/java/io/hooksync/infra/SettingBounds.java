package io.hooksync.infra;

import java.time.Duration;

import org.springframework.util.unit.DataSize;

/**
 * Range checks for configuration properties, in the compact constructors of the {@code @ConfigurationProperties}
 * records: a value outside its range fails the start with the property's name, the range and the value, instead of
 * reaching a Kafka client, a thread pool or the database as it was.
 */
public final class SettingBounds {

    private SettingBounds() {
    }

    /** {@code value} within {@code [min, max]}; {@code what} says what the setting is, in the message. */
    public static void between(String property, long value, long min, long max, String what) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(property + " must be between " + min + " and " + max + " (" + what
                    + "), not " + value);
        }
    }

    /** A duration within {@code [min, max]}, shown as in the configuration (100ms, 1h). */
    public static void between(String property, Duration value, Duration min, Duration max, String what) {
        if (value == null || value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            throw new IllegalArgumentException(property + " must be between " + shown(min) + " and " + shown(max)
                    + " (" + what + "), not " + (value == null ? "empty" : shown(value)));
        }
    }

    /** A size within {@code [min, max]}, shown as in the configuration (64KB, 1MB). */
    public static void between(String property, DataSize value, DataSize min, DataSize max, String what) {
        if (value == null || value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            throw new IllegalArgumentException(property + " must be between " + shown(min) + " and " + shown(max)
                    + " (" + what + "), not " + (value == null ? "empty" : shown(value)));
        }
    }

    private static String shown(DataSize size) {
        long bytes = size.toBytes();
        String[] units = {"GB", "MB", "KB"};
        for (int i = 0; i < units.length; i++) {
            long unit = 1L << (10 * (units.length - i));
            if (bytes != 0 && bytes % unit == 0) {
                return bytes / unit + units[i];
            }
        }
        return bytes + "B";
    }

    private static String shown(Duration d) {
        if (d.isZero()) {
            return "0s";
        }
        long ms = d.toMillis();
        if (d.isNegative() || Duration.ofMillis(ms).compareTo(d) != 0) {
            return d.toString();   // below or between milliseconds, or negative: ISO-8601 (PT0.0005S)
        } else if (ms % 86_400_000 == 0) {
            return ms / 86_400_000 + "d";
        } else if (ms % 3_600_000 == 0) {
            return ms / 3_600_000 + "h";
        } else if (ms % 60_000 == 0) {
            return ms / 60_000 + "m";
        } else if (ms % 1000 == 0) {
            return ms / 1000 + "s";
        }
        return ms + "ms";
    }
}
