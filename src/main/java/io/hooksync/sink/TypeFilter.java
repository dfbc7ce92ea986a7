package io.hooksync.sink;

import java.util.Arrays;
import java.util.List;

import io.hooksync.infra.envelope.EventTypePatterns;

/**
 * Which events a route wants: event types in the envelope's pattern language ({@link EventTypePatterns}:
 * exact, a prefix wildcard such as {@code customer.*}, or {@code *}; a bad pattern is refused) and
 * optionally actions (GitHub's {@code action} field). Empty lists match everything.
 */
record TypeFilter(List<String> types, List<String> actions) {

    static TypeFilter parse(String types, String actions) {
        return new TypeFilter(EventTypePatterns.parse(types), split(actions));
    }

    boolean matches(String type, String action) {
        boolean typeOk = EventTypePatterns.matchesEvent(types, type);
        boolean actionOk = actions.isEmpty() || (action != null && actions.contains(action));
        return typeOk && actionOk;
    }

    private static List<String> split(String list) {
        if (list == null || list.isBlank()) {
            return List.of();
        }
        return Arrays.stream(list.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }
}
