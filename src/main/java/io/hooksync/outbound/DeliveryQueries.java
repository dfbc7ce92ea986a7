package io.hooksync.outbound;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.jdbc.core.JdbcTemplate;

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
    record Page(List<Map<String, Object>> data, Long next) {
    }

    Page attempts(String endpointId, String messageId, String outcome, Long since, Long before, int limit) {
        StringBuilder sql = new StringBuilder("SELECT id, endpoint_id, message_id, attempted_at, outcome, status_code,"
                + " latency_ms, response_body, error FROM hooksync_attempts WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        where(sql, args, "endpoint_id = ?", endpointId);
        where(sql, args, "message_id = ?", messageId);
        where(sql, args, "outcome = ?", outcome);
        where(sql, args, "attempted_at >= ?", since);
        where(sql, args, "id < ?", before);
        return page(sql, args, limit, (rs) -> {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("id", rs.getLong("id"));
            row.put("endpointId", rs.getString("endpoint_id"));
            row.put("messageId", rs.getString("message_id"));
            row.put("attemptedAt", java.time.Instant.ofEpochMilli(rs.getLong("attempted_at")).toString());
            row.put("outcome", rs.getString("outcome"));
            row.put("statusCode", rs.getObject("status_code"));
            row.put("latencyMs", rs.getInt("latency_ms"));
            row.put("responseBody", rs.getString("response_body"));
            row.put("error", rs.getString("error"));
            return row;
        });
    }

    Page deliveries(String endpointId, String messageId, String status, Long since, Long before, int limit) {
        StringBuilder sql = new StringBuilder("SELECT d.id, d.endpoint_id, d.message_id, m.event_type, d.status, d.attempts,"
                + " d.next_attempt_at, d.last_status_code, d.last_error, d.created_at, d.updated_at"
                + " FROM hooksync_deliveries d JOIN hooksync_messages m ON m.id = d.message_id WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        where(sql, args, "d.endpoint_id = ?", endpointId);
        where(sql, args, "d.message_id = ?", messageId);
        where(sql, args, "d.status = ?", status);
        where(sql, args, "d.created_at >= ?", since);
        where(sql, args, "d.id < ?", before);
        return page(sql.toString(), args, limit, "d.id", (rs) -> {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("id", rs.getLong("id"));
            row.put("endpointId", rs.getString("endpoint_id"));
            row.put("messageId", rs.getString("message_id"));
            row.put("eventType", rs.getString("event_type"));
            row.put("status", rs.getString("status"));
            row.put("attempts", rs.getInt("attempts"));
            row.put("nextAttemptAt", "pending".equals(rs.getString("status"))
                    ? java.time.Instant.ofEpochMilli(rs.getLong("next_attempt_at")).toString() : null);
            row.put("lastStatusCode", rs.getObject("last_status_code"));
            row.put("lastError", rs.getString("last_error"));
            row.put("createdAt", java.time.Instant.ofEpochMilli(rs.getLong("created_at")).toString());
            return row;
        });
    }

    /** Messages newest first; the cursor is the creation time in ms. */
    List<Map<String, Object>> messages(String type, Long before, int limit) {
        StringBuilder sql = new StringBuilder("SELECT id, event_type, entity_key, payload, created_at FROM hooksync_messages"
                + " WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        where(sql, args, "event_type = ?", type);
        where(sql, args, "created_at < ?", before);
        sql.append(" ORDER BY created_at DESC, id DESC LIMIT ?");
        args.add(limit);
        return jdbc.query(sql.toString(), (rs, n) -> {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("id", rs.getString("id"));
            row.put("eventType", rs.getString("event_type"));
            row.put("entityKey", rs.getString("entity_key"));
            row.put("payload", rs.getString("payload"));
            row.put("createdAt", java.time.Instant.ofEpochMilli(rs.getLong("created_at")).toString());
            row.put("createdAtMs", rs.getLong("created_at"));
            return row;
        }, args.toArray());
    }

    private interface Row {
        Map<String, Object> map(java.sql.ResultSet rs) throws java.sql.SQLException;
    }

    private Page page(StringBuilder sql, List<Object> args, int limit, Row row) {
        return page(sql.toString(), args, limit, "id", row);
    }

    private Page page(String sql, List<Object> args, int limit, String idColumn, Row row) {
        List<Object> all = new ArrayList<>(args);
        all.add(limit + 1);
        List<Map<String, Object>> rows = jdbc.query(sql + " ORDER BY " + idColumn + " DESC LIMIT ?",
                (rs, n) -> row.map(rs), all.toArray());
        Long next = null;
        if (rows.size() > limit) {
            rows = rows.subList(0, limit);
            next = (Long) rows.get(limit - 1).get("id");
        }
        return new Page(rows, next);
    }

    private static void where(StringBuilder sql, List<Object> args, String condition, Object value) {
        if (value != null) {
            sql.append(" AND ").append(condition);
            args.add(value);
        }
    }
}
