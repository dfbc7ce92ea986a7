package io.hooksync.sink;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The answers of {@code /api/dead-letters}; field names are the table's columns, as clients and the dashboard read them. */
final class DeadLetterViews {

    private DeadLetterViews() {
    }

    /** One dead letter, without its payload and headers (the timeline API shows those). */
    record DeadLetter(long id, String consumer, String source, @JsonProperty("event_id") String eventId,
                      @JsonProperty("event_type") String eventType, String mapping, String error, String topic,
                      @JsonProperty("kafka_partition") int kafkaPartition, @JsonProperty("kafka_offset") long kafkaOffset,
                      int attempts, @JsonProperty("created_at") Instant createdAt,
                      @JsonProperty("replayed_at") Instant replayedAt, @JsonProperty("replay_count") int replayCount) {

        static DeadLetter of(ResultSet rs, int n) throws SQLException {
            return new DeadLetter(rs.getLong("id"), rs.getString("consumer"), rs.getString("source"),
                    rs.getString("event_id"), rs.getString("event_type"), rs.getString("mapping"), rs.getString("error"),
                    rs.getString("topic"), rs.getInt("kafka_partition"), rs.getLong("kafka_offset"),
                    rs.getInt("attempts"), instant(rs.getTimestamp("created_at")), instant(rs.getTimestamp("replayed_at")),
                    rs.getInt("replay_count"));
        }

        private static Instant instant(Timestamp t) {
            return t == null ? null : t.toInstant();
        }
    }

    /** Where a replayed dead letter's record went. */
    record Replayed(long id, String topic, int partition, long offset) {
    }

    /** How many open dead letters of a route or mapping were replayed, and their ids. */
    record ReplayedAll(int replayed, List<Long> ids) {
    }
}
