package io.hooksync.sink;

import java.util.Map;
import java.util.Set;

import io.hooksync.infra.RouteIdentity;
import io.hooksync.mapping.Mappings;
import org.apache.camel.Endpoint;
import org.apache.camel.support.DefaultComponent;

/**
 * The {@code hooksync:} Camel component, the building blocks of user routes:
 * {@code hooksync:events?source=github&types=issues} (consume a source's events in batches, or one by one with
 * {@code mode=event}), {@code hooksync:upsert?mapping=github/issues} (apply a batch or an event through a mapping)
 * and {@code hooksync:ack} (settle events handled elsewhere on purpose).
 */
final class HooksyncComponent extends DefaultComponent {

    private final SinkRuntime runtime;

    HooksyncComponent(SinkRuntime runtime) {
        this.runtime = runtime;
    }

    /**
     * The parameters each endpoint takes (what {@link #createEndpoint} reads), for the route files' offline check
     * ({@link RouteStepsCheck}); Camel refuses any other at route start, without naming the file.
     */
    static final Map<String, Set<String>> PARAMETERS = Map.of(
            "events", Set.of("source", "mode", "raw", "types", "actions", "batchSize", "continues", "start"),
            "upsert", Set.of("mapping", "emit"),
            "ack", Set.of());

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) {
        return switch (remaining) {
            case "events" -> {
                String source = require(uri, parameters, "source");
                EventForm form = EventForm.parse(uri, take(parameters, "mode"), take(parameters, "raw"));
                EventsEndpoint endpoint = new EventsEndpoint(uri, this, runtime, source,
                        TypeFilter.parse(take(parameters, "types"), take(parameters, "actions")),
                        batchSize(uri, take(parameters, "batchSize"), form.perEvent()
                                ? Math.min(EventForm.PER_EVENT_POLL, runtime.settings().batchSize())
                                : runtime.settings().batchSize()), origin(uri, parameters));
                endpoint.setForm(form);
                yield endpoint;
            }
            case "upsert" -> {
                String mappingName = require(uri, parameters, "mapping");
                Mappings mappings = runtime.mappings();
                mappings.find(mappingName).orElseThrow(() -> new IllegalArgumentException(
                        "no mapping '" + mappingName + "' in " + mappings.directory() + " (used by " + uri + ")"));
                yield new UpsertEndpoint(uri, this, runtime, mappingName, take(parameters, "emit"));
            }
            case "ack" -> new AckEndpoint(uri, this);
            default -> throw new IllegalArgumentException("unknown Hooksync endpoint '" + remaining
                    + "' in " + uri + ": use hooksync:events, hooksync:upsert or hooksync:ack");
        };
    }

    private static EventsEndpoint.Origin origin(String uri, Map<String, Object> parameters) {
        String continues = take(parameters, "continues");
        if (continues != null) {
            RouteIdentity.nameProblem(continues).ifPresent(problem -> {
                throw new IllegalArgumentException(uri + ": continues=" + problem);
            });
        }
        try {
            return new EventsEndpoint.Origin(continues, StartPosition.parse(take(parameters, "start")));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(uri + ": " + e.getMessage(), e);
        }
    }

    private static String take(Map<String, Object> parameters, String name) {
        Object value = parameters.remove(name);
        return value == null ? null : value.toString();
    }

    private static String require(String uri, Map<String, Object> parameters, String name) {
        String value = take(parameters, name);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(uri + " needs the parameter " + name);
        }
        return value;
    }

    /**
     * A route's {@code batchSize}: events per poll (and per transaction in batch form), within the bounds of
     * {@code hooksync.sink.batch-size}; a route file is refused with its URI when it is not a number or outside them.
     */
    static int batchSize(String uri, String value, int defaultValue) {
        if (value == null) {
            return defaultValue;
        }
        int size;
        try {
            size = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(uri + ": batchSize must be a number (was '" + value + "')");
        }
        if (size < 1 || size > SinkSettings.MAX_BATCH_SIZE) {
            throw new IllegalArgumentException(uri + ": batchSize must be between 1 and " + SinkSettings.MAX_BATCH_SIZE
                    + " (was " + size + ")");
        }
        return size;
    }
}
