package io.hooksync.infra;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.stereotype.Component;

/**
 * The identities of the user routes that consume events now, by route id: registered when a
 * {@code hooksync:events} consumer starts, removed when it stops. Other features (the dashboard's lag, replays)
 * ask here which consumer group and ledger id a route uses.
 */
@Component
public class RouteIdentities {

    private final Map<String, RouteIdentity> byRoute = new ConcurrentHashMap<>();

    /** The identity of a running route, e.g. {@code of("github-issues").get().groupId()}. */
    public Optional<RouteIdentity> of(String routeId) {
        return Optional.ofNullable(byRoute.get(routeId));
    }

    /** The ledger id for a route id: its identity's, or the route id itself when it is not a running events route. */
    public String ledgerOf(String routeId) {
        RouteIdentity identity = byRoute.get(routeId);
        return identity == null ? routeId : identity.ledgerId();
    }

    public Collection<RouteIdentity> all() {
        return List.copyOf(byRoute.values());
    }

    /**
     * Registers a starting route; refuses when another running route already uses its ledger identity, or when
     * it continues the identity of a route that is still running under its own name.
     */
    public synchronized void register(RouteIdentity identity) {
        for (RouteIdentity other : byRoute.values()) {
            if (other.routeId().equals(identity.routeId())) {
                continue;
            }
            if (other.ledgerId().equals(identity.ledgerId())) {
                throw new IllegalStateException("route " + identity.routeId() + " would share the identity '"
                        + identity.ledgerId() + "' (consumer group " + identity.groupId() + ") with the running route "
                        + other.routeId());
            }
            if (identity.continued() && other.routeId().equals(identity.ledgerId())) {
                throw new IllegalStateException("route " + identity.routeId() + " continues '" + identity.ledgerId()
                        + "', which is still a running route: remove or rename that route first");
            }
        }
        byRoute.put(identity.routeId(), identity);
    }

    public void unregister(String routeId) {
        byRoute.remove(routeId);
    }
}
