package io.hooksync.ingress;

import java.util.LinkedHashMap;
import java.util.Map;

import io.hooksync.infra.ProblemResponses;

/** Renders a {@link Rejection} as an RFC 9457 {@code application/problem+json} body with the instance and source. */
final class Problems {

    static final String MEDIA_TYPE = ProblemResponses.MEDIA_TYPE;

    private Problems() {
    }

    static byte[] body(Rejection rejection, String instance, String source) {
        Map<String, String> extra = new LinkedHashMap<>();
        extra.put("instance", instance);
        extra.put("source", source);
        return ProblemResponses.body(rejection.status(), rejection.reason(), rejection.title(), rejection.getMessage(),
                extra);
    }
}
