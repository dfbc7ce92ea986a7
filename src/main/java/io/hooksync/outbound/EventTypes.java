package io.hooksync.outbound;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Which message types an endpoint wants: exact names ({@code invoice.paid}), prefix wildcards
 * ({@code issue.*} matches {@code issue.synced} and {@code issue.comment.created}) and {@code *}.
 * Hooksync's own operational events ({@code endpoint.*}, {@code message.*}) reach only endpoints that
 * name them, never through a bare {@code *}: a dead endpoint subscribed to everything must not be fed
 * the news of its own failures.
 */
final class EventTypes {

    private static final Pattern VALID = Pattern.compile("\\*|[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*(\\.\\*)?");
    private static final List<String> OPERATIONAL = List.of("endpoint.", "message.");

    private EventTypes() {
    }

    /** Null when valid, otherwise what is wrong with it. */
    static String problem(String pattern) {
        if (pattern == null || pattern.isBlank()) {
            return "an event type cannot be empty";
        }
        if (pattern.length() > 200) {
            return "an event type is at most 200 characters";
        }
        return VALID.matcher(pattern).matches() ? null
                : "'" + pattern + "' is not an event type: use names like issue.synced, a prefix wildcard like issue.* or *";
    }

    static boolean operational(String type) {
        return OPERATIONAL.stream().anyMatch(type::startsWith);
    }

    static boolean matches(List<String> patterns, String type) {
        for (String pattern : patterns) {
            if (pattern.equals("*")) {
                if (!operational(type)) {
                    return true;
                }
            } else if (pattern.endsWith(".*")) {
                if (type.startsWith(pattern.substring(0, pattern.length() - 1))) {
                    return true;
                }
            } else if (pattern.equals(type)) {
                return true;
            }
        }
        return false;
    }
}
