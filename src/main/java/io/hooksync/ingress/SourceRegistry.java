package io.hooksync.ingress;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.hooksync.infra.EventTopics;
import io.hooksync.infra.InvalidConfigurationException;
import io.hooksync.infra.SecretReferences;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * The configured sources, built once at startup. A source whose secrets cannot be found stops the
 * start with a message naming the variable or file, unless it is explicitly marked unverified.
 */
@Component
class SourceRegistry implements EventTopics {

    private static final Logger log = LoggerFactory.getLogger(SourceRegistry.class);

    private final Map<String, Source> sources;
    private final String topicPrefix;

    SourceRegistry(IngressProperties properties, Environment environment, Clock clock) {
        List<String> problems = new ArrayList<>();
        Map<String, Source> built = new LinkedHashMap<>();
        properties.sources().forEach((name, config) -> {
            if (!config.enabled()) {
                return;
            }
            try {
                built.put(name, build(name, config, properties.ingress(), environment, clock));
            } catch (IllegalArgumentException e) {
                problems.add("source '" + name + "' (hooksync.sources." + name + "): " + e.getMessage());
            }
        });
        if (!problems.isEmpty()) {
            throw new InvalidConfigurationException(problems);
        }
        this.sources = Map.copyOf(built);
        this.topicPrefix = properties.ingress().topicPrefix();
        built.values().forEach(s -> log.info("Source '{}' ({}) accepts POST {}/{} -> topic {}",
                s.name(), s.kind().name().toLowerCase(), properties.ingress().path(), s.name(), s.topic()));
    }

    Optional<Source> find(String name) {
        return Optional.ofNullable(name).map(sources::get);
    }

    @Override
    public String topicOf(String source) {
        Source configured = sources.get(source);
        return configured != null ? configured.topic() : topicPrefix + source;
    }

    Collection<Source> all() {
        return sources.values();
    }

    private static Source build(String name, IngressProperties.SourceProperties config,
                                IngressProperties.Ingress ingress, Environment environment, Clock clock) {
        if (!name.matches("[a-z0-9][a-z0-9-_]{0,62}")) {
            throw new IllegalArgumentException("the name must be lower-case letters, digits, '-' or '_'");
        }
        if (config.kind() == null) {
            throw new IllegalArgumentException("kind is missing: github, stripe, standard-webhooks or hmac");
        }
        SourceKind kind = config.kind();
        Duration tolerance = config.tolerance() != null ? config.tolerance() : kind.defaultTolerance;
        SignatureVerifier verifier = config.unverified()
                ? unverified(name)
                : verifier(kind, resolveSecrets(config.secrets(), environment), tolerance, config.hmac(), clock);
        FieldRef eventId = FieldRef.parse(config.eventId() != null ? config.eventId() : kind.defaultEventId, "event-id");
        FieldRef eventType = FieldRef.parse(config.eventType() != null ? config.eventType() : kind.defaultEventType,
                "event-type");
        FieldRef partitionKey = config.partitionKey() == null || config.partitionKey().isBlank()
                ? null : FieldRef.body(config.partitionKey());
        String topic = config.topic() != null && !config.topic().isBlank()
                ? config.topic() : ingress.topicPrefix() + name;
        return new Source(name, kind, topic, verifier, config.maxBody().toBytes(),
                rateLimiter(name, config.rateLimit()), eventId, eventType, partitionKey);
    }

    private static SignatureVerifier verifier(SourceKind kind, List<String> secrets, Duration tolerance,
                                              IngressProperties.Hmac hmac, Clock clock) {
        return switch (kind) {
            case GITHUB -> new GitHubVerifier(secrets);
            case STRIPE -> new StripeVerifier(secrets, tolerance, clock);
            case STANDARD_WEBHOOKS -> new StandardWebhooksVerifier(secrets, tolerance, clock);
            case HMAC -> {
                if (hmac == null || hmac.header() == null || hmac.header().isBlank()) {
                    throw new IllegalArgumentException("kind hmac needs hmac.header (the signature header name)");
                }
                yield new HmacVerifier(secrets, hmac.header(), hmac.algorithm(), hmac.encoding(), hmac.prefix());
            }
        };
    }

    private static SignatureVerifier unverified(String name) {
        log.warn("""

                *****************************************************************
                *  SOURCE '{}' IS UNVERIFIED: ANY REQUEST TO IT IS ACCEPTED.
                *  Use this for local testing only, never on a reachable address.
                *****************************************************************""", name);
        return new NoVerification();
    }

    /** Reads {@code env:NAME} and {@code file:/path} entries; refuses literal secrets. */
    static List<String> resolveSecrets(List<String> refs, Environment environment) {
        if (refs.isEmpty()) {
            throw new IllegalArgumentException("no secrets configured: add secrets: [\"env:VARIABLE_NAME\"], "
                    + "or set unverified: true for local testing only");
        }
        List<String> found = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (String ref : refs) {
            if (!SecretReferences.isReference(ref)) {
                throw new IllegalArgumentException("a secrets entry is neither env:NAME nor file:/path; "
                        + "secrets are never written into configuration files");
            }
            try {
                found.add(SecretReferences.resolve(ref, environment));
            } catch (IllegalArgumentException e) {
                missing.add(e.getMessage());
            }
        }
        if (found.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", missing)
                    + " (set it, or mark the source unverified: true for local testing only)");
        }
        missing.forEach(m -> log.info("Optional secret not present: {}", m));
        return found;
    }

    private static RateLimiter rateLimiter(String name, IngressProperties.RateLimit limit) {
        if (limit == null || limit.requests() <= 0) {
            return null;
        }
        return RateLimiter.of("ingress-" + name, RateLimiterConfig.custom()
                .limitForPeriod(limit.requests())
                .limitRefreshPeriod(limit.per())
                .timeoutDuration(Duration.ZERO)
                .build());
    }
}
