package io.hooksync.dashboard;

import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;

/** The time windows the analytics offer, each with a bucket size that gives at most ~100 points per chart. */
enum Window {
    M15("15m", Duration.ofMinutes(15), Duration.ofMinutes(1)),
    H1("1h", Duration.ofHours(1), Duration.ofMinutes(1)),
    H6("6h", Duration.ofHours(6), Duration.ofMinutes(5)),
    H24("24h", Duration.ofHours(24), Duration.ofMinutes(15)),
    D7("7d", Duration.ofDays(7), Duration.ofHours(2));

    final String label;
    final Duration length;
    final Duration bucket;

    Window(String label, Duration length, Duration bucket) {
        this.label = label;
        this.length = length;
        this.bucket = bucket;
    }

    static Optional<Window> parse(String label) {
        return Arrays.stream(values()).filter(w -> w.label.equals(label)).findFirst();
    }
}
