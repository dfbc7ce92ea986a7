package io.hooksync.outbound;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hooksync.infra.InternalNames;
import io.hooksync.infra.KafkaBackbone;
import io.hooksync.infra.KafkaClients;
import io.hooksync.infra.consumer.ConsumerLoop;
import io.hooksync.infra.consumer.ConsumerLoops;
import io.hooksync.infra.consumer.LoopSpec;
import io.hooksync.infra.envelope.EventEnvelope;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the outbound topic into deliveries: for each message, the enabled endpoints whose event types
 * and filter want it get a pending delivery, written with the message in one transaction per poll;
 * offsets are committed after it. The message id ({@code ce_id}) is the primary key, so a message
 * relayed or consumed twice yields one message and one delivery per endpoint. Consumer group
 * {@code hooksync.delivery}: instances share the topic's partitions. The poll loop is a
 * {@link ConsumerLoop} ({@code delivery-dispatcher}): while the database is down it waits; a message the
 * database refuses (an id or type longer than its column) is set aside and the rest of the poll is
 * dispatched, each message then in its own transaction, in order.
 */
final class Dispatcher {

    static final String GROUP = InternalNames.DELIVERY_GROUP;
    private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);

    private final DeliveryStore store;
    private final EndpointDirectory endpoints;
    private final RetryPolicy retry;
    private final Clock clock;
    private final ConsumerLoop loop;
    private final ObjectMapper json;
    private final java.util.function.Consumer<Collection<String>> arrived;

    /** {@code arrived} hears, after each commit, which endpoints got new deliveries (the sender claims them at once). */
    Dispatcher(KafkaBackbone backbone, DeliveryStore store, EndpointDirectory endpoints, RetryPolicy retry, Clock clock,
               int batchSize, ConsumerLoops loops, ObjectMapper json, java.util.function.Consumer<Collection<String>> arrived) {
        this.json = json;
        this.arrived = arrived;
        this.store = store;
        this.endpoints = endpoints;
        this.retry = retry;
        this.clock = clock;
        this.loop = loops.create(new LoopSpec("delivery-dispatcher", () -> new KafkaConsumer<>(
                KafkaClients.committingConsumer(backbone, GROUP, "hooksync-delivery-dispatcher", batchSize)),
                LoopSpec.Subscription.topics(List.of(OutboxRelay.TOPIC)), LoopSpec.Mode.BATCHES), this::dispatch);
    }

    void start() {
        loop.start();
    }

    void stop() throws InterruptedException {
        loop.stop();
    }

    void dispatch(List<ConsumerRecord<byte[], byte[]>> records) {
        long now = clock.millis();
        List<Delivery.Message> messages = new ArrayList<>();
        Map<String, List<String>> subscribers = new LinkedHashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            Delivery.Message message = message(record, now);
            messages.add(message);
            List<Endpoint> candidates = endpoints.wanting(now, message.type());
            if (candidates.isEmpty()) {
                continue;   // nobody subscribes to this type: no need to read the payload
            }
            Object data;
            try {
                data = json.readValue(message.payload(), Object.class);
            } catch (Exception e) {
                log.warn("Outbound message {} is not JSON ({}); stored, sent to no endpoint", message.id(), e.getMessage());
                continue;
            }
            List<String> wanted = endpoints.subscribers(candidates, data);
            if (!wanted.isEmpty()) {
                subscribers.put(message.id(), wanted);
            }
        }
        long first = now + retry.schedule().get(0).toMillis();
        store.dispatch(messages, subscribers, first, now);
        if (!subscribers.isEmpty()) {
            Set<String> endpointIds = new HashSet<>();
            subscribers.values().forEach(endpointIds::addAll);
            arrived.accept(endpointIds);
        }
    }

    private static Delivery.Message message(ConsumerRecord<byte[], byte[]> record, long now) {
        EventEnvelope envelope = EventEnvelope.read(record);
        String id = envelope.id();
        if (id == null) {
            id = "msg_" + record.topic() + "_" + record.partition() + "_" + record.offset();
        }
        String type = envelope.type();
        String time = envelope.time();
        long created = now;
        if (time != null) {
            try {
                created = Instant.parse(time).toEpochMilli();
            } catch (RuntimeException e) {
                log.debug("unreadable ce_time {}", time);
            }
        }
        String key = record.key() == null ? "" : new String(record.key(), StandardCharsets.UTF_8);
        String payload = record.value() == null ? "null" : new String(record.value(), StandardCharsets.UTF_8);
        return new Delivery.Message(id, type == null ? "unknown" : type, key, payload, created);
    }
}
