package io.hooksync.outbound;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.dashjoin.jsonata.Jsonata;
import io.hooksync.infra.ExpressionBounds;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Endpoint filters as the dispatcher runs them. Filters come from API callers, so each evaluation is
 * bounded in time and depth ({@link ExpressionBounds}); a filter that fails, for whatever reason, keeps
 * the message from its endpoint only. The dispatcher is one thread for every endpoint, so a filter that
 * keeps hitting its bounds would cost every other endpoint its timeout on every message: after
 * {@link #BROKEN_AFTER} bound violations in a row it is marked broken and no longer evaluated (the
 * messages are not offered to its endpoint) until the endpoint's filter is changed or the engine
 * restarts. Each endpoint's first failure and the broken mark are logged once; every message a failing
 * or broken filter keeps from its endpoint is counted ({@code hooksync.delivery.filter.failures}).
 */
final class EndpointFilters {

    static final int BROKEN_AFTER = 3;
    private static final Logger log = LoggerFactory.getLogger(EndpointFilters.class);

    /** One endpoint's filter failures since it last passed or failed cleanly, for the filter text they concern. */
    private record Failures(String filter, int exceededInARow, boolean broken) {
    }

    private final ExpressionBounds bounds;
    private final DeliveryMetrics metrics;
    private final Map<String, Jsonata> compiled = new ConcurrentHashMap<>();
    private final Map<String, Failures> failures = new ConcurrentHashMap<>();

    EndpointFilters(ExpressionBounds bounds, DeliveryMetrics metrics) {
        this.bounds = bounds;
        this.metrics = metrics;
    }

    /** Whether the endpoint's filter (none: yes) lets {@code data} through. */
    boolean passes(Endpoint endpoint, Object data) {
        String text = endpoint.filter();
        if (text == null || text.isBlank()) {
            return true;
        }
        Failures past = failures.get(endpoint.id());
        if (past != null && !past.filter().equals(text)) {
            failures.remove(endpoint.id());   // the filter was changed: a fresh start
            past = null;
        }
        if (past != null && past.broken()) {
            metrics.filterFailed(endpoint.id(), "broken");
            return false;
        }
        try {
            Jsonata filter = compiled.computeIfAbsent(text, ExpressionBounds::compile);
            Object value;
            // one evaluation at a time per expression (dashjoin keeps evaluation state in it); the dispatcher is one thread
            synchronized (filter) {
                value = bounds.evaluate(filter, data, Map.of());
            }
            if (past != null && past.exceededInARow() > 0) {
                failures.put(endpoint.id(), new Failures(text, 0, false));
            }
            return Jsonata.boolize(value);
        } catch (ExpressionBounds.Exceeded e) {
            int inARow = past == null ? 1 : past.exceededInARow() + 1;
            failed(endpoint, past, new Failures(text, inARow, inARow >= BROKEN_AFTER), "bounds", e.getMessage());
            return false;
        } catch (RuntimeException e) {
            failed(endpoint, past, new Failures(text, 0, false), "error", e.getMessage());
            return false;
        }
    }

    private void failed(Endpoint endpoint, Failures past, Failures now, String reason, String message) {
        failures.put(endpoint.id(), now);
        metrics.filterFailed(endpoint.id(), reason);
        if (past == null) {
            log.warn("Endpoint {}: its filter failed on a message ({}); the message is not sent to it. Further failures"
                    + " of this filter are counted (hooksync.delivery.filter.failures), not logged", endpoint.id(), message);
        }
        if (now.broken()) {
            log.error("Endpoint {}: its filter exceeded its bounds {} times in a row ({}); it is marked broken and no"
                    + " longer evaluated: no message is sent to this endpoint until its filter is changed",
                    endpoint.id(), now.exceededInARow(), message);
        }
    }
}
