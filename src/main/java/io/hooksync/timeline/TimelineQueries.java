package io.hooksync.timeline;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
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

    TimelineQueries(JdbcTemplate jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
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

    /** Everything known about one event, or null when no table knows it. */
    Map<String, Object> timeline(String source, String eventId) {
        List<Map<String, Object>> receipts = jdbc.query("SELECT id, event_type, action, received_at, topic, kafka_partition,"
                + " kafka_offset, headers, body, body_bytes FROM hooksync_timeline WHERE event_id = ? AND source = ? ORDER BY id",
                (rs, n) -> {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("id", rs.getLong("id"));
                    row.put("type", rs.getString("event_type"));
                    row.put("action", rs.getString("action"));
                    row.put("receivedAt", Instant.ofEpochMilli(rs.getLong("received_at")).toString());
                    row.put("topic", rs.getString("topic"));
                    row.put("partition", rs.getInt("kafka_partition"));
                    row.put("offset", rs.getLong("kafka_offset"));
                    row.put("headers", headers(rs.getString("headers")));
                    row.put("body", rs.getString("body"));
                    row.put("bodyBytes", rs.getInt("body_bytes"));
                    row.put("bodyTruncated", rs.getString("body").getBytes(java.nio.charset.StandardCharsets.UTF_8).length
                            < rs.getInt("body_bytes"));
                    row.put("duplicate", n > 0);
                    return row;
                }, eventId, source);
        List<Map<String, Object>> routes = jdbc.queryForList("SELECT consumer AS route, outcome, row_count AS \"rowCount\","
                + " topic, kafka_partition AS \"partition\", kafka_offset AS \"offset\", processed_at AS \"processedAt\""
                + " FROM hooksync_ledger WHERE event_id = ? AND source = ? ORDER BY processed_at", eventId, source);
        List<Map<String, Object>> deadLetters = jdbc.queryForList("SELECT id, consumer AS route, mapping, error, attempts,"
                + " created_at AS \"createdAt\", replayed_at AS \"replayedAt\", replay_count AS \"replayCount\""
                + " FROM hooksync_dead_letters WHERE event_id = ? AND source = ? ORDER BY id", eventId, source);
        List<Map<String, Object>> outbox = jdbc.queryForList("SELECT id, event_type AS \"type\", entity_key AS \"entityKey\","
                + " created_at AS \"createdAt\", relayed_at AS \"relayedAt\" FROM hooksync_outbox"
                + " WHERE source_event_id = ? AND source = ? ORDER BY id", eventId, source);
        if (receipts.isEmpty() && routes.isEmpty() && deadLetters.isEmpty() && outbox.isEmpty()) {
            return null;
        }
        List<Map<String, Object>> messages = new ArrayList<>();
        for (Map<String, Object> row : outbox) {
            String messageId = "msg_" + row.get("id");
            row.put("messageId", messageId);
            Map<String, Object> message = new LinkedHashMap<>();
            message.put("id", messageId);
            message.put("deliveries", jdbc.queryForList("SELECT endpoint_id AS \"endpointId\", status, attempts,"
                    + " last_status_code AS \"lastStatusCode\", last_error AS \"lastError\" FROM hooksync_deliveries"
                    + " WHERE message_id = ? ORDER BY id", messageId));
            message.put("attempts", jdbc.query("SELECT endpoint_id, attempted_at, outcome, status_code, latency_ms, error"
                    + " FROM hooksync_attempts WHERE message_id = ? ORDER BY id", (rs, n) -> {
                        Map<String, Object> a = new LinkedHashMap<>();
                        a.put("endpointId", rs.getString("endpoint_id"));
                        a.put("attemptedAt", Instant.ofEpochMilli(rs.getLong("attempted_at")).toString());
                        a.put("outcome", rs.getString("outcome"));
                        a.put("statusCode", rs.getObject("status_code"));
                        a.put("latencyMs", rs.getInt("latency_ms"));
                        a.put("error", rs.getString("error"));
                        return a;
                    }, messageId));
            messages.add(message);
        }
        Map<String, Object> timeline = new LinkedHashMap<>();
        timeline.put("source", source);
        timeline.put("eventId", eventId);
        timeline.put("receipts", receipts);
        timeline.put("routes", routes);
        timeline.put("deadLetters", deadLetters);
        timeline.put("outbox", outbox);
        timeline.put("messages", messages);
        return timeline;
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
