package io.hooksync.outbound;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.resilience4j.bulkhead.ThreadPoolBulkhead;
import io.github.resilience4j.bulkhead.ThreadPoolBulkheadConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends due deliveries. One scheduler thread claims, per endpoint, only as many deliveries as that
 * endpoint's bulkhead (a Resilience4j thread pool of {@code concurrency-per-endpoint} threads and a
 * small queue) can take, so a slow or dead endpoint holds its own threads and nobody else's. Each
 * endpoint has a Resilience4j circuit breaker: while it is open nothing is claimed for the endpoint;
 * a delivery refused by it is rescheduled without counting an attempt; half-open probes close it.
 * Before each attempt the {@link SendGate} is asked: a delivery claimed or queued for an endpoint that
 * has since answered 410 Gone, or was disabled or deleted, is released instead of sent.
 * Results go to one recorder thread that writes them in batches ({@link DeliveryStore#record}).
 */
final class Deliverer {

    private static final Logger log = LoggerFactory.getLogger(Deliverer.class);

    private final DeliveryStore store;
    private final EndpointDirectory endpoints;
    private final HttpSender sender;
    private final RetryPolicy retry;
    private final OutboundProperties.Delivery settings;
    private final CircuitBreakerRegistry breakers;
    private final Clock clock;
    private final String instance;
    private final Map<String, Lane> lanes = new ConcurrentHashMap<>();
    private final SendGate gate = new SendGate();
    private final BlockingQueue<Delivery.Result> results = new LinkedBlockingQueue<>();
    private final DeliveryMetrics metrics;
    private final ObjectMapper json;
    private final Duration openFor;
    private final long leaseMs;
    private final Duration retention;
    private long prunedAt = System.currentTimeMillis();   // recorder thread only; first pruning a minute after start
    private Set<String> due = new LinkedHashSet<>();   // scheduler thread only
    private long dueReadAt = Long.MIN_VALUE / 2;
    private volatile boolean running;
    private Thread scheduler;
    private Thread recorder;

    /** An endpoint's bulkhead, breaker and count of claimed, unfinished deliveries. */
    private record Lane(ThreadPoolBulkhead bulkhead, CircuitBreaker breaker, AtomicInteger inFlight, int capacity) {
        int free() {
            return capacity - inFlight.get();
        }
    }

    Deliverer(DeliveryStore store, EndpointDirectory endpoints, HttpSender sender, OutboundProperties properties,
              Clock clock, String instance, DeliveryMetrics metrics, ObjectMapper json) {
        this.json = json;
        this.store = store;
        this.endpoints = endpoints;
        this.sender = sender;
        this.settings = properties.delivery();
        this.retry = new RetryPolicy(settings.schedule(), settings.jitter(), settings.maxRetryAfter());
        OutboundProperties.Breaker b = properties.breaker();
        this.breakers = CircuitBreakerRegistry.of(CircuitBreakerConfig.custom()
                .failureRateThreshold(b.failureRateThreshold())
                .slidingWindowSize(b.slidingWindow())
                .minimumNumberOfCalls(b.minimumCalls())
                .waitDurationInOpenState(b.openFor())
                .permittedNumberOfCallsInHalfOpenState(b.halfOpenCalls())
                .automaticTransitionFromOpenToHalfOpenEnabled(true)
                .recordExceptions(Exception.class)
                .build());
        this.clock = clock;
        this.instance = instance;
        this.metrics = metrics;
        this.openFor = b.openFor();
        this.retention = properties.retention();
        // a claim may wait behind a full bulkhead queue of slow attempts: the lease covers that, so another
        // instance never takes over a delivery this one still holds (a crash makes them wait this long)
        int threads = Math.max(1, settings.concurrencyPerEndpoint());
        int rounds = (Math.max(1, settings.queuePerEndpoint()) + threads - 1) / threads + 1;
        this.leaseMs = rounds * settings.connectTimeout().plus(settings.timeout()).toMillis() + settings.leaseMargin().toMillis();
    }

    RetryPolicy retryPolicy() {
        return retry;
    }

    /** The breaker state of every endpoint that has sent something since startup. */
    Map<String, String> breakerStates() {
        Map<String, String> states = new LinkedHashMap<>();
        lanes.forEach((id, lane) -> states.put(id, lane.breaker().getState().name()));
        return states;
    }

    void start() {
        running = true;
        scheduler = new Thread(this::schedule, "hooksync-delivery-scheduler");
        recorder = new Thread(this::record, "hooksync-delivery-recorder");
        scheduler.setDaemon(true);
        recorder.setDaemon(true);
        scheduler.start();
        recorder.start();
    }

    /** Stops claiming, lets the attempts in flight finish (bounded by the timeout), writes their results, releases the rest. */
    void stop() throws InterruptedException {
        running = false;
        scheduler.interrupt();
        scheduler.join(5_000);
        long deadline = System.nanoTime() + settings.timeout().plusSeconds(2).toNanos();
        while (lanes.values().stream().anyMatch(l -> l.inFlight().get() > 0) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        lanes.values().forEach(l -> {
            try {
                l.bulkhead().close();
            } catch (Exception e) {
                log.debug("bulkhead close: {}", e.getMessage());
            }
        });
        recorder.interrupt();
        recorder.join(10_000);
        flush();
        try {
            store.release(instance);
        } catch (RuntimeException e) {
            log.warn("Could not release claimed deliveries at shutdown (they come back when their lease ends): {}",
                    e.getMessage());
        }
    }

    private void schedule() {
        long backoff = 0;
        while (running) {
            try {
                int claimed = tick(clock.millis());
                backoff = 0;
                if (claimed == 0) {
                    // until the poll interval passes or an endpoint's bulkhead has room again (see attempt)
                    LockSupport.parkNanos(settings.pollInterval().toNanos());
                    if (Thread.interrupted()) {
                        return;
                    }
                }
            } catch (RuntimeException e) {
                backoff = Math.min(30_000, Math.max(500, backoff * 2));
                log.warn("Delivery scheduler: {}; retrying in {} ms", e.getMessage(), backoff);
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /**
     * Claims what can be sent now; returns how many deliveries were claimed. Which endpoints have due
     * deliveries is asked of the database at most once per poll interval; in between (woken because a
     * bulkhead has room) only endpoints whose last claim came back full are asked again.
     */
    int tick(long now) {
        Map<String, Endpoint> all = endpoints.current(now);
        if (now - dueReadAt >= settings.pollInterval().toMillis()) {
            due = new LinkedHashSet<>(store.dueEndpoints(now));
            dueReadAt = now;
            retireLanes(all);
        }
        int claimed = 0;
        for (Iterator<String> ids = due.iterator(); ids.hasNext(); ) {
            String id = ids.next();
            Endpoint endpoint = all.get(id);
            if (gate.stopped(id, endpoint) != null) {
                ids.remove();
                continue;
            }
            Lane lane = lanes.computeIfAbsent(id, this::lane);
            CircuitBreaker.State state = lane.breaker().getState();
            if (state == CircuitBreaker.State.OPEN || state == CircuitBreaker.State.FORCED_OPEN) {
                continue;
            }
            int free = state == CircuitBreaker.State.HALF_OPEN ? Math.min(1, lane.free()) : lane.free();
            if (free <= 0) {
                continue;
            }
            List<Delivery.Claimed> batch = store.claim(id, endpoint.ordered(), now, free, instance, now + leaseMs);
            if (batch.size() < free) {
                ids.remove();   // drained for now; the next database read brings it back when more is due
            }
            for (Delivery.Claimed c : batch) {
                lane.inFlight().incrementAndGet();
                claimed++;
                try {
                    lane.bulkhead().executeRunnable(() -> attempt(endpoint, lane, c));
                } catch (RuntimeException full) {
                    lane.inFlight().decrementAndGet();
                    results.add(new Delivery.Result(c, Delivery.Outcome.DEFERRED, now, null, 0, null,
                            "bulkhead full", now + 1_000));
                }
            }
        }
        return claimed;
    }

    /** Threads of endpoints that were deleted or disabled and have nothing in flight are given back. */
    private void retireLanes(Map<String, Endpoint> all) {
        lanes.entrySet().removeIf(entry -> {
            Endpoint endpoint = all.get(entry.getKey());
            boolean retire = (endpoint == null || !endpoint.enabled()) && entry.getValue().inFlight().get() == 0;
            if (retire) {
                try {
                    entry.getValue().bulkhead().close();
                } catch (Exception e) {
                    log.debug("bulkhead close: {}", e.getMessage());
                }
                breakers.remove(entry.getKey());
            }
            return retire;
        });
    }

    private Lane lane(String endpointId) {
        int threads = Math.max(1, settings.concurrencyPerEndpoint());
        ThreadPoolBulkhead bulkhead = ThreadPoolBulkhead.of("endpoint-" + endpointId, ThreadPoolBulkheadConfig.custom()
                .coreThreadPoolSize(threads)
                .maxThreadPoolSize(threads)
                .queueCapacity(Math.max(1, settings.queuePerEndpoint()))
                .keepAliveDuration(Duration.ofSeconds(60))
                .build());
        return new Lane(bulkhead, breakers.circuitBreaker(endpointId), new AtomicInteger(),
                threads + Math.max(1, settings.queuePerEndpoint()));
    }

    private void attempt(Endpoint stale, Lane lane, Delivery.Claimed claimed) {
        long started = clock.millis();
        try {
            Endpoint endpoint = endpoints.current(started).get(stale.id());
            String stopped = gate.stopped(stale.id(), endpoint);
            if (stopped != null) {
                results.add(new Delivery.Result(claimed, Delivery.Outcome.RELEASED, started, null, 0, null,
                        "not sent: " + stopped, started));
                metrics.released(stale.id());
                return;
            }
            if (!lane.breaker().tryAcquirePermission()) {
                results.add(new Delivery.Result(claimed, Delivery.Outcome.DEFERRED, started, null, 0, null,
                        "circuit breaker open", started + openFor.toMillis()));
                metrics.deferred(endpoint.id());
                return;
            }
            long t0 = System.nanoTime();
            Delivery.Result result;
            try {
                byte[] body = body(json, claimed.message());
                Map<String, String> headers = new LinkedHashMap<>(endpoint.headers());
                long seconds = started / 1000;
                headers.put("webhook-id", claimed.message().id());
                headers.put("webhook-timestamp", Long.toString(seconds));
                headers.put("webhook-signature", Signatures.header(claimed.message().id(), seconds, body,
                        endpoint.signingKeys(started)));
                HttpSender.Answer answer = sender.post(endpoint.url(), headers, body);
                long elapsed = System.nanoTime() - t0;
                int latency = (int) TimeUnit.NANOSECONDS.toMillis(elapsed);
                if (answer.status() >= 200 && answer.status() < 300) {
                    lane.breaker().onSuccess(elapsed, TimeUnit.NANOSECONDS);
                    result = new Delivery.Result(claimed, Delivery.Outcome.DELIVERED, started, answer.status(), latency,
                            answer.body(), null, null);
                } else {
                    lane.breaker().onError(elapsed, TimeUnit.NANOSECONDS, new IOException("HTTP " + answer.status()));
                    boolean gone = answer.status() == 410;
                    if (gone) {
                        gate.gone(endpoint.id(), clock.millis());   // nothing more is sent to it from now on
                        log.warn("Endpoint {} answered 410 Gone: it is disabled; deliveries claimed for it are released",
                                endpoint.id());
                    }
                    Long next = gone ? null : nextAttempt(claimed, answer.retryAfter(), started);
                    result = new Delivery.Result(claimed, gone ? Delivery.Outcome.GONE : Delivery.Outcome.FAILED, started,
                            answer.status(), latency, answer.body(), "HTTP " + answer.status(), next);
                }
            } catch (IOException | RuntimeException e) {
                long elapsed = System.nanoTime() - t0;
                boolean refused = e instanceof AddressGuard.BlockedAddressException;
                if (refused) {
                    log.warn("Endpoint {}: {}", endpoint.id(), e.getMessage());
                } else {
                    lane.breaker().onError(elapsed, TimeUnit.NANOSECONDS, e);
                }
                result = new Delivery.Result(claimed, refused ? Delivery.Outcome.REFUSED : Delivery.Outcome.FAILED, started,
                        null, (int) TimeUnit.NANOSECONDS.toMillis(elapsed), null,
                        e.getClass().getSimpleName() + ": " + e.getMessage(), nextAttempt(claimed, null, started));
            }
            metrics.attempt(endpoint.id(), result.outcome(), result.latencyMs());
            results.add(result);
        } finally {
            if (lane.inFlight().decrementAndGet() == lane.capacity() / 2) {
                LockSupport.unpark(scheduler);   // half the bulkhead is free: claim more now rather than at the next poll
            }
        }
    }

    private Long nextAttempt(Delivery.Claimed claimed, Duration retryAfter, long now) {
        return retry.next(claimed.attempts() + 1, retryAfter, ThreadLocalRandom.current().nextDouble())
                .map(d -> now + d.toMillis()).orElse(null);
    }

    /** The Standard Webhooks body: type, timestamp of the message and its data. */
    static byte[] body(ObjectMapper json, Delivery.Message message) {
        ObjectNode body = json.createObjectNode();
        body.put("type", message.type());
        body.put("timestamp", Instant.ofEpochMilli(message.createdAt()).toString());
        try {
            JsonNode data = json.readTree(message.payload());
            body.set("data", data);
            return json.writeValueAsString(body).getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("message " + message.id() + " has a payload that is not JSON", e);
        }
    }

    /** Prunes old delivery history now and then from the recorder thread (one writer, short transactions). */
    private void pruneNowAndThen() {
        long now = clock.millis();
        if (now - prunedAt < 60_000) {
            return;
        }
        prunedAt = now;
        try {
            int removed;
            int total = 0;
            do {
                removed = store.prune(now - retention.toMillis(), 1_000);
                total += removed;
            } while (removed > 0 && results.size() < 1_000 && running);
            if (total > 0) {
                log.info("Pruned {} delivery history rows older than {}", total, retention);
            }
        } catch (RuntimeException e) {
            log.warn("Pruning delivery history failed ({}); trying again later", e.getMessage());
        }
    }

    private void record() {
        while (running || !results.isEmpty()) {
            pruneNowAndThen();
            try {
                Delivery.Result first = results.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                List<Delivery.Result> batch = new ArrayList<>();
                batch.add(first);
                results.drainTo(batch, 999);
                write(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void flush() {
        List<Delivery.Result> rest = new ArrayList<>();
        results.drainTo(rest);
        if (!rest.isEmpty()) {
            write(rest);
        }
    }

    /** Writes a batch, retrying while the database is down: the results stay in memory, the leases keep the deliveries. */
    private void write(List<Delivery.Result> batch) {
        long backoff = 200;
        while (true) {
            try {
                List<String> disabled = store.record(batch, settings.disableAfter().toMillis());
                if (!disabled.isEmpty()) {
                    endpoints.invalidate();
                    disabled.forEach(id -> log.warn("Endpoint {} disabled: see its endpoint.disabled event", id));
                }
                return;
            } catch (RuntimeException e) {
                log.warn("Could not record {} delivery results ({}); retrying in {} ms", batch.size(), e.getMessage(), backoff);
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
                backoff = Math.min(10_000, backoff * 2);
            }
        }
    }
}
