package io.hooksync.infra.consumer;

import java.sql.Types;

import io.hooksync.infra.sql.SqlDialect;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Keeps set-aside records in {@code hooksync_set_aside} (read by the dashboard and {@code GET /api/set-aside}); a
 * Kafka record a consumer set aside already is not added again (unique index {@code hooksync_set_aside_once}).
 */
final class JdbcSetAsideStore implements SetAsideStore {

    private final JdbcTemplate jdbc;
    private final String insert;

    JdbcSetAsideStore(JdbcTemplate jdbc, SqlDialect dialect) {
        this.jdbc = jdbc;
        this.insert = dialect.insertIgnoring("hooksync_set_aside", "consumer, topic, kafka_partition, kafka_offset,"
                + " source_position, record_key, value_excerpt, value_bytes, error, set_aside_at", 10);
    }

    @Override
    public boolean save(SetAsideRecord r) {
        return jdbc.update(insert, ps -> {
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
        }) > 0;
    }
}
