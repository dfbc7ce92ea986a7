package io.hooksync.outbound;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToLongFunction;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;

/**
 * Read side of the delivery tables for the API and the dashboard: newest first, keyset pagination
 * ({@code before} = the last id of the previous page), optional filters.
 */
final class DeliveryQueries {

    private final JdbcTemplate jdbc;

    DeliveryQueries(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** A page of rows and the cursor of the next page (null at the end). */
    record Page<T>(List<T> data, Long next) {
    }

    /** One HTTP attempt: its outcome, the receiver's status code, latency and (truncated) answer or error. */
    record Attempt(long id, String endpointId, String messageId, String attemptedAt, String outcome, Integer statusCode,
                   int latencyMs, String responseBody, String error) {
    }

    /** One message for one endpoint: its state, attempts so far and the next one while pending. */
    record DeliveryView(long id, String endpointId, String messageId, String eventType, String status, int attempts,
                        String nextAttemptAt, Integer lastStatusCode, String lastError, String createdAt) {
    }

    /** One outbound message. */
    record MessageView(String id, String eventType, String entityKey, String payload, String createdAt,
                       long createdAtMs) {
    }

    Page<Attempt> attempts(String endpointId, String messageId, String outcome, Long since, Long before, int limit) {
        StringBuilder sql = new StringBuilder("SELECT id, endpoint_id, message_id, attempted_at, outcome, status_code,"
                + " latency_ms, response_body, error FROM hooksync_attempts WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        where(sql, args, "endpoint_id = ?", endpointId);
        where(sql, args, "message_id = ?", messageId);
        where(sql, args, "outcome = ?", outcome);
        where(sql, args, "attempted_at >= ?", since);
        where(sql, args, "id < ?", before);
        return page(sql.toString(), args, limit, "id", (rs, n) -> new Attempt(rs.getLong("id"),
                rs.getString("endpoint_id"), rs.getString("message_id"), time(rs.getLong("attempted_at")),
                rs.getString("outcome"), integer(rs, "status_code"), rs.getInt("latency_ms"),
                rs.getString("response_body"), rs.getString("error")), Attempt::id);
    }

    Page<DeliveryView> deliveries(String endpointId, String messageId, String status, Long since, Long before,
                                  int limit) {
        StringBuilder sql = new StringBuilder("SELECT d.id, d.endpoint_id, d.message_id, m.event_type, d.status, d.attempts,"
                + " d.next_attempt_at, d.last_status_code, d.last_error, d.created_at, d.updated_at"
                + " FROM hooksync_deliveries d JOIN hooksync_messages m ON m.id = d.message_id WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        where(sql, args, "d.endpoint_id = ?", endpointId);
        where(sql, args, "d.message_id = ?", messageId);
        where(sql, args, "d.status = ?", status);
        where(sql, args, "d.created_at >= ?", since);
        where(sql, args, "d.id < ?", before);
        return page(sql.toString(), args, limit, "d.id", (rs, n) -> new DeliveryView(rs.getLong("id"),
                rs.getString("endpoint_id"), rs.getString("message_id"), rs.getString("event_type"),
                rs.getString("status"), rs.getInt("attempts"),
                "pending".equals(rs.getString("status")) ? time(rs.getLong("next_attempt_at")) : null,
                integer(rs, "last_status_code"), rs.getString("last_error"), time(rs.getLong("created_at"))),
                DeliveryView::id);
    }

    /** Whether an outbound message with this id is stored (not yet pruned). */
    boolean messageExists(String id) {
        return !jdbc.queryForList("SELECT 1 FROM hooksync_messages WHERE id = ?", Integer.class, id).isEmpty();
    }

    /** Messages newest first; the cursor is the creation time in ms. */
    List<MessageView> messages(String type, Long before, int limit) {
        StringBuilder sql = new StringBuilder("SELECT id, event_type, entity_key, payload, created_at FROM hooksync_messages"
                + " WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        where(sql, args, "event_type = ?", type);
        where(sql, args, "created_at < ?", before);
        sql.append(" ORDER BY created_at DESC, id DESC LIMIT ?");
        args.add(limit);
        return jdbc.query(sql.toString(), (rs, n) -> new MessageView(rs.getString("id"), rs.getString("event_type"),
                rs.getString("entity_key"), rs.getString("payload"), time(rs.getLong("created_at")),
                rs.getLong("created_at")), args.toArray());
    }

    private <T> Page<T> page(String sql, List<Object> args, int limit, String idColumn, RowMapper<T> row,
                             ToLongFunction<T> id) {
        List<Object> all = new ArrayList<>(args);
        all.add(limit + 1);
        List<T> rows = jdbc.query(sql + " ORDER BY " + idColumn + " DESC LIMIT ?", row, all.toArray());
        Long next = null;
        if (rows.size() > limit) {
            rows = rows.subList(0, limit);
            next = id.applyAsLong(rows.get(limit - 1));
        }
        return new Page<>(rows, next);
    }

    private static String time(long millis) {
        return Instant.ofEpochMilli(millis).toString();
    }

    private static Integer integer(ResultSet rs, String column) throws SQLException {
        int value = rs.getInt(column);
        return rs.wasNull() ? null : value;
    }

    private static void where(StringBuilder sql, List<Object> args, String condition, Object value) {
        if (value != null) {
            sql.append(" AND ").append(condition);
            args.add(value);
        }
    }
}
