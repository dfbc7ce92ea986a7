package io.hooksync.cdc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replication slots named like Hooksync's ({@code hooksync_*}) on the engine's own PostgreSQL that are inactive and
 * that no enabled source of this instance captures: a source disabled or removed leaves its slot behind, and the slot
 * keeps every WAL segment from its position on, until the disk is full. Warned about once at startup, with the size it
 * holds and the statement that drops it (another instance may still capture it, so nothing is dropped here).
 */
final class IdleSlots {

    private static final Logger log = LoggerFactory.getLogger(IdleSlots.class);

    /** A slot and the bytes of WAL it keeps. */
    record Slot(String name, long retainedBytes) {
    }

    private IdleSlots() {
    }

    /** The inactive {@code hooksync_*} slots of this database whose names are not in {@code captured}. */
    static List<Slot> find(Connection c, Set<String> captured) throws SQLException {
        List<Slot> idle = new ArrayList<>();
        try (PreparedStatement query = c.prepareStatement("SELECT slot_name, COALESCE(pg_wal_lsn_diff("
                + "pg_current_wal_lsn(), restart_lsn), 0)::bigint FROM pg_replication_slots WHERE NOT active"
                + " AND slot_name LIKE 'hooksync\\_%' AND database = current_database() ORDER BY slot_name");
                ResultSet rs = query.executeQuery()) {
            while (rs.next()) {
                if (!captured.contains(rs.getString(1))) {
                    idle.add(new Slot(rs.getString(1), rs.getLong(2)));
                }
            }
        }
        return idle;
    }

    /** Logs one warning per idle slot; a database that cannot say is not a reason to stop anything. */
    static void warn(DataSource dataSource, Set<String> captured) {
        try (Connection c = dataSource.getConnection()) {
            for (Slot slot : find(c, captured)) {
                log.warn("Replication slot {} on the engine's database is inactive and keeps {} MB of WAL; no CDC source"
                        + " of this instance captures it (disabled or removed). If no instance will again, drop it:"
                        + " select pg_drop_replication_slot('{}')", slot.name(), slot.retainedBytes() / (1024 * 1024),
                        slot.name());
            }
        } catch (SQLException | RuntimeException e) {
            log.debug("Could not look for idle replication slots: {}", e.toString());
        }
    }
}
