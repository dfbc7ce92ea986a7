package io.hooksync.cdc;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

/**
 * A MariaDB source's health: how many bytes of binary log the server has written past the last place
 * the capture handed to Kafka ({@code SHOW BINARY LOGS} sizes from that place on), and the engine's
 * state. DOWN when the lag passes {@code max-lag}, when the file the capture stands in was already purged
 * (changes were lost to the server's binlog expiry: a new snapshot is needed), when the engine is
 * restarting, or when the database cannot be asked. UP on a standby instance (another one holds the
 * {@link CaptureLease}).
 */
final class BinlogLagHealth implements HealthIndicator {

    private final CdcSource source;
    private final Supplier<CaptureLoop.State> state;

    BinlogLagHealth(CdcSource source, Supplier<CaptureLoop.State> state) {
        this.source = source;
        this.state = state;
    }

    @Override
    public Health health() {
        CaptureLoop.State engine = state.get();
        Health.Builder health = SlotLagHealth.engineDetails(source, engine).withDetail("serverId", source.serverId());
        Map<String, ?> captured = engine.lastOffset();
        Object file = captured == null ? null : captured.get("file");
        Object pos = captured == null ? null : captured.get("pos");
        Map<String, Long> logs = new LinkedHashMap<>();
        try (Connection c = source.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SHOW BINARY LOGS")) {
            while (rs.next()) {
                logs.put(rs.getString(1), rs.getLong(2));
            }
        } catch (SQLException e) {
            return health.down().withDetail("reason", "source database cannot be asked: " + e.getMessage()).build();
        }
        if ("standby".equals(engine.phase())) {
            return health.up().withDetail("reason", "another instance captures this source").build();
        }
        if (file == null || !(pos instanceof Number position)) {
            return health.withDetail("reason", "nothing captured yet").build();
        }
        health.withDetail("capturedAt", file + ":" + position);
        Long lag = lag(logs, file.toString(), position.longValue());
        if (lag == null) {
            return health.down().withDetail("reason", "binlog " + file + " was purged before it was captured: "
                    + "changes are lost; run a new snapshot (snapshot: when_needed) and raise the server's binlog expiry")
                    .build();
        }
        health.withDetail("lagBytes", lag);
        if (lag > source.maxLagBytes()) {
            return health.down().withDetail("reason", "binlog lag over max-lag: the capture falls behind").build();
        }
        return "restarting".equals(engine.phase()) ? health.down().build() : health.up().build();
    }

    /** Bytes from {@code file:pos} to the end of the last binlog; null when {@code file} is not on the server. */
    static Long lag(Map<String, Long> logSizes, String file, long pos) {
        if (!logSizes.containsKey(file)) {
            return null;
        }
        long lag = 0;
        boolean counting = false;
        for (Map.Entry<String, Long> log : logSizes.entrySet()) {
            if (log.getKey().equals(file)) {
                counting = true;
                lag += Math.max(0, log.getValue() - pos);
            } else if (counting) {
                lag += log.getValue();
            }
        }
        return lag;
    }
}
