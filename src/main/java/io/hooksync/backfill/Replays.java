package io.hooksync.backfill;

import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import io.hooksync.infra.InvalidFieldsException;
import io.hooksync.mapping.Mapping;
import io.hooksync.sink.ReplaySink;
import org.apache.kafka.common.KafkaException;
import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;

/**
 * Creates and cancels replays for the API: checks the route and the start, fixes the offset range (the end is the
 * topic's end now: events arriving later are the live route's business), stores the replay and wakes the engine.
 */
final class Replays {

    static final String BEGINNING = "beginning";

    private final ReplaySink sink;
    private final ReplayStore store;
    private final ReplayEngine engine;
    private final Clock clock;

    Replays(ReplaySink sink, ReplayStore store, ReplayEngine engine, Clock clock) {
        this.sink = sink;
        this.store = store;
        this.engine = engine;
        this.clock = clock;
    }

    Replay create(String routeId, String mode, String start, boolean emit) {
        ReplaySink.Route route = route(routeId);
        Instant from = parseStart(start);
        if (route.mappings().size() != 1) {
            throw problem(HttpStatus.CONFLICT, "route " + routeId + " has " + route.mappings().size()
                    + " hooksync:upsert steps; Backfill replays routes with exactly one");
        }
        Mapping mapping = sink.mapping(route.mappings().get(0)).orElseThrow(() -> problem(HttpStatus.CONFLICT,
                "mapping " + route.mappings().get(0) + " of route " + routeId + " does not exist"));
        List<String> refused = sink.refusedChange(mapping.name());
        if (!refused.isEmpty()) {
            // the edit the user made is not what would run: previewing or applying the older version misleads
            throw problem(HttpStatus.CONFLICT, "the last change to mapping " + mapping.name() + " was refused, so an "
                    + "older version is in force; fix the file first: " + String.join("; ", refused));
        }
        Map<Integer, long[]> range;
        try {
            range = sink.range(route, from);
        } catch (KafkaException e) {
            throw problem(HttpStatus.SERVICE_UNAVAILABLE, "Kafka did not answer for topic " + route.topic() + ": "
                    + e.getMessage());
        }
        long total = range.values().stream().mapToLong(r -> Math.max(0, r[1] - r[0])).sum();
        String id = HexFormat.of().formatHex(randomBytes());
        boolean preview = Replay.PREVIEW.equals(mode);
        Replay replay = new Replay(id, routeId, mode, start.trim(), !preview && emit, mapping.name(),
                preview ? ReplayEngine.SHADOW_PREFIX + id : mapping.table(), "queued", false, null, total, 0, 0, 0,
                0, 0, null, clock.millis(), null, null);
        try {
            store.create(replay, range);
        } catch (ReplayStore.AlreadyActiveException e) {
            throw problem(HttpStatus.CONFLICT, e.getMessage());
        }
        engine.wake();
        return store.get(id);
    }

    Replay cancel(String routeId, String id) {
        Replay replay = find(routeId, id);
        if (!replay.active()) {
            throw problem(HttpStatus.CONFLICT, "replay " + id + " already ended (" + replay.state() + ")");
        }
        if (!store.cancelUnclaimed(id, clock.millis())) {
            store.requestCancel(routeId, id);
        }
        return store.get(id);
    }

    Replay find(String routeId, String id) {
        route(routeId);
        return store.find(routeId, id).orElseThrow(() -> problem(HttpStatus.NOT_FOUND,
                "route " + routeId + " has no replay " + id));
    }

    ReplaySink.Route route(String routeId) {
        return sink.route(routeId).orElseThrow(() -> problem(HttpStatus.NOT_FOUND, "no route '" + routeId
                + "' consuming hooksync:events runs here"));
    }

    /** {@code beginning}, or an ISO-8601 instant in the past such as {@code 2026-11-01T00:00:00Z}. */
    Instant parseStart(String start) {
        String value = start == null ? "" : start.trim();
        if (value.equalsIgnoreCase(BEGINNING)) {
            return null;
        }
        try {
            Instant instant = Instant.parse(value);
            if (instant.isAfter(clock.instant())) {
                throw InvalidFieldsException.of("start", value + " is in the future");
            }
            return instant;
        } catch (DateTimeParseException e) {
            throw InvalidFieldsException.of("start", "must be 'beginning' or an ISO-8601 instant such as"
                    + " 2026-11-01T00:00:00Z, not '" + value + "'");
        }
    }

    static ErrorResponseException problem(HttpStatus status, String detail) {
        ErrorResponseException e = new ErrorResponseException(status);
        e.setDetail(detail);
        return e;
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[8];
        ThreadLocalRandom.current().nextBytes(bytes);
        return bytes;
    }
}
