package io.hooksync.timeline;

import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hooksync.infra.sql.SqlDialect;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Writes timeline rows (no body: it stays in Kafka, see {@link EventBodies}). A record read twice (after a rebalance or a restart before the offset commit)
 * hits the unique (topic, partition, offset) key and is skipped, in each dialect's own words.
 */
final class TimelineStore {

    private static final String COLUMNS = "source, event_id, event_type, action, received_at, topic, kafka_partition,"
            + " kafka_offset, headers, body_bytes";

    private final JdbcTemplate jdbc;
    private final String insert;
    private final ObjectMapper json;

    TimelineStore(JdbcTemplate jdbc, SqlDialect dialect, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
        this.insert = dialect.insertIgnoring("hooksync_timeline", COLUMNS, 10);
    }

    void insert(List<TimelineEntry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        jdbc.batchUpdate(insert, entries, entries.size(), (ps, e) -> {
            ps.setString(1, e.source());
            ps.setString(2, e.eventId());
            ps.setString(3, e.type());
            ps.setString(4, e.action());
            ps.setLong(5, e.receivedAt());
            ps.setString(6, e.topic());
            ps.setInt(7, e.partition());
            ps.setLong(8, e.offset());
            ps.setString(9, json(e));
            ps.setInt(10, e.bodyBytes());
        });
    }

    private String json(TimelineEntry e) {
        try {
            return json.writeValueAsString(e.headers());
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException(ex);
        }
    }
}
