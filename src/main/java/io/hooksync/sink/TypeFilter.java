package io.hooksync.sink;

import java.util.Arrays;
import java.util.List;

/**
 * Which events a route wants: event types (exact, or a prefix wildcard such as {@code customer.*},
 * or {@code *}) and optionally actions (GitHub's {@code action} field). Empty lists match everything.
 */
record TypeFilter(List<String> types, List<String> actions) {

    static TypeFilter parse(String types, String actions) {
        return new TypeFilter(split(types), split(actions));
    }

    boolean matches(String type, String action) {
        boolean typeOk = types.isEmpty() || types.stream().anyMatch(t -> matchesOne(t, type));
        boolean actionOk = actions.isEmpty() || (action != null && actions.contains(action));
        return typeOk && actionOk;
    }

    private static boolean matchesOne(String pattern, String type) {
        if (type == null) {
            return false;
        }
        if (pattern.equals("*")) {
            return true;
        }
        if (pattern.endsWith(".*")) {
            return type.startsWith(pattern.substring(0, pattern.length() - 1));
        }
        return pattern.equals(type);
    }

    private static List<String> split(String list) {
        if (list == null || list.isBlank()) {
            return List.of();
        }
        return Arrays.stream(list.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }
}
