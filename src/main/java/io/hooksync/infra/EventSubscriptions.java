package io.hooksync.infra;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiPredicate;

import org.springframework.stereotype.Component;

/**
 * Which running routes consume which source's events, so the ingress can count events that no route
 * consumes (they stay on Kafka; not an error). Routes register when they start and leave when they stop.
 */
@Component
public class EventSubscriptions {

    /** A route's interest: its source and a test on (event type, action). */
    private record Interest(String source, BiPredicate<String, String> matches) {
    }

    private final Map<String, Interest> byRoute = new ConcurrentHashMap<>();

    public void subscribe(String routeId, String source, BiPredicate<String, String> matches) {
        byRoute.put(routeId, new Interest(source, matches));
    }

    public void unsubscribe(String routeId) {
        byRoute.remove(routeId);
    }

    public boolean anyConsumes(String source, String type, String action) {
        return byRoute.values().stream().anyMatch(i -> i.source().equals(source) && i.matches().test(type, action));
    }
}
