package io.hooksync.sink;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When each route identity was first deployed ({@code hooksync_route_starts}), written once and never moved, so
 * every instance and every restart agrees on what "now" meant for a new route ({@link StartPosition.Now}).
 */
final class RouteStarts {

    private static final Logger log = LoggerFactory.getLogger(RouteStarts.class);

    private final DataSource dataSource;
    private final Instant engineStarted;

    /** {@code engineStarted}: when this engine's application context began to start. */
    RouteStarts(DataSource dataSource, Instant engineStarted) {
        this.dataSource = dataSource;
        this.engineStarted = engineStarted;
    }

    /**
     * The first deployment of {@code ledgerId} as a memoizing supplier. The candidate is the engine's start when
     * the route starts with the engine (so events published while it started, e.g. a CDC snapshot, count), else
     * now (a route added by live reload). Recorded at once if the database answers, else at the first
     * {@code get()}, which throws {@link DatabaseUnavailableException} until it can.
     */
    Supplier<Instant> deployment(String ledgerId, boolean withTheEngine) {
        Instant candidate = withTheEngine ? engineStarted : Instant.now();
        AtomicReference<Instant> known = new AtomicReference<>();
        Supplier<Instant> lookup = () -> known.updateAndGet(v -> v != null ? v : firstSeen(ledgerId, candidate));
        try {
            lookup.get();
        } catch (DatabaseUnavailableException e) {
            log.warn("Route {}: its first deployment ({}) is recorded when the database answers: {}", ledgerId,
                    candidate, e.getMessage());
        }
        return lookup;
    }

    /**
     * The first deployment of {@code ledgerId}: {@code candidate} if none was recorded before (it is recorded
     * now), else the recorded one.
     */
    Instant firstSeen(String ledgerId, Instant candidate) {
        try (Connection c = dataSource.getConnection()) {
            Instant recorded = read(c, ledgerId);
            if (recorded != null) {
                return recorded;
            }
            try (PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO hooksync_route_starts (ledger_id, first_seen_at) VALUES (?, ?)")) {
                insert.setString(1, ledgerId);
                insert.setLong(2, candidate.toEpochMilli());
                insert.executeUpdate();
            } catch (SQLException e) {
                if (e.getSQLState() == null || !e.getSQLState().startsWith("23")) {   // 23xxx: another instance was first
                    throw e;
                }
            }
            return read(c, ledgerId);
        } catch (SQLException e) {
            throw new DatabaseUnavailableException("cannot read or record when route " + ledgerId + " started: "
                    + e.getMessage(), e);
        }
    }

    private static Instant read(Connection c, String ledgerId) throws SQLException {
        try (PreparedStatement select = c.prepareStatement(
                "SELECT first_seen_at FROM hooksync_route_starts WHERE ledger_id = ?")) {
            select.setString(1, ledgerId);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? Instant.ofEpochMilli(rs.getLong(1)) : null;
            }
        }
    }
}
