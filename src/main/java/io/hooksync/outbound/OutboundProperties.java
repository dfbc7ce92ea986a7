package io.hooksync.outbound;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code hooksync.outbound.*}: the outbox relay, the delivery of messages to endpoints, and endpoints
 * declared in configuration (GitOps) besides those created through the API. {@code encryptionKeys}:
 * secret references to the keys that encrypt endpoint secrets in the database, the first one encrypting.
 */
@ConfigurationProperties("hooksync.outbound")
record OutboundProperties(
        @DefaultValue("200ms") Duration relayInterval,
        @DefaultValue("500") int relayBatchSize,
        @DefaultValue Delivery delivery,
        @DefaultValue Breaker breaker,
        @DefaultValue Filter filter,
        List<String> allowedNetworks,
        List<Integer> allowedPorts,
        @DefaultValue("false") boolean requireHttps,
        @DefaultValue("14d") Duration retention,
        Map<String, DeclaredEndpoint> endpoints,
        List<String> encryptionKeys) {

    OutboundProperties {
        if (relayBatchSize < 1 || relayBatchSize > 10_000) {
            throw new IllegalArgumentException("hooksync.outbound.relay-batch-size must be between 1 and 10000 (was "
                    + relayBatchSize + ")");
        }
        allowedNetworks = allowedNetworks == null ? List.of() : List.copyOf(allowedNetworks);
        allowedPorts = allowedPorts == null ? List.of() : List.copyOf(allowedPorts);
        endpoints = endpoints == null ? Map.of() : Map.copyOf(endpoints);
        encryptionKeys = encryptionKeys == null ? List.of()
                : encryptionKeys.stream().map(String::trim).filter(k -> !k.isEmpty()).toList();
    }

    /** How messages are sent: timeouts, concurrency per endpoint, the retry schedule and when to give up. */
    record Delivery(
            @DefaultValue("true") boolean enabled,
            @DefaultValue("15s") Duration connectTimeout,
            @DefaultValue("15s") Duration timeout,
            @DefaultValue("4") int concurrencyPerEndpoint,
            @DefaultValue("64") int queuePerEndpoint,
            @DefaultValue({"0s", "5s", "5m", "30m", "2h", "5h", "10h", "10h"}) List<Duration> schedule,
            @DefaultValue("0.2") double jitter,
            @DefaultValue("1h") Duration maxRetryAfter,
            @DefaultValue("5d") Duration disableAfter,
            @DefaultValue("100ms") Duration pollInterval,
            @DefaultValue("2048") int responseBodyLimit,
            @DefaultValue("500") int dispatchBatchSize,
            @DefaultValue("60s") Duration leaseMargin) {
    }

    /** The Resilience4j circuit breaker each endpoint gets. */
    record Breaker(
            @DefaultValue("50") float failureRateThreshold,
            @DefaultValue("20") int slidingWindow,
            @DefaultValue("10") int minimumCalls,
            @DefaultValue("30s") Duration openFor,
            @DefaultValue("3") int halfOpenCalls) {
    }

    /**
     * The bounds of one evaluation of an endpoint's JSONata filter (filters come from API callers; the
     * dispatcher evaluates them for every message, for every endpoint, on one thread).
     */
    record Filter(
            @DefaultValue("100ms") Duration timeout,
            @DefaultValue("200") int maxDepth) {
    }

    /** An endpoint declared in configuration; the id is its key. The secret is env:NAME or file:/path. */
    record DeclaredEndpoint(
            String url,
            String description,
            List<String> eventTypes,
            String filter,
            Map<String, String> headers,
            String secret,
            @DefaultValue("true") boolean enabled,
            @DefaultValue("false") boolean ordered) {
    }
}
