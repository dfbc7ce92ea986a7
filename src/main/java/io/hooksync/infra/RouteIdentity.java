package io.hooksync.infra;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Who a user route is to Kafka and to the ledger. The route id is its file stem; the ledger id is the id of the
 * route it {@code continues} (a renamed route keeps its old identity) or else its own id; the consumer group is
 * {@code hooksync.<ledger id>}. Everything that keys state by route (offsets, the ledger, dead letters, replays)
 * uses {@link #ledgerId()} or {@link #groupId()}, never the Camel route id directly.
 */
public record RouteIdentity(String routeId, String ledgerId) {

    /** Prefix of every user route's consumer group. */
    public static final String GROUP_PREFIX = "hooksync.";
    /** Route ids and continued ids: lower-case letters, digits, '-' and '_', at most 63 characters. */
    public static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");

    /** A route's identity; {@code continues} is the old route id it takes over, or null. */
    public static RouteIdentity of(String routeId, String continues) {
        return new RouteIdentity(routeId, continues == null || continues.isBlank() ? routeId : continues);
    }

    /** The Kafka consumer group the route's consumers join. */
    public String groupId() {
        return GROUP_PREFIX + ledgerId;
    }

    /** True when the route took over another (renamed) route's identity. */
    public boolean continued() {
        return !routeId.equals(ledgerId);
    }

    /** What is wrong with {@code name} as a route id or a continued id, if anything (charset, length, reserved). */
    public static Optional<String> nameProblem(String name) {
        if (name == null || name.isEmpty()) {
            return Optional.of("is empty");
        }
        if (!NAME.matcher(name).matches()) {
            String shown = name.length() > 80 ? name.substring(0, 80) + "..." : name;
            return Optional.of("'" + shown + "' is not a valid route name: use lower-case letters, digits, '-' and '_' "
                    + "(at most 63 characters, starting with a letter or digit)");
        }
        return InternalNames.reservation(name).map(reason -> "'" + name + "' is reserved: " + reason);
    }
}
