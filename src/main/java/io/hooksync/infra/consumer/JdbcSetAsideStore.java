package io.hooksync.infra.consumer;

import java.sql.Types;

import org.springframework.jdbc.core.JdbcTemplate;

/** Keeps set-aside records in {@code hooksync_set_aside} (read by the dashboard and {@code GET /api/set-aside}). */
final class JdbcSetAsideStore implements SetAsideStore {

    private static final String INSERT = "INSERT INTO hooksync_set_aside (consumer, topic, kafka_partition,"
            + " kafka_offset, source_position, record_key, value_excerpt, value_bytes, error, set_aside_at)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    private final JdbcTemplate jdbc;

    JdbcSetAsideStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void save(SetAsideRecord r) {
        jdbc.update(INSERT, ps -> {
            ps.setString(1, r.consumer());
            ps.setString(2, r.topic());
            ps.setObject(3, r.partition(), Types.INTEGER);
            ps.setObject(4, r.offset(), Types.BIGINT);
            ps.setString(5, r.position());
            ps.setString(6, r.key());
            ps.setString(7, r.valueExcerpt());
            ps.setInt(8, r.valueBytes());
            ps.setString(9, r.error());
            ps.setLong(10, r.at());
        });
    }
}
