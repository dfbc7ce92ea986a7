package io.hooksync.outbound;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An endpoint as the API shows it. The secret is masked except right after create or rotate; header values are
 * never shown ({@code ****}); callers without the admin role see the receiver URL as its origin only.
 * {@code previousSecretValidUntil} is present only while a rotated-out secret still signs; {@code maxInFlight} is
 * null while the engine's {@code concurrency-per-endpoint} applies.
 */
record EndpointView(String id, String url, String description, List<String> eventTypes, String filter,
                    Map<String, String> headers, boolean enabled, boolean ordered, Integer maxInFlight,
                    String disabledReason, String managedBy, String failingSince, String circuitBreaker, String secret,
                    @JsonInclude(JsonInclude.Include.NON_NULL) String previousSecretValidUntil,
                    String createdAt, String updatedAt) {

    static EndpointView of(Endpoint e, boolean showSecret, boolean admin, String circuitBreaker, long now) {
        Map<String, String> headers = new LinkedHashMap<>();
        e.headers().keySet().forEach(name -> headers.put(name, "****"));
        boolean previousValid = e.previousSecretUntil() != null && e.previousSecretUntil() > now;
        return new EndpointView(e.id(), admin ? e.url() : ReceiverUrls.origin(e.url()), e.description(), e.eventTypes(),
                e.filter(), headers, e.enabled(), e.ordered(), e.maxInFlight(), e.disabledReason(), e.managedBy(),
                e.failingSince() == null ? null : Instant.ofEpochMilli(e.failingSince()).toString(), circuitBreaker,
                showSecret ? e.secret() : Signatures.mask(e.secret()),
                previousValid ? Instant.ofEpochMilli(e.previousSecretUntil()).toString() : null,
                Instant.ofEpochMilli(e.createdAt()).toString(), Instant.ofEpochMilli(e.updatedAt()).toString());
    }
}
