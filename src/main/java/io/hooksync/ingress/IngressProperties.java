package io.hooksync.ingress;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.hooksync.infra.SettingBounds;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Typed configuration of the ingress: {@code hooksync.ingress.*} and the sources under {@code hooksync.sources}.
 *
 * @param ingress where webhooks arrive and the bounds before any source is known
 * @param sources one entry per sender
 */
@ConfigurationProperties("hooksync")
@Validated
record IngressProperties(@DefaultValue @Valid Ingress ingress, Map<String, SourceProperties> sources) {

    IngressProperties {
        sources = sources == null ? Map.of() : Map.copyOf(sources);
        sources.forEach((name, source) -> source.checkBounds("hooksync.sources." + name + "."));
    }

    /**
     * {@code hooksync.ingress.*}: where webhooks arrive, which topics they go to, and the bounds that hold before
     * any source is known: the bytes of bodies in flight, the time a body may take to arrive, and a per-client-address
     * rate limit applied before anything is read ({@code requests: 0} turns it off).
     *
     * @param path ingress base path: POST {path}/{source}
     * @param topicPrefix a source's topic is prefix + source name (default in application.yaml: hooksync.events.)
     * @param maxInFlight body bytes held by webhooks not yet answered; beyond it 503 + Retry-After; 64KB..16GB
     * @param readTimeout a webhook's body must arrive within this, else 408; 1s..10m
     * @param clientRateLimit per client address, before anything is read or verified; requests 0 = off
     */
    record Ingress(@DefaultValue("/webhooks") String path, @NotBlank String topicPrefix,
                   @DefaultValue("64MB") DataSize maxInFlight, @DefaultValue("30s") Duration readTimeout,
                   @DefaultValue RateLimit clientRateLimit) {

        Ingress {
            SettingBounds.between("hooksync.ingress.max-in-flight", maxInFlight, DataSize.ofKilobytes(64),
                    DataSize.ofGigabytes(16), "body bytes held by webhooks not yet answered");
            SettingBounds.between("hooksync.ingress.read-timeout", readTimeout, Duration.ofSeconds(1),
                    Duration.ofMinutes(10), "time a webhook's body may take to arrive");
            clientRateLimit.checkBounds("hooksync.ingress.client-rate-limit.");
        }
    }

    /**
     * One sender. {@code secrets} entries are {@code env:NAME} or {@code file:/path}, never the
     * secret itself. {@code eventId} and {@code eventType} ({@code header:Name} or {@code body:dotted.path})
     * override the kind's defaults; {@code partitionKey} is a dotted path into the JSON payload.
     *
     * @param kind github, stripe, standard-webhooks or hmac
     * @param enabled accept this source's webhooks
     * @param secrets env:NAME or file:/path references; any may match (rotation)
     * @param unverified accept unsigned requests (local experiments only)
     * @param tolerance how old a signed timestamp may be (stripe 300s, standard-webhooks 5m); 1s..7d
     * @param maxBody larger bodies get 413; 1KB..512MB
     * @param rateLimit verified requests per period; more get 429
     * @param partitionKey dotted path into the payload; events with one key stay in order
     * @param eventId header:Name, body:path or content-hash
     * @param eventType header:Name or body:path
     * @param topic Kafka topic (default: prefix + name)
     * @param hmac the signature of an hmac source
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

        /** The source's numbers within their ranges; {@code prefix} is its property path. */
        void checkBounds(String prefix) {
            if (tolerance != null) {
                SettingBounds.between(prefix + "tolerance", tolerance, Duration.ofSeconds(1), Duration.ofDays(7),
                        "how old a signed timestamp may be");
            }
            SettingBounds.between(prefix + "max-body", maxBody, DataSize.ofKilobytes(1), DataSize.ofMegabytes(512),
                    "larger bodies get 413");
            if (rateLimit != null) {
                rateLimit.checkBounds(prefix + "rate-limit.");
            }
        }
    }

    /**
     * At most {@code requests} per {@code per}; more get 429 with Retry-After.
     *
     * @param requests requests per period; 0 = off; at most 1000000
     * @param per the period; 1ms..1d
     */
    record RateLimit(@DefaultValue("0") int requests, @DefaultValue("1s") Duration per) {

        void checkBounds(String prefix) {
            SettingBounds.between(prefix + "requests", requests, 0, 1_000_000, "requests per period; 0 is off");
            SettingBounds.between(prefix + "per", per, Duration.ofMillis(1), Duration.ofDays(1), "the period");
        }
    }

    /**
     * Generic HMAC signature: header name, JCA algorithm, encoding and an optional prefix such as {@code sha256=}.
     *
     * @param header the header carrying the signature
     * @param algorithm JCA MAC algorithm
     * @param encoding hex or base64
     * @param prefix text before the signature, e.g. sha256=
     */
    record Hmac(String header, @DefaultValue("HmacSHA256") String algorithm,
                @DefaultValue("HEX") HmacVerifier.Encoding encoding, @DefaultValue("") String prefix) {
    }
}
