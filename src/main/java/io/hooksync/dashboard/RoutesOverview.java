package io.hooksync.dashboard;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
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

    /**
     * One Camel route. The counters are absent when Camel's managed route is not there; {@code lastError} is the
     * newest dead letter's error, else Camel's last exception, and absent when there is neither.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record RouteView(String id, String from, String state, Long exchangesTotal, Long exchangesFailed,
                     Long meanProcessingMs, String throughput, String uptime, String lastError, String lastErrorAt,
                     long eventsLastHour, String hawtio, String group, String ledger, Long lag) {
    }

    List<RouteView> routes(long now) {
        ManagedCamelContext managed = camel.getCamelContextExtension().getContextPlugin(ManagedCamelContext.class);
        Map<String, Long> lastHour = new LinkedHashMap<>();
        jdbc.query("SELECT consumer, COUNT(*) AS n FROM hooksync_ledger WHERE processed_at >= ? GROUP BY consumer",
                rs -> {
                    lastHour.put(rs.getString("consumer"), rs.getLong("n"));
                }, new java.sql.Timestamp(now - 3_600_000));
        List<RouteView> rows = new ArrayList<>();
        for (Route route : camel.getRoutes()) {
            String id = route.getRouteId();
            ManagedRouteMBean mbean = managed == null ? null : managed.getManagedRoute(id);
            String[] lastError = new String[2];
            if (mbean != null && mbean.getLastError() != null && mbean.getLastError().getException() != null) {
                lastError[0] = mbean.getLastError().getException().toString();
            }
            String ledger = identities.ledgerOf(id);
            var identity = identities.of(id);
            String group = identity.map(i -> i.groupId()).orElse(null);
            Long behind = null;
            if (group != null) {
                java.util.OptionalLong l = lag.of(group);
                behind = l.isPresent() ? l.getAsLong() : null;
            }
            jdbc.query("SELECT error, created_at FROM hooksync_dead_letters WHERE consumer = ? ORDER BY id DESC LIMIT 1",
                    rs -> {
                        lastError[0] = rs.getString("error");
                        lastError[1] = rs.getTimestamp("created_at").toInstant().toString();
                    }, ledger);
            rows.add(new RouteView(id, route.getEndpoint().getEndpointBaseUri(),
                    String.valueOf(camel.getRouteController().getRouteStatus(id)),
                    mbean == null ? null : mbean.getExchangesTotal(), mbean == null ? null : mbean.getExchangesFailed(),
                    mbean == null ? null : mbean.getMeanProcessingTime(), mbean == null ? null : mbean.getThroughput(),
                    mbean == null ? null : mbean.getUptime(), lastError[0], lastError[1],
                    lastHour.getOrDefault(ledger, 0L), "/actuator/hawtio/camel/routes",
                    group, identity.isPresent() ? ledger : null, behind));
        }
        return rows;
    }
}
