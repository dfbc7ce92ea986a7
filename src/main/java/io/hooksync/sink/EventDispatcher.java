package io.hooksync.sink;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

import io.hooksync.infra.consumer.FailureKind;
import io.hooksync.infra.consumer.Failures;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The per-event form of {@code hooksync:events} ({@code mode=event}): runs the route once per wanted event of a
 * poll, partition by partition in offset order, and commits each partition up to its first event that is not
 * settled. That event stops its partition (later events of the partition are not run, so nothing is applied out of
 * order): the consumer seeks back to it and retries after the breaker's backoff, while the other partitions of the
 * poll go on. What happens to a failed event follows the consumer-loop rules ({@link Failures}): an outage (database
 * or network down) is retried without limit; poison (e.g. a payload that is not JSON) is dead-lettered at once;
 * anything else is retried {@code maxAttempts} times, then dead-lettered, so no event blocks its partition forever.
 * One instance per consumer thread (it remembers the attempts of the event each partition is stuck on).
 */
final class EventDispatcher {

    private static final Logger log = LoggerFactory.getLogger(EventDispatcher.class);

    /** Runs the route for one event: {@code null} when a Hooksync step settled it, otherwise why not. */
    interface Route {
        Exception run(InboundEvent event);
    }

    /** Sets an event aside as a dead letter; throws when it cannot (database down: the event is kept). */
    interface DeadLetter {
        void write(InboundEvent event, String error, int attempts);
    }

    private record Stuck(long offset, int attempts) {
    }

    private final String routeId;
    private final int maxAttempts;
    private final Function<ConsumerRecord<byte[], byte[]>, InboundEvent> toEvent;
    private final TypeFilter filter;
    private final Route route;
    private final DeadLetter deadLetter;
    private final SinkMetrics metrics;
    private final Map<TopicPartition, Stuck> stuck = new HashMap<>();

    EventDispatcher(String routeId, int maxAttempts, Function<ConsumerRecord<byte[], byte[]>, InboundEvent> toEvent,
                    TypeFilter filter, Route route, DeadLetter deadLetter, SinkMetrics metrics) {
        this.routeId = routeId;
        this.maxAttempts = Math.max(1, maxAttempts);
        this.toEvent = toEvent;
        this.filter = filter;
        this.route = route;
        this.deadLetter = deadLetter;
        this.metrics = metrics;
    }

    /**
     * Runs the poll's events, commits what was settled and seeks each stopped partition back to its first unsettled
     * event. {@code running} is asked between events: when it turns false the remaining events are put back unrun.
     *
     * @return the failure that stopped a partition (the caller backs off), or {@code null}
     */
    Exception dispatch(Consumer<byte[], byte[]> kafka, ConsumerRecords<byte[], byte[]> records, BooleanSupplier running) {
        Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
        Map<TopicPartition, Long> retryFrom = new HashMap<>();
        Exception failure = null;
        int skipped = 0;
        for (TopicPartition partition : records.partitions()) {
            List<ConsumerRecord<byte[], byte[]>> list = records.records(partition);
            Long stopAt = null;
            for (ConsumerRecord<byte[], byte[]> record : list) {
                if (!running.getAsBoolean()) {
                    stopAt = record.offset();
                    break;
                }
                InboundEvent event = toEvent.apply(record);
                if (!filter.matches(event.type(), event.action())) {
                    skipped++;
                    continue;
                }
                Exception stop = settle(partition, event);
                if (stop != null) {
                    stopAt = record.offset();
                    failure = stop;
                    break;
                }
            }
            long next = stopAt != null ? stopAt : list.get(list.size() - 1).offset() + 1;
            if (next > list.get(0).offset()) {
                commit.put(partition, new OffsetAndMetadata(next));
            }
            if (stopAt != null) {
                retryFrom.put(partition, stopAt);
            }
        }
        metrics.skipped(routeId, skipped);
        retryFrom.forEach(kafka::seek);
        if (!commit.isEmpty()) {
            kafka.commitSync(commit);
        }
        if (failure != null) {
            log.warn("Route {}: event not settled, partition(s) {} retry from there after backoff: {}", routeId,
                    retryFrom, failure.getMessage());
        }
        return failure;
    }

    /** Runs one event; {@code null} when it is settled (by the route or as a dead letter), else the failure. */
    private Exception settle(TopicPartition partition, InboundEvent event) {
        Exception failure = route.run(event);
        if (failure == null) {
            stuck.remove(partition);
            return null;
        }
        FailureKind kind = kind(failure);
        if (kind == FailureKind.OUTAGE) {
            return failure;
        }
        Stuck previous = stuck.get(partition);
        int attempts = previous != null && previous.offset() == event.offset() ? previous.attempts() + 1 : 1;
        if (kind != FailureKind.POISON && attempts < maxAttempts) {
            stuck.put(partition, new Stuck(event.offset(), attempts));
            return failure;
        }
        try {
            deadLetter.write(event, describe(kind, failure), attempts);
        } catch (RuntimeException e) {
            return e;
        }
        stuck.remove(partition);
        return null;
    }

    /** What a failure says; a failure the route swallowed (unsettled) is judged by what it swallowed. */
    static FailureKind kind(Throwable failure) {
        Throwable cause = failure instanceof Settlement.UnsettledException ? failure.getCause() : failure;
        if (cause == null) {
            return FailureKind.UNKNOWN;
        }
        for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof DatabaseUnavailableException) {
                return FailureKind.OUTAGE;
            }
        }
        return Failures.classify(cause);
    }

    private String describe(FailureKind kind, Exception failure) {
        // an unsettled batch's own message says it all; its class name (Settlement$UnsettledException) says nothing
        String text = "route " + routeId + " did not settle the event (" + kind.name().toLowerCase() + "): "
                + (failure instanceof Settlement.UnsettledException ? failure.getMessage() : failure);
        if (readTheBatch(failure)) {
            text = BATCH_HINT + text;
        }
        return text.length() > 2000 ? text.substring(0, 2000) : text;
    }

    /** What a dead letter says first when a step of a batch route read the batch as if it were one payload. */
    static final String BATCH_HINT = "a step read the batch as one event (in a batch route the body is the list of "
            + "events: payload expressions such as ${body[data]} need mode: event, README \"Writing a route\"); ";

    /** Whether a step's expression met the batch's events where it expected a payload (their text names them). */
    static boolean readTheBatch(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t.getMessage() != null && t.getMessage().contains("InboundEvent[")) {
                return true;
            }
        }
        return false;
    }
}
