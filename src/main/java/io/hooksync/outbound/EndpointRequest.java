package io.hooksync.outbound;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import io.hooksync.infra.ExpressionBounds;
import io.hooksync.infra.envelope.EventTypePatterns;

/**
 * What a client sends to create or change an endpoint. On a change, absent (null) fields keep their
 * value; {@code maxInFlight} 0 means the engine's setting again. {@link #problems} lists every invalid field at once,
 * each named.
 */
record EndpointRequest(String id, String url, String description, List<String> eventTypes, String filter,
                       Map<String, String> headers, Boolean enabled, Boolean ordered, Integer maxInFlight) {

    /** Filters come from API callers and run on every message: a few kB is plenty for a condition. */
    static final int MAX_FILTER_LENGTH = 4096;
    /** Every message is matched against each of an endpoint's patterns: a hundred is room for any subscription. */
    static final int MAX_EVENT_TYPES = 100;
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
    private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}");
    private static final List<String> RESERVED_HEADERS = List.of("webhook-id", "webhook-timestamp", "webhook-signature",
            "content-type", "content-length", "host", "transfer-encoding", "connection", "user-agent");

    /** One invalid field. */
    record FieldProblem(String field, String message) {
    }

    List<FieldProblem> problems(AddressGuard guard, boolean creating) {
        List<FieldProblem> problems = new ArrayList<>();
        if (id != null && !ID.matcher(id).matches()) {
            problems.add(new FieldProblem("id", "1 to 64 letters, digits, '_', '.' or '-', starting with a letter or digit"));
        }
        checkUrl(guard, creating, problems);
        checkEventTypes(creating, problems);
        if (description != null && description.length() > 500) {
            problems.add(new FieldProblem("description", "at most 500 characters"));
        }
        checkFilter(problems);
        checkHeaders(problems);
        if (maxInFlight != null && (maxInFlight < 0 || maxInFlight > OutboundProperties.Delivery.MAX_CONCURRENCY)) {
            problems.add(new FieldProblem("maxInFlight", "1 to " + OutboundProperties.Delivery.MAX_CONCURRENCY
                    + " requests at once, or 0 for the engine's hooksync.outbound.delivery.concurrency-per-endpoint (was "
                    + maxInFlight + ")"));
        }
        return problems;
    }

    /** The endpoint's own maximum as stored: null (the engine's setting) for 0. */
    static Integer ownMaximum(Integer maxInFlight) {
        return maxInFlight == null || maxInFlight == 0 ? null : maxInFlight;
    }

    private void checkUrl(AddressGuard guard, boolean creating, List<FieldProblem> problems) {
        if (url == null) {
            if (creating) {
                problems.add(new FieldProblem("url", "required"));
            }
        } else if (url.length() > 2000) {
            problems.add(new FieldProblem("url", "at most 2000 characters"));
        } else {
            String why = guard.problem(url);
            if (why != null) {
                problems.add(new FieldProblem("url", why));
            }
        }
    }

    private void checkEventTypes(boolean creating, List<FieldProblem> problems) {
        if (eventTypes == null) {
            if (creating) {
                problems.add(new FieldProblem("eventTypes", "required: a list such as [\"issue.synced\", \"invoice.*\"]"));
            }
        } else if (eventTypes.isEmpty()) {
            problems.add(new FieldProblem("eventTypes", "at least one event type (use [\"*\"] for all)"));
        } else if (eventTypes.size() > MAX_EVENT_TYPES) {
            problems.add(new FieldProblem("eventTypes", "at most " + MAX_EVENT_TYPES + " event types (was "
                    + eventTypes.size() + "); use a prefix wildcard such as invoice.* for a family"));
        } else {
            for (int i = 0; i < eventTypes.size(); i++) {
                String why = EventTypePatterns.problem(eventTypes.get(i));
                if (why != null) {
                    problems.add(new FieldProblem("eventTypes[" + i + "]", why));
                }
            }
        }
    }

    private void checkFilter(List<FieldProblem> problems) {
        if (filter != null && filter.length() > MAX_FILTER_LENGTH) {
            problems.add(new FieldProblem("filter", "at most " + MAX_FILTER_LENGTH + " characters (was " + filter.length() + ")"));
        } else if (filter != null && !filter.isBlank()) {
            try {
                ExpressionBounds.compile(filter);
            } catch (IllegalArgumentException e) {
                problems.add(new FieldProblem("filter", "not a JSONata expression: " + e.getMessage()));
            }
        }
    }

    private void checkHeaders(List<FieldProblem> problems) {
        if (headers == null) {
            return;
        }
        if (headers.size() > 20) {
            problems.add(new FieldProblem("headers", "at most 20 headers"));
        }
        headers.forEach((name, value) -> {
            if (name == null || !HEADER_NAME.matcher(name).matches()) {
                problems.add(new FieldProblem("headers", "'" + name + "' is not a header name"));
            } else if (RESERVED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                problems.add(new FieldProblem("headers." + name, "set by Hooksync; cannot be overridden"));
            } else if (value == null || value.length() > 1000 || value.chars().anyMatch(ch -> ch == '\r' || ch == '\n')) {
                problems.add(new FieldProblem("headers." + name, "a value of at most 1000 characters on one line"));
            }
        });
    }
}
