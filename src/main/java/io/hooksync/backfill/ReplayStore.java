package io.hooksync.backfill;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * {@code hooksync_replays} and {@code hooksync_replay_offsets}. A replay is claimed by one instance at a time
 * through its lease ({@code owner}, {@code lease_until}, renewed with every batch); {@code active_route} is unique,
 * so a second replay of a route while one is queued or running is refused by the database itself.
 */
final class ReplayStore {

    private static final String COLUMNS = "id, route_id, mode, start_spec, emit, mapping, target_table, state,"
            + " cancel_requested, owner, events_total, events_read, rows_written, rows_unchanged, rows_deleted,"
            + " mapping_errors, error, created_at, started_at, finished_at";
    private static final RowMapper<Replay> ROW = (rs, n) -> new Replay(rs.getString("id"), rs.getString("route_id"),
            rs.getString("mode"), rs.getString("start_spec"), rs.getBoolean("emit"), rs.getString("mapping"),
            rs.getString("target_table"), rs.getString("state"), rs.getBoolean("cancel_requested"),
            rs.getString("owner"), rs.getLong("events_total"), rs.getLong("events_read"), rs.getLong("rows_written"),
            rs.getLong("rows_unchanged"), rs.getLong("rows_deleted"), rs.getLong("mapping_errors"),
            rs.getString("error"), rs.getLong("created_at"), (Long) rs.getObject("started_at", Long.class),
            (Long) rs.getObject("finished_at", Long.class));

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;

    ReplayStore(JdbcTemplate jdbc, TransactionTemplate transactions) {
        this.jdbc = jdbc;
        this.transactions = transactions;
    }

    /** Thrown when the route already has a queued or running replay. */
    static final class AlreadyActiveException extends RuntimeException {
        AlreadyActiveException(String routeId) {
            super("route " + routeId + " already has a replay queued or running; cancel it or wait for it to end");
        }
    }

    /** Stores a new queued replay with its offset range (per partition {first, end}). */
    void create(Replay replay, Map<Integer, long[]> range) {
        try {
            transactions.executeWithoutResult(status -> {
                jdbc.update("INSERT INTO hooksync_replays (id, route_id, active_route, mode, start_spec, emit, mapping,"
                        + " target_table, state, cancel_requested, lease_until, events_total, events_read, rows_written,"
                        + " rows_unchanged, rows_deleted, mapping_errors, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?,"
                        + " 'queued', false, 0, ?, 0, 0, 0, 0, 0, ?)", replay.id(), replay.routeId(), replay.routeId(),
                        replay.mode(), replay.start(), replay.emit(), replay.mapping(), replay.targetTable(),
                        replay.eventsTotal(), replay.createdAt());
                range.forEach((partition, r) -> jdbc.update("INSERT INTO hooksync_replay_offsets (replay_id,"
                        + " kafka_partition, next_offset, end_offset) VALUES (?, ?, ?, ?)", replay.id(), partition,
                        r[0], r[1]));
            });
        } catch (DuplicateKeyException e) {
            throw new AlreadyActiveException(replay.routeId());
        }
    }

    Optional<Replay> find(String routeId, String id) {
        return jdbc.query("SELECT " + COLUMNS + " FROM hooksync_replays WHERE id = ? AND route_id = ?", ROW, id, routeId)
                .stream().findFirst();
    }

    List<Replay> list(String routeId, int limit) {
        return jdbc.query("SELECT " + COLUMNS + " FROM hooksync_replays WHERE route_id = ? ORDER BY created_at DESC"
                + " LIMIT ?", ROW, routeId, limit);
    }

    Optional<String> result(String id) {
        return jdbc.queryForList("SELECT result FROM hooksync_replays WHERE id = ?", String.class, id).stream()
                .filter(java.util.Objects::nonNull).findFirst();
    }

    /** Ids of queued or running replays whose lease ran out (a dead instance's, or never started). */
    List<String> claimable(long now) {
        return jdbc.queryForList("SELECT id FROM hooksync_replays WHERE state IN ('queued', 'running')"
                + " AND lease_until < ? ORDER BY created_at", String.class, now);
    }

    /** True when this instance now holds the replay's lease. */
    boolean claim(String id, String owner, long now, long leaseUntil) {
        return jdbc.update("UPDATE hooksync_replays SET owner = ?, lease_until = ?, state = 'running',"
                + " started_at = COALESCE(started_at, ?) WHERE id = ? AND state IN ('queued', 'running')"
                + " AND lease_until < ?", owner, leaseUntil, now, id, now) == 1;
    }

    Replay get(String id) {
        return jdbc.queryForObject("SELECT " + COLUMNS + " FROM hooksync_replays WHERE id = ?", ROW, id);
    }

    /** Per partition {next offset, end offset}. */
    Map<Integer, long[]> offsets(String id) {
        Map<Integer, long[]> offsets = new TreeMap<>();
        jdbc.query("SELECT kafka_partition, next_offset, end_offset FROM hooksync_replay_offsets WHERE replay_id = ?",
                rs -> {
                    offsets.put(rs.getInt(1), new long[] {rs.getLong(2), rs.getLong(3)});
                }, id);
        return offsets;
    }

    /** Per partition the next offset to read, as the last committed batch left it. */
    Map<Integer, Long> nextOffsets(String id) {
        Map<Integer, Long> next = new TreeMap<>();
        offsets(id).forEach((partition, range) -> next.put(partition, range[0]));
        return next;
    }

    /**
     * Records a batch on {@code c}, in the transaction of its writes: positions, counts and a renewed lease. False
     * when this instance no longer holds the lease (the caller rolls back and stops).
     */
    boolean progress(Connection c, String id, String owner, Map<Integer, Long> positions, Batch batch, long leaseUntil)
            throws SQLException {
        try (PreparedStatement update = c.prepareStatement("UPDATE hooksync_replays SET events_read = events_read + ?,"
                + " rows_written = rows_written + ?, rows_unchanged = rows_unchanged + ?, rows_deleted = rows_deleted + ?,"
                + " mapping_errors = mapping_errors + ?, error = COALESCE(error, ?), lease_until = ?"
                + " WHERE id = ? AND owner = ? AND state = 'running'")) {
            update.setLong(1, batch.events());
            update.setLong(2, batch.written());
            update.setLong(3, batch.unchanged());
            update.setLong(4, batch.deleted());
            update.setLong(5, batch.mappingErrors());
            update.setString(6, batch.firstError());
            update.setLong(7, leaseUntil);
            update.setString(8, id);
            update.setString(9, owner);
            if (update.executeUpdate() != 1) {
                return false;
            }
        }
        try (PreparedStatement offsets = c.prepareStatement("UPDATE hooksync_replay_offsets SET next_offset = ?"
                + " WHERE replay_id = ? AND kafka_partition = ?")) {
            for (Map.Entry<Integer, Long> position : positions.entrySet()) {
                offsets.setLong(1, position.getValue());
                offsets.setString(2, id);
                offsets.setInt(3, position.getKey());
                offsets.addBatch();
            }
            offsets.executeBatch();
        }
        return true;
    }

    /** What one batch did, as {@link #progress} adds it up. */
    record Batch(long events, long written, long unchanged, long deleted, long mappingErrors, String firstError) {
    }

    boolean cancelRequested(String id) {
        return Boolean.TRUE.equals(jdbc.queryForObject("SELECT cancel_requested FROM hooksync_replays WHERE id = ?",
                Boolean.class, id));
    }

    /** Asks the instance running it to stop; false when the replay already ended. */
    boolean requestCancel(String routeId, String id) {
        return jdbc.update("UPDATE hooksync_replays SET cancel_requested = true WHERE id = ? AND route_id = ?"
                + " AND state IN ('queued', 'running')", id, routeId) == 1;
    }

    /** Whether {@code owner} is the instance that holds the replay now. */
    boolean holds(String id, String owner) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM hooksync_replays WHERE id = ? AND owner = ?", Long.class, id,
                owner) > 0;
    }

    /** Extends the lease of a replay this instance runs; false when another instance holds it now. */
    boolean renew(String id, String owner, long leaseUntil) {
        return jdbc.update("UPDATE hooksync_replays SET lease_until = ? WHERE id = ? AND owner = ? AND state = 'running'",
                leaseUntil, id, owner) == 1;
    }

    /** Ends the replay (succeeded, failed or cancelled) and frees its route for the next one. */
    void finish(String id, String owner, String state, String error, String result, long now) {
        jdbc.update("UPDATE hooksync_replays SET state = ?, active_route = NULL, error = COALESCE(?, error), result = ?,"
                + " finished_at = ?, lease_until = 0 WHERE id = ? AND owner = ?", state,
                error == null ? null : error.substring(0, Math.min(error.length(), 2000)), result, now, id, owner);
    }

    /** Gives up the lease of a replay this instance stops running (shutdown), so it is claimable at once. */
    void release(String id, String owner) {
        jdbc.update("UPDATE hooksync_replays SET lease_until = 0 WHERE id = ? AND owner = ?", id, owner);
    }

    /** Cancels a replay no instance runs (its lease lapsed): nobody else would see the request. */
    boolean cancelUnclaimed(String id, long now) {
        return jdbc.update("UPDATE hooksync_replays SET state = 'cancelled', active_route = NULL, finished_at = ?,"
                + " cancel_requested = true WHERE id = ? AND state IN ('queued', 'running') AND lease_until < ?",
                now, id, now) == 1;
    }

    /**
     * Whether a shadow table belongs to a preview that is queued or running: one an instance runs now (live lease)
     * or one that resumes into it after its instance died (lapsed lease).
     */
    boolean activeWithTable(String table) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM hooksync_replays WHERE target_table = ? AND mode = 'preview'"
                + " AND state IN ('queued', 'running')", Long.class, table) > 0;
    }
}
