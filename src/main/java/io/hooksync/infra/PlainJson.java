package io.hooksync.infra;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The one ObjectMapper of code that runs without a Spring context: static converters and pure functions
 * (mapping values, Debezium records, problem bodies written by servlet filters and Tomcat valves below
 * Spring MVC). Everything Spring wires injects Boot's auto-configured ObjectMapper instead. These callers
 * only turn maps, lists and scalars into JSON text and back, where Boot's customizations change nothing;
 * threading Boot's mapper through them would make the pure {@code mapping} package depend on wiring.
 * Shared and never reconfigured after this line (ObjectMapper is thread-safe once configured).
 */
public final class PlainJson {

    public static final ObjectMapper MAPPER = JsonMapper.builder().build();

    private PlainJson() {
    }
}
