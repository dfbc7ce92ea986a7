package io.hooksync.outbound;

import java.time.Clock;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.netflix.concurrency.limits.Limiter;
import com.netflix.concurrency.limits.limiter.SimpleLimiter;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.hooksync.infra.BackgroundPriority;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends due deliveries. One scheduler thread claims, per endpoint, only as many deliveries as that
 * endpoint's lane can take (its limit of requests in flight and {@code queue-per-endpoint} claims waiting), so a
 * slow or dead endpoint holds its own places and nobody else's. When the endpoint's ceiling (its own
 * {@code maxInFlight}, else {@code concurrency-per-endpoint}) is above its floor ({@code min-concurrency-per-endpoint},
 * or the ceiling if lower; by default 64 and 4; equal: a fixed limit), the limit adapts to the receiver
 * ({@link PacedAimdLimit} in a Netflix concurrency-limits limiter): it starts at the floor, doubles per round trip
 * of delivered answers while at least half of it is in use until the first overload, then grows by one per round
 * trip, up to the ceiling, and is cut to 0.7 once per round trip of overload (see {@link Attempts#signal}), never
 * below the floor. No thread
 * waits for an answer: an attempt is started (by the scheduler after a claim, or by the I/O thread that completed
 * the lane's previous request) and its answer handled by the {@link HttpSender}'s I/O threads, which start the
 * lane's next waiting claim at once. Each endpoint has a Resilience4j circuit breaker: while it is open nothing is
 * claimed for the endpoint; a delivery refused by it is rescheduled without counting an attempt; half-open probes
 * close it. Before each attempt the
 * {@link SendGate} is asked: a delivery claimed or queued for an endpoint that has since answered 410 Gone, or
 * was disabled or deleted, is released instead of sent. The attempt itself is {@link Attempts}; results go to
 * one recorder thread ({@link ResultRecorder}) that writes them in batches and prunes old history
 * ({@link HistoryPruner}).
 */
final class Deliverer {

    private static final Logger log = LoggerFactory.getLogger(Deliverer.class);

    private final DeliveryStore store;
    private final EndpointDirectory endpoints;
    private final RetryPolicy retry;
    private final OutboundProperties.Delivery settings;
    private final CircuitBreakerRegistry breakers;
    private final Clock clock;
    private final String instance;
    private final Map<String, Lane> lanes = new ConcurrentHashMap<>();
    /** The lane this thread is starting attempts of: one that finishes at once (not sent) does not start more itself. */
    private static final ThreadLocal<Lane> STARTING = new ThreadLocal<>();
    private final SendGate gate = new SendGate();
    private final ResultRecorder recorder;
    private final Attempts attempts;
    private final DeliveryMetrics metrics;
    private final ClaimLeases leases;   // scheduler thread only
    private Set<String> due = new LinkedHashSet<>();   // scheduler thread only
    private final Set<String> arrived = ConcurrentHashMap.newKeySet();   // endpoints with new deliveries (dispatcher)
    private long dueReadAt = Long.MIN_VALUE / 2;
    private volatile boolean running;
    private volatile Thread scheduler;

    Deliverer(DeliveryStore store, EndpointDirectory endpoints, HttpSender sender, OutboundProperties properties,
              Clock clock, String instance, DeliveryMetrics metrics, ObjectMapper json) {
        this.store = store;
        this.endpoints = endpoints;
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
        this.recorder = new ResultRecorder(store, endpoints, settings.disableAfter().toMillis(),
                new HistoryPruner(store, properties.retention(), clock));
        this.attempts = new Attempts(endpoints, gate, sender, retry, b.openFor(), clock, metrics, recorder::add, json);
        this.metrics = metrics;
        // a claim may wait behind a full queue of slow attempts at the lowest limit: the lease covers that, so
        // another instance never takes over a delivery this one still holds (a crash makes them wait this long)
        int concurrency = settings.minConcurrency();
        int rounds = (Math.max(1, settings.queuePerEndpoint()) + concurrency - 1) / concurrency + 1;
        this.leases = new ClaimLeases(rounds * settings.connectTimeout().plus(settings.timeout()).toMillis()
                + settings.leaseMargin().toMillis());
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
        scheduler = BackgroundPriority.thread("hooksync-delivery-scheduler", this::schedule);
        scheduler.start();
        recorder.start();
    }

    /** Stops claiming, lets the attempts in flight finish (bounded by the timeout), writes their results, releases the rest. */
    void stop() throws InterruptedException {
        running = false;   // from here on no attempt is started (see start)
        scheduler.interrupt();
        scheduler.join(5_000);
        lanes.values().forEach(lane -> {   // never started: released with the rest below
            for (Lane.Waiting waiting; (waiting = lane.waiting().poll()) != null; ) {
                lane.inFlight().decrementAndGet();
            }
        });
        long deadline = System.nanoTime() + settings.timeout().plusSeconds(2).toNanos();
        while (lanes.values().stream().anyMatch(l -> l.inFlight().get() > 0) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        recorder.stop();
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
                    // until the poll interval passes or a lane's queue is half empty again (see finished)
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
     * lane's queue is half empty) only endpoints whose last claim came back full are asked again.
     */
    int tick(long now) {
        Map<String, Endpoint> all = endpoints.current(now);
        if (now - dueReadAt >= settings.pollInterval().toMillis()) {
            due = new LinkedHashSet<>(store.dueEndpoints(now));
            dueReadAt = now;
            retireLanes(all);
            lanes.forEach((id, lane) -> fit(lane, all.get(id)));
        }
        if (!arrived.isEmpty()) {
            for (Iterator<String> ids = arrived.iterator(); ids.hasNext(); ) {
                due.add(ids.next());
                ids.remove();
            }
        }
        lanes.values().forEach(this::start);   // claims still waiting go first, due or not
        int claimed = 0;
        for (Iterator<String> ids = due.iterator(); ids.hasNext(); ) {
            String id = ids.next();
            Endpoint endpoint = all.get(id);
            if (gate.stopped(id, endpoint) != null) {
                ids.remove();
                continue;
            }
            Lane lane = lanes.computeIfAbsent(id, key -> lane(endpoint));
            CircuitBreaker.State state = lane.breaker().getState();
            if (state == CircuitBreaker.State.OPEN || state == CircuitBreaker.State.FORCED_OPEN) {
                continue;
            }
            int free = state == CircuitBreaker.State.HALF_OPEN ? Math.min(1, lane.free()) : lane.free();
            // a lane whose queue still holds claims takes more up to its capacity (they queue behind, in claim
            // order), so it never runs dry between wake-ups; half-open, only the one probe
            if (free <= 0 || state == CircuitBreaker.State.HALF_OPEN && !lane.waiting().isEmpty()) {
                continue;
            }
            List<Delivery.Claimed> batch = store.claim(id, endpoint.ordered(), now, free, instance, leases.next(now));
            if (batch.size() < free) {
                ids.remove();   // drained for now; the next database read brings it back when more is due
            }
            for (Delivery.Claimed c : batch) {
                lane.inFlight().incrementAndGet();
                lane.waiting().add(new Lane.Waiting(endpoint, c));
                claimed++;
            }
            start(lane);
        }
        return claimed;
    }

    /**
     * Starts a lane's waiting claims, in claim order, while its limit allows more requests in flight. Runs on the
     * scheduler and on the I/O threads that finish the lane's attempts; an attempt that finishes at once (not sent)
     * inside this loop only gives its place back and the loop goes on, so a long queue of refused claims does not
     * nest calls.
     */
    private void start(Lane lane) {
        Lane outer = STARTING.get();
        if (outer == lane) {
            return;
        }
        STARTING.set(lane);
        try {
            while (running && !lane.waiting().isEmpty()) {
                Optional<Limiter.Listener> place = lane.limiter().acquire(null);
                if (place.isEmpty()) {
                    return;
                }
                Lane.Waiting next = lane.waiting().poll();
                if (next == null) {   // taken by another thread since: give the place back and look again
                    place.get().onIgnore();
                    continue;
                }
                AtomicBoolean done = new AtomicBoolean();
                Consumer<Lane.Signal> finished = signal -> {
                    if (done.compareAndSet(false, true)) {
                        finished(lane, place.get(), signal);
                    }
                };
                try {
                    attempts.attempt(next.endpoint(), lane, next.claimed(), finished);
                } catch (RuntimeException e) {   // not expected: the place is given back, the claim returns with its lease
                    log.error("Delivery {} to endpoint {} not attempted", next.claimed().deliveryId(),
                            next.endpoint().id(), e);
                    finished.accept(Lane.Signal.NONE);
                }
            }
        } finally {
            STARTING.set(outer);
        }
    }

    /**
     * An attempt's result is with the recorder: what it says about the receiver's load goes to the limit, and its
     * place to the lane's next waiting claim.
     */
    private void finished(Lane lane, Limiter.Listener place, Lane.Signal signal) {
        switch (signal) {
            case SUCCESS -> place.onSuccess();
            case CONGESTION -> place.onDropped();
            case NONE -> place.onIgnore();
        }
        // claims waiting (unfinished, not at the receiver) at most half the queue: claim more before the lane runs
        // dry, whatever the limit (at 64 requests in flight, "half the lane free" meant "nothing left waiting", and
        // the lane emptied while the claim ran); no crossing test, as the limit may have moved since the last finish
        boolean lowQueue = lane.inFlight().decrementAndGet() - lane.limiter().getInflight() <= lane.queue() / 2;
        start(lane);
        if (lowQueue) {   // claim now, not at the next poll; once topped up the queue is above half again
            LockSupport.unpark(scheduler);
        }
    }

    /**
     * New deliveries for these endpoints were committed (by this instance's dispatcher). An endpoint whose lane is
     * at most half busy gets them claimed now rather than at the next poll; a busier lane is served when half of it
     * is free again (see {@link #finished}), so that under load claims stay large: waking for every commit made
     * claims of one or two deliveries, four queries each, which cost more than they saved.
     */
    void arrived(Collection<String> endpointIds) {
        arrived.addAll(endpointIds);
        boolean idle = endpointIds.stream().anyMatch(id -> {
            Lane lane = lanes.get(id);
            return lane == null || lane.free() >= lane.capacity() / 2;
        });
        Thread thread = scheduler;
        if (idle && thread != null) {
            LockSupport.unpark(thread);
        }
    }

    /** Lanes of endpoints that were deleted or disabled and have nothing in flight are dropped with their breakers. */
    private void retireLanes(Map<String, Endpoint> all) {
        lanes.entrySet().removeIf(entry -> {
            Endpoint endpoint = all.get(entry.getKey());
            boolean retire = (endpoint == null || !endpoint.enabled()) && entry.getValue().inFlight().get() == 0;
            if (retire) {
                breakers.remove(entry.getKey());
                metrics.laneRetired(entry.getKey());
            }
            return retire;
        });
    }

    private Lane lane(Endpoint endpoint) {
        int max = ceiling(endpoint.maxInFlight());
        int min = floor(max);
        // cut to 0.7 (TCP CUBIC's factor) once per round trip of overload; an answer slower than half the timeout
        // says the receiver is struggling, as a failure does (equal bounds: a fixed limit)
        PacedAimdLimit limit = new PacedAimdLimit(min, max, 0.7, settings.timeout().toNanos() / 2);
        SimpleLimiter<Void> limiter = SimpleLimiter.newBuilder().named("endpoint-" + endpoint.id()).limit(limit).build();
        Lane lane = new Lane(limiter, limit, breakers.circuitBreaker(endpoint.id()), endpoint.maxInFlight(), queue(min));
        metrics.lane(endpoint.id(), lane);
        return lane;
    }

    /** An endpoint whose own maximum was changed since its lane was made gets the new bounds. */
    private void fit(Lane lane, Endpoint endpoint) {
        if (endpoint != null && !Objects.equals(lane.ownMaximum(), endpoint.maxInFlight())) {
            int max = ceiling(endpoint.maxInFlight());
            lane.resize(endpoint.maxInFlight(), floor(max), max, queue(floor(max)));
            log.info("Endpoint {}: at most {} requests in flight from now on", endpoint.id(), max);
        }
    }

    private int ceiling(Integer ownMaximum) {
        return ownMaximum != null ? ownMaximum : settings.concurrencyPerEndpoint();
    }

    private int floor(int ceiling) {
        return Math.min(settings.minConcurrency(), ceiling);
    }

    /**
     * Claims that may wait behind a lane whose floor is {@code floor}: {@code queue-per-endpoint}, scaled down for an
     * own maximum below {@code min-concurrency-per-endpoint}, so that the claims' lease (sized for the queue at that
     * floor, see the constructor) still covers the wait of the last one for its turn.
     */
    private int queue(int floor) {
        return Math.max(1, settings.queuePerEndpoint() * floor / settings.minConcurrency());
    }
}
