package io.hooksync.timeline;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Reads the timeline and joins it with the other features' tables by SQL (their public contract for
 * the dashboard): {@code hooksync_ledger}, {@code hooksync_dead_letters}, {@code hooksync_outbox},
 * {@code hooksync_messages}, {@code hooksync_deliveries}, {@code hooksync_attempts}. Read only.
 */
final class TimelineQueries {

    /** The status of an event, derived from what the routes did with it. */
    static final List<String> STATUSES = List.of("received", "processed", "dead_letter");

    private static final String SUMMARY = "SELECT t.id, t.source, t.event_id, t.event_type, t.action, t.received_at,"
            + " t.topic, t.kafka_partition, t.kafka_offset, t.body_bytes, "
            + "CASE WHEN " + deadLetter() + " THEN 'dead_letter' WHEN " + processed() + " THEN 'processed'"
            + " ELSE 'received' END AS status FROM hooksync_timeline t";

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;
    private final EventBodies bodies;

    TimelineQueries(JdbcTemplate jdbc, ObjectMapper json, EventBodies bodies) {
        this.jdbc = jdbc;
        this.json = json;
        this.bodies = bodies;
    }

    private static String deadLetter() {
        return "EXISTS (SELECT 1 FROM hooksync_dead_letters d WHERE d.event_id = t.event_id AND d.source = t.source"
                + " AND d.replayed_at IS NULL)";
    }

    private static String processed() {
        return "EXISTS (SELECT 1 FROM hooksync_ledger l WHERE l.event_id = t.event_id AND l.source = t.source)";
    }

    /** Newest first; {@code before} is the id of the last row of the previous page. */
    List<EventSummary> list(String source, String type, String status, Long before, Long after, int limit) {
        StringBuilder sql = new StringBuilder(SUMMARY).append(" WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        if (source != null) {
            sql.append(" AND t.source = ?");
            args.add(source);
        }
        if (type != null) {
            sql.append(" AND t.event_type = ?");
            args.add(type);
        }
        if (before != null) {
            sql.append(" AND t.id < ?");
            args.add(before);
        }
        if (after != null) {
            sql.append(" AND t.id > ?");
            args.add(after);
        }
        if (status != null) {
            sql.append(switch (status) {
                case "dead_letter" -> " AND " + deadLetter();
                case "processed" -> " AND NOT " + deadLetter() + " AND " + processed();
                default -> " AND NOT " + deadLetter() + " AND NOT " + processed();
            });
        }
        sql.append(after != null ? " ORDER BY t.id LIMIT ?" : " ORDER BY t.id DESC LIMIT ?");
        args.add(limit);
        return jdbc.query(sql.toString(), (rs, n) -> new EventSummary(rs.getLong("id"), rs.getString("source"),
                rs.getString("event_id"), rs.getString("event_type"), rs.getString("action"),
                Instant.ofEpochMilli(rs.getLong("received_at")).toString(), rs.getString("topic"),
                rs.getInt("kafka_partition"), rs.getLong("kafka_offset"), rs.getInt("body_bytes"),
                rs.getString("status")), args.toArray());
    }

    /** The newest timeline id, or 0. */
    long newestId() {
        Long id = jdbc.queryForObject("SELECT MAX(id) FROM hooksync_timeline", Long.class);
        return id == null ? 0 : id;
    }

    /** A timeline row as stored. */
    private record Receipt(long id, String type, String action, long receivedAt, String topic, int partition,
                           long offset, String headers, String body, int bodyBytes) {
    }

    /** Everything known about one event, or null when no table knows it. */
    EventTimeline timeline(String source, String eventId) {
        // rows first, bodies after: a body comes from Kafka, which may take seconds, and no connection waits for it
        List<Receipt> rows = jdbc.query("SELECT id, event_type, action, received_at, topic, kafka_partition,"
                + " kafka_offset, headers, body, body_bytes FROM hooksync_timeline WHERE event_id = ? AND source = ?"
                + " ORDER BY id", (rs, n) -> new Receipt(rs.getLong("id"), rs.getString("event_type"),
                rs.getString("action"), rs.getLong("received_at"), rs.getString("topic"), rs.getInt("kafka_partition"),
                rs.getLong("kafka_offset"), rs.getString("headers"), rs.getString("body"), rs.getInt("body_bytes")),
                eventId, source);
        List<EventTimeline.TimelineReceipt> receipts = new ArrayList<>(rows.size());
        for (Receipt r : rows) {
            EventBodies.Body body = bodies.of(r.body(), r.bodyBytes(), eventId, r.topic(), r.partition(), r.offset());
            receipts.add(new EventTimeline.TimelineReceipt(r.id(), r.type(), r.action(),
                    Instant.ofEpochMilli(r.receivedAt()).toString(), r.topic(), r.partition(), r.offset(),
                    headers(r.headers()), body.text(), r.bodyBytes(), body.truncated(), body.unavailable(),
                    !receipts.isEmpty()));
        }
        List<EventTimeline.TimelineRouteOutcome> routes = jdbc.query("SELECT consumer, outcome, row_count, topic,"
                + " kafka_partition, kafka_offset, processed_at FROM hooksync_ledger WHERE event_id = ? AND source = ?"
                + " ORDER BY processed_at", EventTimeline.TimelineRouteOutcome::of, eventId, source);
        List<EventTimeline.TimelineDeadLetter> deadLetters = jdbc.query("SELECT id, consumer, mapping, error, attempts,"
                + " created_at, replayed_at, replay_count FROM hooksync_dead_letters WHERE event_id = ? AND source = ?"
                + " ORDER BY id", EventTimeline.TimelineDeadLetter::of, eventId, source);
        List<EventTimeline.TimelineOutboxRow> outbox = jdbc.query("SELECT o.id, o.event_type, o.entity_key,"
                + " o.created_at, q.outbox_id IS NULL AS relayed FROM hooksync_outbox o LEFT JOIN hooksync_outbox_queue q"
                + " ON q.outbox_id = o.id WHERE o.source_event_id = ? AND o.source = ? ORDER BY o.id",
                EventTimeline.TimelineOutboxRow::of, eventId, source);
        if (receipts.isEmpty() && routes.isEmpty() && deadLetters.isEmpty() && outbox.isEmpty()) {
            return null;
        }
        List<EventTimeline.TimelineMessage> messages = outbox.stream().map(row -> message(row.messageId())).toList();
        return new EventTimeline(source, eventId, receipts, routes, deadLetters, outbox, messages);
    }

    private EventTimeline.TimelineMessage message(String messageId) {
        List<EventTimeline.TimelineDelivery> deliveries = jdbc.query("SELECT endpoint_id, status, attempts,"
                + " last_status_code, last_error FROM hooksync_deliveries WHERE message_id = ? ORDER BY id",
                (rs, n) -> new EventTimeline.TimelineDelivery(rs.getString("endpoint_id"), rs.getString("status"),
                        rs.getInt("attempts"), EventTimeline.integer(rs, "last_status_code"),
                        rs.getString("last_error")),
                messageId);
        List<EventTimeline.TimelineAttempt> attempts = jdbc.query("SELECT endpoint_id, attempted_at, outcome,"
                + " status_code, latency_ms, error FROM hooksync_attempts WHERE message_id = ? ORDER BY id",
                (rs, n) -> new EventTimeline.TimelineAttempt(rs.getString("endpoint_id"),
                        Instant.ofEpochMilli(rs.getLong("attempted_at")).toString(), rs.getString("outcome"),
                        EventTimeline.integer(rs, "status_code"), rs.getInt("latency_ms"), rs.getString("error")),
                messageId);
        return new EventTimeline.TimelineMessage(messageId, deliveries, attempts);
    }

    private Map<String, String> headers(String text) {
        try {
            return json.readValue(text, new TypeReference<Map<String, String>>() {
            });
        } catch (Exception e) {
            return Collections.emptyMap();
        }
    }
}
