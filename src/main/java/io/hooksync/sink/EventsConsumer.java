package io.hooksync.sink;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.core.IntervalFunction;
import io.hooksync.infra.BackgroundPriority;
import io.hooksync.infra.RouteIdentity;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.support.DefaultConsumer;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.NoOffsetForPartitionException;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The poll loop behind {@code hooksync:events}: polls a batch, keeps the events the route wants, runs
 * the route once for the batch, and commits the offsets only when the route succeeded (so after the
 * sink's transaction committed). On failure it seeks back to the batch start and waits behind a
 * Resilience4j circuit breaker with exponential backoff; nothing is skipped.
 * With {@code mode=event} an {@link EventDispatcher} runs the route once per event instead and commits per partition.
 * Consumer group = {@code hooksync.<ledger id>} ({@link RouteIdentity}: the route id, or the id it continues): each
 * route sees every event of its source once; {@code hooksync.sink.consumers-per-route} threads share its partitions
 * (order holds per partition). A partition without a committed offset is placed by {@link FirstPositions}.
 */
final class EventsConsumer extends DefaultConsumer {

    private static final Logger log = LoggerFactory.getLogger(EventsConsumer.class);
    /** Bytes a fetch waits for (about five GitHub webhooks), at most {@link #FETCH_WAIT_MS}. */
    static final int FETCH_MIN_BYTES = 64 * 1024;
    static final int FETCH_WAIT_MS = 100;

    private final SinkRuntime runtime;
    private final String source;
    private final TypeFilter filter;
    private final int batchSize;
    private final EventsEndpoint.Origin origin;
    private volatile RouteIdentity identity;
    private volatile FirstPositions firstPositions;
    private volatile boolean running;
    private final List<KafkaConsumer<byte[], byte[]>> consumers = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final List<Thread> threads = new ArrayList<>();

    EventsConsumer(EventsEndpoint endpoint, Processor processor, SinkRuntime runtime, String source,
                   TypeFilter filter, int batchSize, EventsEndpoint.Origin origin) {
        super(endpoint, processor);
        this.runtime = runtime;
        this.source = source;
        this.filter = filter;
        this.batchSize = batchSize;
        this.origin = origin;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        running = true;
        String routeId = getRouteId();
        identity = RouteIdentity.of(routeId, origin.continues());
        runtime.identities().register(identity);
        firstPositions = new FirstPositions(identity, origin.start(), runtime.starts().deployment(identity.ledgerId(),
                !getEndpoint().getCamelContext().isStarted()));
        runtime.subscriptions().subscribe(routeId, source, filter::matches);
        int count = runtime.settings().consumersPerRoute();
        for (int i = 0; i < count; i++) {
            int index = i;
            Thread thread = BackgroundPriority.thread("hooksync-events-" + routeId + "-" + i, () -> loop(routeId, index));
            threads.add(thread);
            thread.start();
        }
    }

    @Override
    protected void doStop() throws Exception {
        running = false;
        runtime.subscriptions().unsubscribe(getRouteId());
        runtime.identities().unregister(getRouteId());
        consumers.forEach(KafkaConsumer::wakeup);
        for (Thread thread : threads) {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        }
        threads.clear();
        super.doStop();
    }

    private void loop(String routeId, int index) {
        String topic = runtime.topicOf(source);
        CircuitBreaker breaker = CircuitBreaker.of("sink-" + routeId, CircuitBreakerConfig.custom()
                .slidingWindowSize(1)
                .minimumNumberOfCalls(1)
                .failureRateThreshold(100)
                .permittedNumberOfCallsInHalfOpenState(1)
                .waitIntervalFunctionInOpenState(IntervalFunction.ofExponentialBackoff(Duration.ofSeconds(1), 2.0,
                        runtime.settings().maxBackoff()))
                .build());
        KafkaConsumer<byte[], byte[]> kafka = new KafkaConsumer<>(properties(routeId, index));
        consumers.add(kafka);
        try {
            kafka.subscribe(List.of(topic));
            log.info("Route {} consumes {} (types {}, actions {})", routeId, topic, filter.types(), filter.actions());
            EventDispatcher perEvent = perEvent(routeId);
            BatchRetries retries = perEvent == null ? new BatchRetries(runtime.settings().maxAttempts(),
                    dispatcher(routeId, event -> run(routeId, List.of(event)))) : null;
            SkippedProgress skipped = new SkippedProgress();
            while (running) {
                try {
                    pollOnce(routeId, kafka, breaker, perEvent != null ? perEvent : retries.eventByEvent(), retries,
                            skipped);
                } catch (WakeupException e) {
                    throw e;
                } catch (NoOffsetForPartitionException | OffsetOutOfRangeException e) {
                    reposition(routeId, kafka, e);
                } catch (RuntimeException e) {
                    // e.g. an offset commit refused after a rebalance, or Kafka unreachable: the batch was
                    // applied or will be redelivered (the ledger skips it); keep the route alive
                    log.warn("Route {}: consumer error, continuing in 1 s: {}", routeId, e.toString());
                    sleepQuietly(1000);
                }
            }
        } catch (WakeupException e) {
            if (running) {
                log.error("Route {} consumer woken up unexpectedly", routeId, e);
            }
        } catch (RuntimeException e) {
            log.error("Route {} consumer stopped", routeId, e);
        } finally {
            consumers.remove(kafka);
            kafka.close(Duration.ofSeconds(5));
        }
    }

    /** A partition without a committed offset, or with one Kafka no longer retains: choose where to read. */
    private void reposition(String routeId, KafkaConsumer<byte[], byte[]> kafka, RuntimeException e) {
        try {
            if (e instanceof NoOffsetForPartitionException none) {
                firstPositions.place(kafka, none.partitions());
            } else if (e instanceof OffsetOutOfRangeException gone) {
                log.warn("Route {}: committed offsets {} are no longer retained; continuing from the oldest retained "
                        + "event", routeId, gone.offsetOutOfRangePartitions());
                kafka.beginningOffsets(gone.offsetOutOfRangePartitions().keySet()).forEach(kafka::seek);
            }
        } catch (WakeupException wakeup) {
            throw wakeup;
        } catch (RuntimeException failure) {
            log.warn("Route {}: cannot place the consumer yet, retrying in 1 s: {}", routeId, failure.toString());
            sleepQuietly(1000);
        }
    }

    /** One poll: through {@code perEvent} when set (mode=event, or a batch that kept failing), else as a batch. */
    private void pollOnce(String routeId, KafkaConsumer<byte[], byte[]> kafka, CircuitBreaker breaker,
                          EventDispatcher perEvent, BatchRetries retries, SkippedProgress skipped) {
        if (!breaker.tryAcquirePermission()) {
            waitPaused(kafka, Duration.ofMillis(200));
            return;
        }
        ConsumerRecords<byte[], byte[]> records;
        try {
            kafka.resume(kafka.paused());
            records = kafka.poll(Duration.ofMillis(500));
        } catch (RuntimeException e) {
            breaker.releasePermission();
            throw e;
        }
        long started = System.nanoTime();
        if (records.isEmpty()) {
            breaker.releasePermission();
            if (skipped.due(started)) {
                kafka.commitSync(skipped.drainInto(Map.of(), kafka.assignment()));
            }
            return;
        }
        if (perEvent != null) {
            if (skipped.pending()) {
                // the dispatcher commits each partition itself: skipped offsets go first, so none lands after it
                kafka.commitSync(skipped.drainInto(Map.of(), kafka.assignment()));
            }
            Exception failure = perEvent.dispatch(kafka, records, () -> running);
            if (failure == null) {
                breaker.onSuccess(System.nanoTime() - started, TimeUnit.NANOSECONDS);
                if (retries != null) {
                    retries.passed();
                }
            } else {
                breaker.onError(System.nanoTime() - started, TimeUnit.NANOSECONDS, failure);
                runtime.metrics().retried(routeId);
            }
            return;
        }
        List<InboundEvent> batch = wanted(routeId, records);
        if (batch.isEmpty()) {
            breaker.onSuccess(System.nanoTime() - started, TimeUnit.NANOSECONDS);
            skipped.skipped(records, started);
            if (skipped.due(started)) {
                kafka.commitSync(skipped.drainInto(Map.of(), kafka.assignment()));
            }
            retries.passed();
            return;
        }
        Exception failure = run(routeId, batch);
        if (failure == null) {
            breaker.onSuccess(System.nanoTime() - started, TimeUnit.NANOSECONDS);
            kafka.commitSync(skipped.drainInto(SkippedProgress.nextOffsets(records), kafka.assignment()));
            retries.passed();
        } else {
            seekToBatchStart(kafka, records);
            breaker.onError(System.nanoTime() - started, TimeUnit.NANOSECONDS, failure);
            runtime.metrics().retried(routeId);
            if (retries.failed(failure)) {
                log.warn("Route {}: batch of {} failed {} times for a reason that is not an outage; retrying it event by"
                        + " event from offset(s) {}, each event at most {} times before it becomes a dead letter: {}",
                        routeId, records.count(), retries.maxAttempts(), firstOffsets(records), retries.maxAttempts(),
                        failure.getMessage());
            } else {
                log.warn("Route {}: batch of {} not applied, will retry from offset(s) {} after backoff: {}",
                        routeId, records.count(), firstOffsets(records), failure.getMessage());
            }
        }
    }

    /**
     * Keeps the consumer in its group while the breaker is open, without taking records. Paused
     * partitions return nothing, but a rebalance inside this poll can assign partitions that are not
     * paused yet and return their records: those are put back (seek to their first offset), otherwise
     * the consumer's position would move past events nobody applied until the next rebalance.
     */
    static void waitPaused(Consumer<?, ?> kafka, Duration timeout) {
        kafka.pause(kafka.assignment());
        ConsumerRecords<?, ?> early = kafka.poll(timeout);
        for (TopicPartition partition : early.partitions()) {
            kafka.seek(partition, early.records(partition).get(0).offset());
        }
        kafka.pause(kafka.assignment());
    }

    /** The per-event dispatch of this consumer thread ({@code mode=event}), or {@code null} for batches. */
    private EventDispatcher perEvent(String routeId) {
        EventForm form = ((EventsEndpoint) getEndpoint()).form();
        if (!form.perEvent()) {
            return null;
        }
        return dispatcher(routeId, new EventExchanges(this, routeId, form.raw(), runtime.metrics()));
    }

    /** Event-by-event dispatch through {@code route}; an event that keeps failing becomes this route's dead letter. */
    private EventDispatcher dispatcher(String routeId, EventDispatcher.Route route) {
        return new EventDispatcher(routeId, runtime.settings().maxAttempts(), this::toEvent, filter, route,
                (event, error, attempts) -> runtime.metrics().record(routeId,
                        runtime.writer().deadLetter(identity.ledgerId(), null, event, error, attempts)),
                runtime.metrics());
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The events of {@code records} the route wants (its types and actions); the others are counted as skipped. */
    private List<InboundEvent> wanted(String routeId, ConsumerRecords<byte[], byte[]> records) {
        List<InboundEvent> batch = new ArrayList<>(records.count());
        int skipped = 0;
        for (ConsumerRecord<byte[], byte[]> record : records) {
            InboundEvent event = toEvent(record);
            if (filter.matches(event.type(), event.action())) {
                batch.add(event);
            } else {
                skipped++;
            }
        }
        runtime.metrics().skipped(routeId, skipped);
        return batch;
    }

    /** Runs the route with {@code batch} as its body; the failure, or the events it left unsettled, or null. */
    private Exception run(String routeId, List<InboundEvent> batch) {
        Exchange exchange = createExchange(false);
        exchange.getMessage().setBody(batch);
        Settlement settlement = new Settlement(batch);
        exchange.setProperty(Settlement.PROPERTY, settlement);
        try {
            getProcessor().process(exchange);
        } catch (Exception e) {
            exchange.setException(e);
        }
        Exception failure = exchange.getException();
        if (failure == null && settlement.unsettled() > 0) {
            runtime.metrics().unsettled(routeId, settlement.unsettled());
            // what the route's error handling swallowed tells an outage (wait) from a fault (bounded retries)
            failure = new Settlement.UnsettledException(routeId, settlement,
                    exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class));
        }
        releaseExchange(exchange, false);
        return failure;
    }

    private InboundEvent toEvent(ConsumerRecord<byte[], byte[]> record) {
        return InboundEvent.of(record, source);
    }

    private Properties properties(String routeId, int index) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, runtime.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, identity.groupId());
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "hooksync-" + routeId + "-" + index);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");       // FirstPositions places a new group
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, batchSize);
        if (((EventsEndpoint) getEndpoint()).form().perEvent()) {
            p.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, 600_000);   // one exchange per event: a poll may take minutes
        }
        // webhooks are ~10 kB: let one poll fill a whole batch instead of ~85 records per partition
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 16 * 1024 * 1024);
        // under load the broker gathers a few events per fetch instead of answering each one alone (fewer fetches,
        // polls, transactions and commits per event); a lone event waits at most FETCH_WAIT_MS for company
        p.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, FETCH_MIN_BYTES);
        p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, FETCH_WAIT_MS);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        // a killed instance's partitions move on after 10 s instead of Kafka's default 45 s
        p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10_000);
        p.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 3_000);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        return p;
    }

    private static void seekToBatchStart(KafkaConsumer<byte[], byte[]> kafka, ConsumerRecords<byte[], byte[]> records) {
        for (TopicPartition partition : records.partitions()) {
            kafka.seek(partition, records.records(partition).get(0).offset());
        }
    }

    private static Map<String, Long> firstOffsets(ConsumerRecords<byte[], byte[]> records) {
        Map<String, Long> first = new HashMap<>();
        records.partitions().forEach(p -> first.put(p.toString(), records.records(p).get(0).offset()));
        return first;
    }
}
