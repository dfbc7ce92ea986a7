package io.hooksync.outbound;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One HTTP attempt of a claimed delivery, started by the deliverer when its endpoint's limit allows one more request
 * in flight: asks the {@link SendGate} (a stopped endpoint's delivery is released, not sent) and the breaker
 * (refused: deferred, no attempt counted), signs and starts the POST of the Standard Webhooks body, and hands the
 * result to the recorder when the answer (or the failure) arrives. 2xx delivered, 410 gone
 * (the gate stops the endpoint at once), other answers and I/O errors failed with the next time from
 * {@link RetryPolicy}; an address the SSRF guard refuses is refused without touching the breaker.
 */
final class Attempts {

    private static final Logger log = LoggerFactory.getLogger(Attempts.class);
    /** Answers below 500 that say the receiver cannot take more now (request timeout, too many requests). */
    private static final Set<Integer> OVERLOADED = Set.of(408, 429);

    private final EndpointDirectory endpoints;
    private final SendGate gate;
    private final HttpSender sender;
    private final RetryPolicy retry;
    private final Duration openFor;
    private final Clock clock;
    private final DeliveryMetrics metrics;
    private final Consumer<Delivery.Result> results;
    private final ObjectMapper json;

    Attempts(EndpointDirectory endpoints, SendGate gate, HttpSender sender, RetryPolicy retry, Duration openFor,
             Clock clock, DeliveryMetrics metrics, Consumer<Delivery.Result> results, ObjectMapper json) {
        this.json = json;
        this.endpoints = endpoints;
        this.gate = gate;
        this.sender = sender;
        this.retry = retry;
        this.openFor = openFor;
        this.clock = clock;
        this.metrics = metrics;
        this.results = results;
    }

    /**
     * Starts the attempt of {@code claimed} for the endpoint as it is now ({@code stale} is how it was when claimed)
     * and returns; {@code finished} gets what the result says about the receiver's load ({@link #signal}) once the
     * result is with the recorder, on the thread that completed the request (an I/O thread of the
     * {@link HttpSender}), or before this returns when nothing was sent. Reads no database: the endpoint comes from
     * the directory's snapshot, which the scheduler keeps fresh.
     */
    void attempt(Endpoint stale, Lane lane, Delivery.Claimed claimed, Consumer<Lane.Signal> finished) {
        long started = clock.millis();
        Endpoint endpoint = endpoints.cached().get(stale.id());
        String stopped = gate.stopped(stale.id(), endpoint);
        if (stopped != null) {
            results.accept(new Delivery.Result(claimed, Delivery.Outcome.RELEASED, started, null, 0, null,
                    "not sent: " + stopped, started));
            metrics.released(stale.id());
            finished.accept(Lane.Signal.NONE);
            return;
        }
        if (!lane.breaker().tryAcquirePermission()) {
            results.accept(new Delivery.Result(claimed, Delivery.Outcome.DEFERRED, started, null, 0, null,
                    "circuit breaker open", started + openFor.toMillis()));
            metrics.deferred(endpoint.id());
            finished.accept(Lane.Signal.NONE);
            return;
        }
        long t0 = System.nanoTime();
        CompletableFuture<HttpSender.Answer> call;
        try {
            byte[] body = WebhookBody.of(json, claimed.message());
            Map<String, String> headers = new LinkedHashMap<>(endpoint.headers());
            long seconds = started / 1000;
            headers.put("webhook-id", claimed.message().id());
            headers.put("webhook-timestamp", Long.toString(seconds));
            headers.put("webhook-signature", Signatures.header(claimed.message().id(), seconds, body,
                    endpoint.signingKeys(started)));
            call = sender.post(endpoint.id(), endpoint.url(), headers, body);
        } catch (RuntimeException e) {
            call = CompletableFuture.failedFuture(e);
        }
        call.whenComplete((answer, error) -> {
            Lane.Signal signal = Lane.Signal.NONE;
            try {
                long elapsed = System.nanoTime() - t0;
                Delivery.Result result = error == null
                        ? answered(endpoint, lane, claimed, started, answer, elapsed)
                        : failed(endpoint, lane, claimed, started, error instanceof CompletionException c && c.getCause() != null
                                ? c.getCause() : error, elapsed);
                signal = signal(result);
                metrics.attempt(endpoint.id(), result.outcome(), result.latencyMs());
                results.accept(result);
            } catch (RuntimeException e) {   // not expected; the claim comes back when its lease ends
                log.error("Delivery {} to endpoint {}: result not recorded", claimed.deliveryId(), endpoint.id(), e);
            } finally {
                finished.accept(signal);
            }
        });
    }

    /**
     * What a sent attempt's result says about the receiver's load, for the endpoint's limit of requests in flight:
     * delivered is a success; no answer (timeout, connection refused or reset) or 408, 429 or 5xx is a sign of
     * overload; anything else (another 4xx: the receiver refused that message, not the load; the guard refused the
     * address; 410) says nothing.
     */
    static Lane.Signal signal(Delivery.Result result) {
        if (result.outcome() == Delivery.Outcome.DELIVERED) {
            return Lane.Signal.SUCCESS;
        }
        if (result.outcome() != Delivery.Outcome.FAILED) {
            return Lane.Signal.NONE;
        }
        Integer status = result.statusCode();
        boolean overloaded = status == null || status >= 500 || OVERLOADED.contains(status);
        return overloaded ? Lane.Signal.CONGESTION : Lane.Signal.NONE;
    }

    private Delivery.Result failed(Endpoint endpoint, Lane lane, Delivery.Claimed claimed, long started, Throwable e,
                                   long elapsed) {
        boolean refused = e instanceof AddressGuard.BlockedAddressException;
        if (refused) {
            log.warn("Endpoint {}: {}", endpoint.id(), e.getMessage());
        } else {
            lane.breaker().onError(elapsed, TimeUnit.NANOSECONDS, e);
        }
        return new Delivery.Result(claimed, refused ? Delivery.Outcome.REFUSED : Delivery.Outcome.FAILED, started,
                null, (int) TimeUnit.NANOSECONDS.toMillis(elapsed), null,
                e.getClass().getSimpleName() + ": " + e.getMessage(), nextAttempt(claimed, null, started));
    }

    private Delivery.Result answered(Endpoint endpoint, Lane lane, Delivery.Claimed claimed, long started,
                                     HttpSender.Answer answer, long elapsed) {
        int latency = (int) TimeUnit.NANOSECONDS.toMillis(elapsed);
        if (answer.status() >= 200 && answer.status() < 300) {
            lane.breaker().onSuccess(elapsed, TimeUnit.NANOSECONDS);
            return new Delivery.Result(claimed, Delivery.Outcome.DELIVERED, started, answer.status(), latency,
                    answer.body(), null, null);
        }
        lane.breaker().onError(elapsed, TimeUnit.NANOSECONDS, new IOException("HTTP " + answer.status()));
        boolean gone = answer.status() == 410;
        if (gone) {
            gate.gone(endpoint.id(), clock.millis());   // nothing more is sent to it from now on
            log.warn("Endpoint {} answered 410 Gone: it is disabled; deliveries claimed for it are released",
                    endpoint.id());
        }
        Long next = gone ? null : nextAttempt(claimed, answer.retryAfter(), started);
        return new Delivery.Result(claimed, gone ? Delivery.Outcome.GONE : Delivery.Outcome.FAILED, started,
                answer.status(), latency, answer.body(), "HTTP " + answer.status(), next);
    }

    private Long nextAttempt(Delivery.Claimed claimed, Duration retryAfter, long now) {
        return retry.next(claimed.attempts() + 1, retryAfter, ThreadLocalRandom.current().nextDouble())
                .map(d -> now + d.toMillis()).orElse(null);
    }
}
