package io.hooksync.dashboard;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.hooksync.infra.RouteIdentities;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.api.management.ManagedCamelContext;
import org.apache.camel.api.management.mbean.ManagedRouteMBean;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Each Camel route with its state and counters (Camel's managed route), the events its ledger recorded
 * in the last hour, and its last error: the newest dead letter, or Camel's own last route error. An events
 * route also shows its identity (consumer group; the ledger id it writes, which differs after a rename with
 * {@code continues}) and how many events it is behind (consumer lag).
 */
final class RoutesOverview {

    private final CamelContext camel;
    private final JdbcTemplate jdbc;
    private final RouteIdentities identities;
    private final ConsumerLag lag;

    RoutesOverview(CamelContext camel, JdbcTemplate jdbc, RouteIdentities identities, ConsumerLag lag) {
        this.camel = camel;
        this.jdbc = jdbc;
        this.identities = identities;
        this.lag = lag;
    }

    List<Map<String, Object>> routes(long now) {
        ManagedCamelContext managed = camel.getCamelContextExtension().getContextPlugin(ManagedCamelContext.class);
        Map<String, Long> lastHour = new LinkedHashMap<>();
        jdbc.query("SELECT consumer, COUNT(*) AS n FROM hooksync_ledger WHERE processed_at >= ? GROUP BY consumer",
                rs -> {
                    lastHour.put(rs.getString("consumer"), rs.getLong("n"));
                }, new java.sql.Timestamp(now - 3_600_000));
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Route route : camel.getRoutes()) {
            String id = route.getRouteId();
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("id", id);
            row.put("from", route.getEndpoint().getEndpointBaseUri());
            row.put("state", String.valueOf(camel.getRouteController().getRouteStatus(id)));
            ManagedRouteMBean mbean = managed == null ? null : managed.getManagedRoute(id);
            if (mbean != null) {
                row.put("exchangesTotal", mbean.getExchangesTotal());
                row.put("exchangesFailed", mbean.getExchangesFailed());
                row.put("meanProcessingMs", mbean.getMeanProcessingTime());
                row.put("throughput", mbean.getThroughput());
                row.put("uptime", mbean.getUptime());
                if (mbean.getLastError() != null && mbean.getLastError().getException() != null) {
                    row.put("lastError", mbean.getLastError().getException().toString());
                }
            }
            String ledger = identities.ledgerOf(id);
            identities.of(id).ifPresent(identity -> {
                row.put("group", identity.groupId());
                row.put("ledger", identity.ledgerId());
                lag.of(identity.groupId()).ifPresent(behind -> row.put("lag", behind));
            });
            row.put("eventsLastHour", lastHour.getOrDefault(ledger, 0L));
            jdbc.query("SELECT error, created_at FROM hooksync_dead_letters WHERE consumer = ? ORDER BY id DESC LIMIT 1",
                    rs -> {
                        row.put("lastError", rs.getString("error"));
                        row.put("lastErrorAt", rs.getTimestamp("created_at").toInstant().toString());
                    }, ledger);
            row.put("hawtio", "/actuator/hawtio/camel/routes");
            rows.add(row);
        }
        return rows;
    }
}
