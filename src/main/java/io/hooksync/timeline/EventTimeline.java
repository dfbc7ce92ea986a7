package io.hooksync.timeline;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;
import java.util.Map;

/**
 * Everything known about one event ({@code GET /api/events/{source}/{id}}): each receipt (a redelivery is a second
 * one, marked duplicate), each route's ledger outcome, dead letters, outbox rows and, for each outbound message,
 * its deliveries and attempts. Times are ISO-8601 instants.
 */
record EventTimeline(String source, String eventId, List<TimelineReceipt> receipts,
                     List<TimelineRouteOutcome> routes, List<TimelineDeadLetter> deadLetters,
                     List<TimelineOutboxRow> outbox, List<TimelineMessage> messages) {

    /**
     * One receipt: headers without secrets, the body up to the timeline's max-body as the event topic holds it
     * ({@code body} null and {@code bodyUnavailable} saying why when Kafka no longer has it).
     */
    record TimelineReceipt(long id, String type, String action, String receivedAt, String topic, int partition,
                           long offset, Map<String, String> headers, String body, int bodyBytes,
                           boolean bodyTruncated, String bodyUnavailable, boolean duplicate) {
    }

    /** What one route's sink did with the event. */
    record TimelineRouteOutcome(String route, String outcome, int rowCount, String topic, int partition, long offset,
                        String processedAt) {

        static TimelineRouteOutcome of(ResultSet rs, int n) throws SQLException {
            return new TimelineRouteOutcome(rs.getString("consumer"), rs.getString("outcome"), rs.getInt("row_count"),
                    rs.getString("topic"), rs.getInt("kafka_partition"), rs.getLong("kafka_offset"),
                    instant(rs.getTimestamp("processed_at")));
        }
    }

    /** A dead letter of the event; replayedAt is null while it is open. */
    record TimelineDeadLetter(long id, String route, String mapping, String error, int attempts, String createdAt,
                      String replayedAt, int replayCount) {

        static TimelineDeadLetter of(ResultSet rs, int n) throws SQLException {
            return new TimelineDeadLetter(rs.getLong("id"), rs.getString("consumer"), rs.getString("mapping"),
                    rs.getString("error"), rs.getInt("attempts"), instant(rs.getTimestamp("created_at")),
                    instant(rs.getTimestamp("replayed_at")), rs.getInt("replay_count"));
        }
    }

    /**
     * An outbound event the event's rows emitted, and the id of the message it became; relayed is false while it waits
     * in the relay's queue (when it was relayed is not kept: the message's deliveries say when it went out).
     */
    record TimelineOutboxRow(long id, String type, String entityKey, String createdAt, boolean relayed,
                             String messageId) {

        static TimelineOutboxRow of(ResultSet rs, int n) throws SQLException {
            long id = rs.getLong("id");
            return new TimelineOutboxRow(id, rs.getString("event_type"), rs.getString("entity_key"),
                    instant(rs.getTimestamp("created_at")), rs.getBoolean("relayed"), "msg_" + id);
        }
    }

    /** One outbound message and where it went. */
    record TimelineMessage(String id, List<TimelineDelivery> deliveries, List<TimelineAttempt> attempts) {
    }

    /** The message's delivery to one endpoint. */
    record TimelineDelivery(String endpointId, String status, int attempts, Integer lastStatusCode, String lastError) {
    }

    /** One HTTP attempt of the message. */
    record TimelineAttempt(String endpointId, String attemptedAt, String outcome, Integer statusCode, int latencyMs,
                   String error) {
    }

    static String instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant().toString();
    }

    static Integer integer(ResultSet rs, String column) throws SQLException {
        int value = rs.getInt(column);
        return rs.wasNull() ? null : value;
    }
}
