package io.hooksync.sink;

import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * Where a route starts reading when its consumer group has no committed offset (a new route, or one whose
 * offsets Kafka expired): {@code start=now} (default) is the first event accepted after the route was first
 * deployed; {@code start=beginning} is the oldest event the topic retains; {@code start=2026-11-01T00:00:00Z}
 * the first event accepted at or after that instant. Once the route committed an offset it always resumes there.
 */
sealed interface StartPosition {

    /** From the first event accepted after the route's identity was first deployed (recorded durably). */
    record Now() implements StartPosition {
    }

    /** From the oldest retained event. */
    record Beginning() implements StartPosition {
    }

    /** From the first event accepted at or after {@code at}. */
    record At(Instant at) implements StartPosition {
    }

    static StartPosition parse(String value) {
        if (value == null || value.isBlank() || value.equals("now")) {
            return new Now();
        }
        if (value.equals("beginning")) {
            return new Beginning();
        }
        try {
            return new At(Instant.parse(value));
        } catch (DateTimeParseException e) {
            String shown = value.length() > 40 ? value.substring(0, 40) + "..." : value;
            throw new IllegalArgumentException("start=" + shown + " is not 'now', 'beginning' or an instant such as "
                    + "2026-11-01T00:00:00Z");
        }
    }
}
