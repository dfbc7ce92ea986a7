package io.hooksync.sink;

import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.Temporal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hooksync.infra.outbox.OutboxWriter;
import io.hooksync.mapping.CompiledMapping;
import io.hooksync.mapping.Mapping;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the upserts of a batch did to each applied event: its outcome (applied, stale, deleted, filtered) in
 * a ledger row, an outbox row per changed row when the route emits, and the counts.
 */
final class Outcomes {

    private static final Logger log = LoggerFactory.getLogger(Outcomes.class);

    private final SinkWriter.Target target;
    private final ObjectMapper json;
    private final List<Ledger.Row> ledger = new ArrayList<>();
    private final List<OutboxWriter.Row> outbox = new ArrayList<>();
    private int applied;
    private int stale;
    private int deleted;
    private int filtered;
    private int rowsWritten;

    Outcomes(SinkWriter.Target target, ObjectMapper json) {
        this.target = target;
        this.json = json;
    }

    /** One event whose {@code rows} were upserted with {@code counts[from..]} (0 = kept the stored row); the next index. */
    int add(InboundEvent event, List<CompiledMapping.Row> rows, int[] counts, int from) {
        int next = from;
        int changed = 0;
        for (CompiledMapping.Row row : rows) {
            if (counts[next++] != 0) {
                changed++;
                if (target.emit() != null) {
                    outbox.add(outboxRow(event, row));
                }
            }
        }
        rowsWritten += changed;
        ledger.add(new Ledger.Row(target.consumer(), event.source(), event.id(), outcome(event, rows, changed), changed,
                event.topic(), event.partition(), event.offset()));
        return next;
    }

    private String outcome(InboundEvent event, List<CompiledMapping.Row> rows, int changed) {
        if (rows.isEmpty()) {
            filtered++;
            return "filtered";
        }
        if (changed == 0) {
            stale++;
            log.debug("Route {}: event {}/{} is older than the stored rows; ignored", target.consumer(),
                    event.source(), event.id());
            return "stale";
        }
        if (rows.get(0).deleted()) {
            deleted++;
            return "deleted";
        }
        applied++;
        return "applied";
    }

    List<Ledger.Row> ledger() {
        return ledger;
    }

    List<OutboxWriter.Row> outbox() {
        return outbox;
    }

    BatchResult result(int duplicates, int deadLettered) {
        return new BatchResult(applied, stale, deleted, filtered, duplicates, deadLettered, rowsWritten);
    }

    /** The type of the outbound event a changed row of {@code event} emits, or null when the route emits nothing. */
    static String emittedType(SinkWriter.Target target, InboundEvent event) {
        return target.emit() == null ? null
                : target.emit().replace("{type}", event.type() == null ? "unknown" : event.type());
    }

    /**
     * A column's value as the outbound payload carries it: a timestamp in RFC 3339 with its seconds always written
     * ({@code OffsetDateTime.toString()} leaves out zero seconds: {@code 2026-12-05T00:00Z}, which strict receivers
     * refuse), a date as {@code yyyy-mm-dd}, anything else as Jackson writes it.
     */
    private static Object jsonValue(Object value) {
        if (value instanceof OffsetDateTime timestamp) {
            return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(timestamp);
        }
        return value instanceof Temporal ? value.toString() : value;
    }

    /** {@code {table, deleted, data, cause}} keyed {@code table:key...} (at most 500 characters). */
    private OutboxWriter.Row outboxRow(InboundEvent event, CompiledMapping.Row row) {
        Mapping mapping = target.mapping().definition();
        Map<String, Object> data = new LinkedHashMap<>();
        List<String> names = List.copyOf(mapping.columns().keySet());
        for (int i = 0; i < names.size(); i++) {
            data.put(names.get(i), jsonValue(row.values()[i]));
        }
        StringBuilder key = new StringBuilder(mapping.table());
        for (String k : mapping.key()) {
            key.append(':').append(data.get(k));
        }
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("table", mapping.table());
        payload.put("deleted", row.deleted());
        payload.put("data", data);
        payload.put("cause", Map.of("source", event.source(), "id", event.id(), "type", event.type()));
        try {
            String type = emittedType(target, event);
            return new OutboxWriter.Row(type, key.length() > 500 ? key.substring(0, 500) : key.toString(),
                    json.writeValueAsString(payload), event.source(), event.id());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
