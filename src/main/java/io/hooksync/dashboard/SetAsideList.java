package io.hooksync.dashboard;

import java.util.List;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Reads {@code hooksync_set_aside}: the records consumer loops could not handle and set aside (written by
 * {@code io.hooksync.infra.consumer.SetAside}), newest first, and how many there are.
 */
final class SetAsideList {

    /** One set-aside record: where it was, excerpts of its key and value, the error, when. */
    record Entry(long id, String consumer, String topic, Integer partition, Long offset, String position, String key,
                 String valueExcerpt, int valueBytes, String error, long setAsideAt) {
    }

    /** The newest entries and the total (all consumers, or the one asked for). */
    record Page(long total, List<Entry> records) {
    }

    private final JdbcTemplate jdbc;

    SetAsideList(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    Page newest(String consumer, int limit) {
        String where = consumer == null ? "" : " WHERE consumer = ?";
        Object[] args = consumer == null ? new Object[0] : new Object[]{consumer};
        Long total = jdbc.queryForObject("SELECT count(*) FROM hooksync_set_aside" + where, Long.class, args);
        List<Entry> entries = jdbc.query("SELECT id, consumer, topic, kafka_partition, kafka_offset, source_position,"
                + " record_key, value_excerpt, value_bytes, error, set_aside_at FROM hooksync_set_aside" + where
                + " ORDER BY id DESC LIMIT " + limit, (rs, n) -> new Entry(rs.getLong(1), rs.getString(2),
                rs.getString(3), rs.getObject(4) == null ? null : rs.getInt(4),
                rs.getObject(5) == null ? null : rs.getLong(5), rs.getString(6), rs.getString(7), rs.getString(8),
                rs.getInt(9), rs.getString(10), rs.getLong(11)), args);
        return new Page(total == null ? 0 : total, entries);
    }
}
