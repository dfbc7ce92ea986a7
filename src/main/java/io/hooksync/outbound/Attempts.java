package io.hooksync.outbound;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One HTTP attempt of a claimed delivery, on its endpoint's bulkhead thread: asks the {@link SendGate} (a
 * stopped endpoint's delivery is released, not sent) and the breaker (refused: deferred, no attempt counted),
 * signs and posts the Standard Webhooks body, and hands the result to the recorder. 2xx delivered, 410 gone
 * (the gate stops the endpoint at once), other answers and I/O errors failed with the next time from
 * {@link RetryPolicy}; an address the SSRF guard refuses is refused without touching the breaker.
 */
final class Attempts {

    private static final Logger log = LoggerFactory.getLogger(Attempts.class);

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

    /** Attempts {@code claimed} for the endpoint as it is now ({@code stale} is how it was when claimed). */
    void attempt(Endpoint stale, Lane lane, Delivery.Claimed claimed) {
        long started = clock.millis();
        Endpoint endpoint = endpoints.current(started).get(stale.id());
        String stopped = gate.stopped(stale.id(), endpoint);
        if (stopped != null) {
            results.accept(new Delivery.Result(claimed, Delivery.Outcome.RELEASED, started, null, 0, null,
                    "not sent: " + stopped, started));
            metrics.released(stale.id());
            return;
        }
        if (!lane.breaker().tryAcquirePermission()) {
            results.accept(new Delivery.Result(claimed, Delivery.Outcome.DEFERRED, started, null, 0, null,
                    "circuit breaker open", started + openFor.toMillis()));
            metrics.deferred(endpoint.id());
            return;
        }
        Delivery.Result result = send(endpoint, lane, claimed, started);
        metrics.attempt(endpoint.id(), result.outcome(), result.latencyMs());
        results.accept(result);
    }

    private Delivery.Result send(Endpoint endpoint, Lane lane, Delivery.Claimed claimed, long started) {
        long t0 = System.nanoTime();
        try {
            byte[] body = WebhookBody.of(json, claimed.message());
            Map<String, String> headers = new LinkedHashMap<>(endpoint.headers());
            long seconds = started / 1000;
            headers.put("webhook-id", claimed.message().id());
            headers.put("webhook-timestamp", Long.toString(seconds));
            headers.put("webhook-signature", Signatures.header(claimed.message().id(), seconds, body,
                    endpoint.signingKeys(started)));
            HttpSender.Answer answer = sender.post(endpoint.url(), headers, body);
            return answered(endpoint, lane, claimed, started, answer, System.nanoTime() - t0);
        } catch (IOException | RuntimeException e) {
            long elapsed = System.nanoTime() - t0;
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
