package io.hooksync.infra.envelope;

import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The one language routes ({@code hooksync:events?types=}, {@code hooksync-messages?types=}) and endpoints
 * ({@code eventTypes}) name event types with. A pattern is an exact type ({@code invoice.paid}: dot-separated
 * names of letters, digits, {@code _} and {@code -}), a prefix wildcard ({@code issue.*}: every type that
 * starts with {@code issue.}, at any depth, not {@code issue} itself) or {@code *}; at most 200 characters.
 * Anything else is refused with the reason when the route or endpoint is created.
 *
 * <p>{@code *} means every type, with one exception on the outbound stream: Hooksync's own operational
 * messages ({@code endpoint.*}, {@code message.*}) reach only a subscription that names them (exactly or by
 * their prefix), so a dead endpoint subscribed to everything is not fed the news of its own failures.
 * Inbound events (webhooks, CDC changes) have no reserved types: there {@code *} matches all of them.
 */
public final class EventTypePatterns {

    private static final Pattern VALID = Pattern.compile("\\*|[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*(\\.\\*)?");
    private static final List<String> OPERATIONAL = List.of("endpoint.", "message.");
    static final int MAX_LENGTH = 200;

    private EventTypePatterns() {
    }

    /** Null when valid, otherwise what is wrong with it. */
    public static String problem(String pattern) {
        if (pattern == null || pattern.isBlank()) {
            return "an event type cannot be empty";
        }
        if (pattern.length() > MAX_LENGTH) {
            return "an event type is at most " + MAX_LENGTH + " characters";
        }
        return VALID.matcher(pattern).matches() ? null
                : "'" + pattern + "' is not an event type: use names like issue.synced, a prefix wildcard like issue.* or *";
    }

    /**
     * A comma-separated list (spaces around the commas ignored, empty entries dropped), each pattern checked;
     * null or blank gives an empty list. Throws {@link IllegalArgumentException} naming the first bad pattern.
     */
    public static List<String> parse(String list) {
        if (list == null || list.isBlank()) {
            return List.of();
        }
        List<String> patterns = Arrays.stream(list.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        for (String pattern : patterns) {
            String problem = problem(pattern);
            if (problem != null) {
                throw new IllegalArgumentException(problem);
            }
        }
        return patterns;
    }

    /** Hooksync's own operational message types ({@code endpoint.disabled}, {@code message.attempt.exhausted}). */
    public static boolean operational(String type) {
        return OPERATIONAL.stream().anyMatch(type::startsWith);
    }

    /** Whether an inbound event of {@code type} is wanted; an empty list wants every event, a null type none. */
    public static boolean matchesEvent(List<String> patterns, String type) {
        return patterns.isEmpty() || matches(patterns, type, false);
    }

    /** Whether an outbound message of {@code type} is wanted: a bare {@code *} leaves out the operational types. */
    public static boolean matchesMessage(List<String> patterns, String type) {
        return matches(patterns, type, true);
    }

    private static boolean matches(List<String> patterns, String type, boolean reserveOperational) {
        if (type == null) {
            return false;
        }
        for (String pattern : patterns) {
            if (pattern.equals("*")) {
                if (!reserveOperational || !operational(type)) {
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
