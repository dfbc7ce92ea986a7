package io.hooksync.ingress;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/** Typed configuration of the ingress: {@code hooksync.ingress.*} and the sources under {@code hooksync.sources}. */
@ConfigurationProperties("hooksync")
record IngressProperties(@DefaultValue Ingress ingress, Map<String, SourceProperties> sources) {

    IngressProperties {
        sources = sources == null ? Map.of() : Map.copyOf(sources);
    }

    /**
     * {@code hooksync.ingress.*}: where webhooks arrive, which topics they go to, and the bounds that hold before
     * any source is known: the bytes of bodies in flight, the time a body may take to arrive, and a per-client-address
     * rate limit applied before anything is read ({@code requests: 0} turns it off).
     */
    record Ingress(@DefaultValue("/webhooks") String path, @DefaultValue("hooksync.events.") String topicPrefix,
                   @DefaultValue("64MB") DataSize maxInFlight, @DefaultValue("30s") Duration readTimeout,
                   @DefaultValue RateLimit clientRateLimit) {
    }

    /**
     * One sender. {@code secrets} entries are {@code env:NAME} or {@code file:/path}, never the
     * secret itself. {@code eventId} and {@code eventType} ({@code header:Name} or {@code body:dotted.path})
     * override the kind's defaults; {@code partitionKey} is a dotted path into the JSON payload.
     */
    record SourceProperties(
            SourceKind kind,
            @DefaultValue("true") boolean enabled,
            List<String> secrets,
            @DefaultValue("false") boolean unverified,
            Duration tolerance,
            @DefaultValue("1MB") DataSize maxBody,
            RateLimit rateLimit,
            String partitionKey,
            String eventId,
            String eventType,
            String topic,
            Hmac hmac) {

        SourceProperties {
            secrets = secrets == null ? List.of() : List.copyOf(secrets);
        }
    }

    /** At most {@code requests} per {@code per}; more get 429 with Retry-After. */
    record RateLimit(@DefaultValue("0") int requests, @DefaultValue("1s") Duration per) {
    }

    /** Generic HMAC signature: header name, JCA algorithm, encoding and an optional prefix such as {@code sha256=}. */
    record Hmac(String header, @DefaultValue("HmacSHA256") String algorithm,
                @DefaultValue("HEX") HmacVerifier.Encoding encoding, @DefaultValue("") String prefix) {
    }
}
