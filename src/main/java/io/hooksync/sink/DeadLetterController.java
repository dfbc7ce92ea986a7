package io.hooksync.sink;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hooksync.infra.InvalidFieldsException;
import io.hooksync.infra.ProblemResponses;
import io.hooksync.infra.RouteIdentities;
import io.hooksync.mapping.Mapping;
import io.hooksync.mapping.Mappings;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /api/dead-letters}: list dead letters and replay them (one, or all open ones of a route or
 * mapping) after the mapping was fixed. Replay republishes the original record (payload, key,
 * headers) to its original topic; routes that already applied the event skip it through their ledger.
 */
@RestController
@RequestMapping("/api/dead-letters")
class DeadLetterController {

    private static final TypeReference<Map<String, String>> HEADERS = new TypeReference<>() {
    };
    private static final String COLUMNS = "id, consumer, source, event_id, event_type, mapping, error, topic,"
            + " kafka_partition, kafka_offset, attempts, created_at, replayed_at, replay_count";

    /** At most this many known names in a 404's detail. */
    private static final int KNOWN_SHOWN = 50;

    private final JdbcTemplate jdbc;
    private final KafkaProducer<byte[], byte[]> producer;
    private final ObjectMapper json;
    private final RouteIdentities routes;
    private final Mappings mappings;

    DeadLetterController(JdbcTemplate jdbc, KafkaProducer<byte[], byte[]> deadLetterProducer, ObjectMapper json,
                         RouteIdentities routes, Mappings mappings) {
        this.jdbc = jdbc;
        this.producer = deadLetterProducer;
        this.json = json;
        this.routes = routes;
        this.mappings = mappings;
    }

    @GetMapping
    List<DeadLetterViews.DeadLetter> list(@RequestParam(defaultValue = "true") boolean open,
                                          @RequestParam(required = false) String route,
                                          @RequestParam(defaultValue = "100") @Min(1) @Max(1000) int limit) {
        List<Object> params = new ArrayList<>();
        String where = where(open, route, null, params);
        params.add(limit);
        return jdbc.query("SELECT " + COLUMNS + " FROM hooksync_dead_letters" + where + " ORDER BY id LIMIT ?",
                DeadLetterViews.DeadLetter::of, params.toArray());
    }

    @PostMapping("/{id}/replay")
    @ResponseStatus(HttpStatus.ACCEPTED)
    DeadLetterViews.Replayed replay(@PathVariable long id) {
        List<Map<String, Object>> rows = jdbc.queryForList("SELECT * FROM hooksync_dead_letters WHERE id = ?", id);
        if (rows.isEmpty()) {
            throw problem(HttpStatus.NOT_FOUND, "no dead letter with id " + id);
        }
        return replayRow(rows.get(0));
    }

    @PostMapping("/replay")
    @ResponseStatus(HttpStatus.ACCEPTED)
    DeadLetterViews.ReplayedAll replayAll(@RequestParam(required = false) @Size(max = 200) String route,
                                          @RequestParam(required = false) @Size(max = 200) String mapping) {
        if (route == null && mapping == null) {
            throw InvalidFieldsException.of("route", "name the route (or the mapping) whose dead letters to replay");
        }
        if (route != null) {
            requireKnown("route", route, "consumer", "a running route", routes.all().stream()
                    .flatMap(r -> Stream.of(r.routeId(), r.ledgerId())).collect(Collectors.toSet()));
        }
        if (mapping != null && !mappings.isInvalid(mapping)) {   // a mapping file that does not load is known
            requireKnown("mapping", mapping, "mapping", "a loaded mapping",
                    mappings.all().stream().map(Mapping::name).collect(Collectors.toSet()));
        }
        List<Object> params = new ArrayList<>();
        List<Map<String, Object>> rows = jdbc.queryForList("SELECT * FROM hooksync_dead_letters"
                + where(true, route, mapping, params) + " ORDER BY id", params.toArray());
        List<Long> replayed = new ArrayList<>();
        rows.forEach(row -> replayed.add(replayRow(row).id()));
        return new DeadLetterViews.ReplayedAll(replayed.size(), replayed);
    }

    /**
     * A name to replay by must be one the engine knows: a running route (its id or the ledger id it continues) or a
     * loaded mapping, or one a dead letter names (a route removed since, whose dead letters can still be replayed).
     * Otherwise a misspelt name would replay nothing and answer 202 as if there were nothing to replay: a 404
     * naming the known ones.
     */
    private void requireKnown(String what, String name, String column, String configuredAs, Set<String> configured) {
        if (configured.contains(name) || !jdbc.queryForList("SELECT 1 FROM hooksync_dead_letters WHERE " + column
                + " = ? LIMIT 1", Integer.class, name).isEmpty()) {
            return;
        }
        Set<String> known = new TreeSet<>(configured);
        known.addAll(jdbc.queryForList("SELECT DISTINCT " + column + " FROM hooksync_dead_letters WHERE " + column
                + " IS NOT NULL", String.class));
        String shown = known.stream().limit(KNOWN_SHOWN).collect(Collectors.joining(", "))
                + (known.size() > KNOWN_SHOWN ? ", ..." : "");
        throw problem(HttpStatus.NOT_FOUND, "no " + what + " '" + ProblemResponses.echoable(name) + "': not " + configuredAs + " and no dead letter"
                + " names it (known: " + (known.isEmpty() ? "none" : shown) + ")");
    }

    private static String where(boolean open, String route, String mapping, List<Object> params) {
        List<String> conditions = new ArrayList<>();
        if (open) {
            conditions.add("replayed_at IS NULL");
        }
        if (route != null) {
            conditions.add("consumer = ?");
            params.add(route);
        }
        if (mapping != null) {
            conditions.add("mapping = ?");
            params.add(mapping);
        }
        return conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
    }

    private DeadLetterViews.Replayed replayRow(Map<String, Object> row) {
        try {
            Map<String, String> headers = json.readValue(row.get("headers").toString(), HEADERS);
            Object key = row.get("record_key");
            ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(row.get("topic").toString(),
                    key == null ? null : key.toString().getBytes(StandardCharsets.UTF_8),
                    row.get("payload").toString().getBytes(StandardCharsets.UTF_8));
            headers.forEach((name, value) -> record.headers().add(name, value.getBytes(StandardCharsets.UTF_8)));
            RecordMetadata meta = producer.send(record).get(30, TimeUnit.SECONDS);
            jdbc.update("UPDATE hooksync_dead_letters SET replayed_at = CURRENT_TIMESTAMP, replay_count = replay_count + 1"
                    + " WHERE id = ?", row.get("id"));
            return new DeadLetterViews.Replayed(((Number) row.get("id")).longValue(), meta.topic(), meta.partition(), meta.offset());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw problem(HttpStatus.SERVICE_UNAVAILABLE, "interrupted while replaying");
        } catch (Exception e) {
            throw problem(HttpStatus.SERVICE_UNAVAILABLE, "replay of dead letter " + row.get("id") + " failed: " + e.getMessage());
        }
    }

    private static ErrorResponseException problem(HttpStatus status, String detail) {
        ErrorResponseException e = new ErrorResponseException(status);
        e.setDetail(detail);
        return e;
    }
}
