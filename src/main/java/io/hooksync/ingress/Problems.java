package io.hooksync.ingress;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Renders a {@link Rejection} as an RFC 9457 {@code application/problem+json} body. */
final class Problems {

    static final String MEDIA_TYPE = "application/problem+json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private Problems() {
    }

    static byte[] body(Rejection rejection, String instance, String source) {
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", "urn:hooksync:problem:" + rejection.reason());
        problem.put("title", rejection.title());
        problem.put("status", rejection.status());
        problem.put("detail", rejection.getMessage());
        problem.put("instance", instance);
        if (source != null) {
            problem.put("source", source);
        }
        try {
            return JSON.writeValueAsBytes(problem);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
