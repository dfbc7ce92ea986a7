package io.hooksync.cdc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.function.Supplier;

import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

/**
 * A CDC source's health: its replication slot's lag in bytes (WAL the server keeps for it,
 * {@code pg_current_wal_lsn() - confirmed_flush_lsn}) and the capture engine's state. DOWN when the lag
 * passes {@code max-lag}, when the engine is restarting after a failure, or when the database cannot be
 * asked: a slot left behind silently makes PostgreSQL keep WAL until its disk is full.
 */
final class SlotLagHealth implements HealthIndicator {

    private final CdcSource source;
    private final Supplier<CaptureLoop.State> state;

    SlotLagHealth(CdcSource source, Supplier<CaptureLoop.State> state) {
        this.source = source;
        this.state = state;
    }

    @Override
    public Health health() {
        CaptureLoop.State engine = state.get();
        Health.Builder health = engineDetails(source, engine).withDetail("slot", source.slot());
        try (Connection c = source.connect();
             PreparedStatement slot = c.prepareStatement("SELECT active, "
                     + "pg_wal_lsn_diff(pg_current_wal_lsn(), confirmed_flush_lsn)::bigint "
                     + "FROM pg_replication_slots WHERE slot_name = ?")) {
            slot.setString(1, source.slot());
            try (ResultSet rs = slot.executeQuery()) {
                if (!rs.next()) {
                    return health.withDetail("reason", "replication slot does not exist (yet)").build();
                }
                long lag = rs.getLong(2);
                health.withDetail("active", rs.getBoolean(1)).withDetail("lagBytes", lag);
                if (lag > source.maxLagBytes()) {
                    return health.down().withDetail("reason", "slot lag over max-lag: WAL is piling up on the source")
                            .build();
                }
            }
        } catch (SQLException e) {
            return health.down().withDetail("reason", "source database cannot be asked: " + e.getMessage()).build();
        }
        return "restarting".equals(engine.phase()) ? health.down().build() : health.up().build();
    }

    /** What every CDC source's health shows: its topic, the engine's phase and last failure, and max-lag. */
    static Health.Builder engineDetails(CdcSource source, CaptureLoop.State engine) {
        Health.Builder health = Health.unknown()
                .withDetail("topic", source.topic())
                .withDetail("engine", engine.phase())
                .withDetail("maxLagBytes", source.maxLagBytes());
        if (engine.lastError() != null) {
            health.withDetail("lastError", engine.lastError());
        }
        return health;
    }
}
