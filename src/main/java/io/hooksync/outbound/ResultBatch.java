package io.hooksync.outbound;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.hooksync.infra.envelope.EventTypePatterns;

/**
 * A batch of delivery results sorted for {@link DeliveryStore#record}: the attempt rows, the delivery updates,
 * per endpoint whether it succeeded, when it first failed and whether it answered 410, and the
 * {@code message.attempt.exhausted} events of exhausted schedules (not for operational messages themselves).
 */
final class ResultBatch {

    final List<Object[]> attempts = new ArrayList<>();
    final List<Object[]> updates = new ArrayList<>();
    final List<DeliveryStore.Operational> events = new ArrayList<>();
    final Map<String, Long> failedAt = new LinkedHashMap<>();
    final Map<String, Boolean> succeeded = new LinkedHashMap<>();
    final Map<String, String> gone = new LinkedHashMap<>();

    static ResultBatch of(List<Delivery.Result> results) {
        ResultBatch batch = new ResultBatch();
        results.forEach(batch::add);
        return batch;
    }

    private void add(Delivery.Result r) {
        Delivery.Claimed c = r.claimed();
        int attemptCount = c.attempts() + (r.countsAsAttempt() ? 1 : 0);
        long next = r.nextAttemptAt() == null ? 0 : r.nextAttemptAt();
        updates.add(new Object[]{r.status(), attemptCount, next, r.statusCode(), DeliveryStore.truncate(r.error(), 500),
                r.attemptedAt(), c.deliveryId(), c.lease()});
        if (!r.countsAsAttempt()) {
            return;
        }
        attempts.add(new Object[]{c.endpointId(), c.message().id(), r.attemptedAt(),
                r.outcome().name().toLowerCase(Locale.ROOT), r.statusCode(), r.latencyMs(),
                DeliveryStore.truncate(r.responseBody(), 2000), DeliveryStore.truncate(r.error(), 500)});
        if (r.outcome() == Delivery.Outcome.DELIVERED) {
            succeeded.put(c.endpointId(), true);
            failedAt.remove(c.endpointId());
        } else {
            failedAt.putIfAbsent(c.endpointId(), r.attemptedAt());
            if (r.outcome() == Delivery.Outcome.GONE) {
                gone.put(c.endpointId(), "the receiver answered 410 Gone");
            }
        }
        if (r.exhausted() && !EventTypePatterns.operational(c.message().type())) {
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("endpointId", c.endpointId());
            data.put("messageId", c.message().id());
            data.put("eventType", c.message().type());
            data.put("attempts", attemptCount);
            data.put("lastStatusCode", r.statusCode());
            data.put("lastError", r.error());
            events.add(new DeliveryStore.Operational("message.attempt.exhausted", c.endpointId() + ":" + c.message().id(),
                    data, c.message().id()));
        }
    }
}
