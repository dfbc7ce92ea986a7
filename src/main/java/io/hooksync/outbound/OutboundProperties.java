package io.hooksync.outbound;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.hooksync.infra.SettingBounds;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code hooksync.outbound.*}: the outbox relay, the delivery of messages to endpoints, and endpoints
 * declared in configuration (GitOps) besides those created through the API. Every number and duration is bounded:
 * outside its range a setting fails the start naming it.
 * {@code encryptionKeys}: secret references to the keys that encrypt endpoint secrets in the database, the first one
 * encrypting.
 *
 * @param relayInterval how often the outbox relay looks for new rows when idle, 10ms..1m
 * @param relayBatchSize outbox rows per relay transaction, 1..10000
 * @param delivery how messages are sent
 * @param breaker the circuit breaker per endpoint
 * @param filter bounds of one evaluation of an endpoint's JSONata filter
 * @param allowedNetworks CIDRs receivers may resolve to despite the SSRF guard (HOOKSYNC_ALLOWED_NETWORKS)
 * @param allowedPorts ports receiver URLs may use; empty allows any (HOOKSYNC_ALLOWED_PORTS)
 * @param requireHttps refuse http:// receiver URLs (HOOKSYNC_REQUIRE_HTTPS)
 * @param retention messages, deliveries, attempts and relayed outbox rows older than this are pruned in the
 *                  background, 1h..3650d
 * @param endpoints endpoints declared in configuration (GitOps) by id
 * @param encryptionKeys env:NAME or file:/path references to base64 32-byte keys; the first encrypts, all decrypt (HOOKSYNC_ENCRYPTION_KEYS)
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
        SettingBounds.between("hooksync.outbound.relay-interval", relayInterval, Duration.ofMillis(10),
                Duration.ofMinutes(1), "how often the relay looks for rows when idle");
        SettingBounds.between("hooksync.outbound.relay-batch-size", relayBatchSize, 1, 10_000,
                "outbox rows per relay transaction");
        SettingBounds.between("hooksync.outbound.retention", retention, Duration.ofHours(1), Duration.ofDays(3650),
                "delivery history kept before it is pruned");
        allowedNetworks = allowedNetworks == null ? List.of() : List.copyOf(allowedNetworks);
        allowedPorts = allowedPorts == null ? List.of() : List.copyOf(allowedPorts);
        endpoints = endpoints == null ? Map.of() : Map.copyOf(endpoints);
        encryptionKeys = encryptionKeys == null ? List.of()
                : encryptionKeys.stream().map(String::trim).filter(k -> !k.isEmpty()).toList();
    }

    /**
     * How messages are sent: timeouts, concurrency per endpoint, the retry schedule and when to give up.
     *
     * @param enabled send deliveries from this instance
     * @param connectTimeout TCP/TLS connect timeout per attempt
     * @param timeout total time for the receiver's complete answer
     * @param concurrencyPerEndpoint the most requests in flight to one endpoint (a count; no thread waits for an
     *        answer): above {@code minConcurrencyPerEndpoint}, its limit grows up to this while the receiver keeps up
     * @param minConcurrencyPerEndpoint where an endpoint's limit starts and the least it is cut to when the receiver
     *        shows overload; unset: 4, or {@code concurrencyPerEndpoint} if lower; equal to it: a fixed limit
     * @param queuePerEndpoint claimed deliveries waiting for a place among one endpoint's requests in flight
     * @param schedule wait before each attempt; its length is the attempt count
     * @param jitter +/- share of each scheduled wait
     * @param maxRetryAfter longest Retry-After (429/503) honoured
     * @param disableAfter an endpoint failing continuously this long is disabled
     * @param pollInterval how often due deliveries are looked for when idle
     * @param responseBodyLimit bytes of each answer kept with the attempt
     * @param dispatchBatchSize outbound messages the dispatcher reads per poll
     * @param leaseMargin added to a claim's lease; a crashed instance's claims return after it
     */
    record Delivery(
            @DefaultValue("true") boolean enabled,
            @DefaultValue("15s") Duration connectTimeout,
            @DefaultValue("15s") Duration timeout,
            @DefaultValue("64") int concurrencyPerEndpoint,
            Integer minConcurrencyPerEndpoint,
            @DefaultValue("64") int queuePerEndpoint,
            @DefaultValue({"0s", "5s", "5m", "30m", "2h", "5h", "10h", "10h"}) List<Duration> schedule,
            @DefaultValue("0.2") double jitter,
            @DefaultValue("1h") Duration maxRetryAfter,
            @DefaultValue("5d") Duration disableAfter,
            @DefaultValue("100ms") Duration pollInterval,
            @DefaultValue("2048") int responseBodyLimit,
            @DefaultValue("500") int dispatchBatchSize,
            @DefaultValue("60s") Duration leaseMargin) {

        /** The fixed limit of the versions before it adapted: where an endpoint starts unless set otherwise. */
        static final int DEFAULT_MIN_CONCURRENCY = 4;
        /** The most requests in flight to one endpoint that can be set, here or as an endpoint's own maximum. */
        static final int MAX_CONCURRENCY = 256;

        Delivery {
            String p = "hooksync.outbound.delivery.";
            SettingBounds.between(p + "connect-timeout", connectTimeout, Duration.ofMillis(100), Duration.ofMinutes(5),
                    "TCP/TLS connect timeout per attempt");
            SettingBounds.between(p + "timeout", timeout, Duration.ofMillis(100), Duration.ofMinutes(10),
                    "time for a receiver's whole answer");
            SettingBounds.between(p + "concurrency-per-endpoint", concurrencyPerEndpoint, 1, MAX_CONCURRENCY,
                    "requests in flight to one endpoint");
            if (minConcurrencyPerEndpoint != null) {
                SettingBounds.between(p + "min-concurrency-per-endpoint", minConcurrencyPerEndpoint, 1,
                        concurrencyPerEndpoint, "where an endpoint's limit of requests in flight starts, at most"
                                + " concurrency-per-endpoint");
            }
            SettingBounds.between(p + "queue-per-endpoint", queuePerEndpoint, 1, 10_000,
                    "claimed deliveries waiting for one endpoint");
            SettingBounds.between(p + "schedule", schedule == null ? 0 : schedule.size(), 1, 50,
                    "attempts: one wait before each");
            for (Duration wait : schedule) {
                SettingBounds.between(p + "schedule", wait, Duration.ZERO, Duration.ofDays(7), "a wait before an attempt");
            }
            if (!(jitter >= 0 && jitter < 1)) {
                throw new IllegalArgumentException(p + "jitter must be at least 0 and below 1 (+/- share of each wait),"
                        + " not " + jitter);
            }
            SettingBounds.between(p + "max-retry-after", maxRetryAfter, Duration.ZERO, Duration.ofDays(7),
                    "longest Retry-After honoured");
            SettingBounds.between(p + "disable-after", disableAfter, Duration.ofMinutes(1), Duration.ofDays(365),
                    "continuous failure before an endpoint is disabled");
            SettingBounds.between(p + "poll-interval", pollInterval, Duration.ofMillis(10), Duration.ofMinutes(1),
                    "how often due deliveries are looked for");
            SettingBounds.between(p + "response-body-limit", responseBodyLimit, 0, 1_000_000,
                    "characters of an answer kept with its attempt");
            SettingBounds.between(p + "dispatch-batch-size", dispatchBatchSize, 1, 10_000,
                    "outbound messages per dispatcher poll and transaction");
            SettingBounds.between(p + "lease-margin", leaseMargin, Duration.ofSeconds(1), Duration.ofHours(1),
                    "added to a claim's lease");
            schedule = List.copyOf(schedule);
        }

        /** Where an endpoint's limit of requests in flight starts and the least it is cut to. */
        int minConcurrency() {
            return minConcurrencyPerEndpoint != null ? minConcurrencyPerEndpoint
                    : Math.min(DEFAULT_MIN_CONCURRENCY, concurrencyPerEndpoint);
        }
    }

    /**
     * The Resilience4j circuit breaker each endpoint gets.
     *
     * @param failureRateThreshold percent of failed calls that opens it
     * @param slidingWindow calls it looks at
     * @param minimumCalls calls before it may open
     * @param openFor how long it stays open before half-open probes
     * @param halfOpenCalls probes in half-open
     */
    record Breaker(
            @DefaultValue("50") float failureRateThreshold,
            @DefaultValue("20") int slidingWindow,
            @DefaultValue("10") int minimumCalls,
            @DefaultValue("30s") Duration openFor,
            @DefaultValue("3") int halfOpenCalls) {

        Breaker {
            String p = "hooksync.outbound.breaker.";
            if (!(failureRateThreshold > 0 && failureRateThreshold <= 100)) {
                throw new IllegalArgumentException(p + "failure-rate-threshold must be above 0 and at most 100 (percent"
                        + " of failed calls that opens it), not " + failureRateThreshold);
            }
            SettingBounds.between(p + "sliding-window", slidingWindow, 1, 10_000, "calls it looks at");
            SettingBounds.between(p + "minimum-calls", minimumCalls, 1, 10_000, "calls before it may open");
            SettingBounds.between(p + "open-for", openFor, Duration.ofMillis(100), Duration.ofDays(1),
                    "time open before half-open probes");
            SettingBounds.between(p + "half-open-calls", halfOpenCalls, 1, 1_000, "probes in half-open");
        }
    }

    /**
     * The bounds of one evaluation of an endpoint's JSONata filter (filters come from API callers; the
     * dispatcher evaluates them for every message, for every endpoint, on one thread).
     *
     * @param timeout longer is an error: the message is not sent to that endpoint; 1ms..10s
     * @param maxDepth deeper nesting or recursion is the same error; 1..10000
     */
    record Filter(
            @DefaultValue("100ms") Duration timeout,
            @DefaultValue("200") int maxDepth) {

        Filter {
            SettingBounds.between("hooksync.outbound.filter.timeout", timeout, Duration.ofMillis(1),
                    Duration.ofSeconds(10), "one filter evaluation holds the dispatcher's thread");
            SettingBounds.between("hooksync.outbound.filter.max-depth", maxDepth, 1, 10_000,
                    "nesting of one filter evaluation");
        }
    }

    /**
     * An endpoint declared in configuration; the id is its key. The secret is env:NAME or file:/path.
     *
     * @param url the receiver
     * @param description free text
     * @param eventTypes exact types, prefix.* or *
     * @param filter JSONata condition on the message data
     * @param headers extra request headers
     * @param secret env:NAME or file:/path of a whsec_... secret
     * @param enabled send to it
     * @param ordered one message per entity at a time, in order
     */
    record DeclaredEndpoint(
            String url,
            String description,
            List<String> eventTypes,
            String filter,
            Map<String, String> headers,
            String secret,
            @DefaultValue("true") boolean enabled,
            @DefaultValue("false") boolean ordered,
            Integer maxInFlight) {
    }
}
