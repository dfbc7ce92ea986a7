package io.hooksync.cdc;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Which instance captures a source when several run: a session lock on the source database, held by a
 * connection kept open while the capture runs ({@code pg_try_advisory_lock} on PostgreSQL,
 * {@code GET_LOCK} on MariaDB). The database frees it when that session ends, so a killed instance's
 * lease passes to a standby without any timeout of ours. Without it, a second PostgreSQL instance would
 * fail on the active slot and restart forever, and a second MariaDB replica with the same server id
 * would make the server drop the first one's connection.
 */
final class CaptureLease implements AutoCloseable {

    private final Connection connection;

    private CaptureLease(Connection connection) {
        this.connection = connection;
    }

    /** The lease, or null when another session holds it. */
    static CaptureLease tryAcquire(CdcSource source) throws SQLException {
        Connection c = source.connect();
        try {
            boolean acquired;
            if (source.kind() == CdcSource.Kind.POSTGRESQL) {
                try (PreparedStatement lock = c.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
                    lock.setLong(1, key(source.name()));
                    try (ResultSet rs = lock.executeQuery()) {
                        acquired = rs.next() && rs.getBoolean(1);
                    }
                }
            } else {
                try (PreparedStatement lock = c.prepareStatement("SELECT GET_LOCK(?, 0)")) {
                    lock.setString(1, "hooksync_cdc_" + source.name());
                    try (ResultSet rs = lock.executeQuery()) {
                        acquired = rs.next() && rs.getInt(1) == 1;
                    }
                }
            }
            if (acquired) {
                return new CaptureLease(c);
            }
            c.close();
            return null;
        } catch (SQLException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    /** True while the session that holds the lock is alive (a lost connection has released it). */
    boolean held() {
        try {
            return connection.isValid(5);
        } catch (SQLException e) {
            return false;
        }
    }

    @Override
    public void close() {
        try {
            connection.close();   // ending the session releases the lock
        } catch (SQLException e) {
            // the session is gone either way
        }
    }

    /** A stable 64-bit advisory-lock key per source name. */
    static long key(String name) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(("hooksync-cdc:" + name).getBytes(StandardCharsets.UTF_8));
            long key = 0;
            for (int i = 0; i < 8; i++) {
                key = (key << 8) | (hash[i] & 0xff);
            }
            return key;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
