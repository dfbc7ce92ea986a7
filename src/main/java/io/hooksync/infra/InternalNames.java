package io.hooksync.infra;

import java.util.List;
import java.util.Optional;

/**
 * The names Hooksync's own parts use in Camel and Kafka, in one place, so a user route can never take one:
 * the ingress route's id and the consumer groups of the timeline and the delivery dispatcher. A user route's
 * group is {@code hooksync.<route identity>}, so a route named {@code timeline} would join the timeline's group.
 */
public final class InternalNames {

    /** The Camel route id of the ingress ({@code direct:ingress}). */
    public static final String INGRESS_ROUTE = "ingress";
    /** The consumer group of the event timeline. */
    public static final String TIMELINE_GROUP = RouteIdentity.GROUP_PREFIX + "timeline";
    /** The consumer group of the outbound delivery dispatcher. */
    public static final String DELIVERY_GROUP = RouteIdentity.GROUP_PREFIX + "delivery";

    private static final List<String> GROUPS = List.of(TIMELINE_GROUP, DELIVERY_GROUP);

    private InternalNames() {
    }

    /** Why a user route may not be named {@code name} (as its id or as the identity it continues), if it may not. */
    public static Optional<String> reservation(String name) {
        if (INGRESS_ROUTE.equals(name)) {
            return Optional.of("'" + name + "' is the id of Hooksync's own ingress route");
        }
        for (String group : GROUPS) {
            if (group.equals(RouteIdentity.GROUP_PREFIX + name)) {
                return Optional.of("'" + name + "' would join the consumer group " + group + " of Hooksync's own "
                        + name + " consumer");
            }
        }
        if (name.startsWith("hooksync")) {
            return Optional.of("names starting with 'hooksync' are reserved for Hooksync's own consumers");
        }
        return Optional.empty();
    }
}
