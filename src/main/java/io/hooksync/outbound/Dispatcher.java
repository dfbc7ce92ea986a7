package io.hooksync.outbound;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hooksync.infra.KafkaBackbone;
import io.hooksync.infra.KafkaClients;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the outbound topic into deliveries: for each message, the enabled endpoints whose event types
 * and filter want it get a pending delivery, written with the message in one transaction per poll;
 * offsets are committed after it. The message id ({@code ce_id}) is the primary key, so a message
 * relayed or consumed twice yields one message and one delivery per endpoint. Consumer group
 * {@code hooksync.delivery}: instances share the topic's partitions.
 */
final class Dispatcher {

    static final String GROUP = "hooksync.delivery";
    private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final KafkaBackbone backbone;
    private final DeliveryStore store;
    private final EndpointDirectory endpoints;
    private final RetryPolicy retry;
    private final Clock clock;
    private final int batchSize;
    private volatile boolean running;
    private volatile KafkaConsumer<byte[], byte[]> consumer;
    private Thread thread;

    Dispatcher(KafkaBackbone backbone, DeliveryStore store, EndpointDirectory endpoints, RetryPolicy retry, Clock clock,
               int batchSize) {
        this.backbone = backbone;
        this.store = store;
        this.endpoints = endpoints;
        this.retry = retry;
        this.clock = clock;
        this.batchSize = batchSize;
    }

    void start() {
        running = true;
        thread = new Thread(this::loop, "hooksync-delivery-dispatcher");
        thread.setDaemon(true);
        thread.start();
    }

    void stop() throws InterruptedException {
        running = false;
        KafkaConsumer<byte[], byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        thread.join(10_000);
    }

    private void loop() {
        long backoff = 0;
        while (running) {
            try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(properties())) {
                consumer = c;
                c.subscribe(List.of(OutboxRelay.TOPIC));
                while (running) {
                    ConsumerRecords<byte[], byte[]> records = c.poll(Duration.ofMillis(500));
                    if (records.isEmpty()) {
                        continue;
                    }
                    try {
                        dispatch(records);
                        c.commitSync(offsets(records));
                        backoff = 0;
                    } catch (RuntimeException e) {
                        backoff = Math.min(30_000, Math.max(500, backoff * 2));
                        log.warn("Dispatching {} outbound messages failed ({}); retrying in {} ms", records.count(),
                                e.getMessage(), backoff);
                        for (TopicPartition partition : records.partitions()) {
                            c.seek(partition, records.records(partition).get(0).offset());
                        }
                        Thread.sleep(backoff);
                    }
                }
            } catch (WakeupException e) {
                if (running) {
                    log.warn("Dispatcher woken up while running; reconnecting");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                log.warn("Dispatcher consumer failed ({}); reconnecting in 2 s", e.getMessage());
                try {
                    Thread.sleep(2_000);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
            } finally {
                consumer = null;
            }
        }
    }

    void dispatch(ConsumerRecords<byte[], byte[]> records) {
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
                data = JSON.readValue(message.payload(), Object.class);
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
    }

    private static Delivery.Message message(ConsumerRecord<byte[], byte[]> record, long now) {
        String id = header(record, "ce_id");
        if (id == null) {
            id = "msg_" + record.topic() + "_" + record.partition() + "_" + record.offset();
        }
        String type = header(record, "ce_type");
        String time = header(record, "ce_time");
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

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static Map<TopicPartition, OffsetAndMetadata> offsets(ConsumerRecords<byte[], byte[]> records) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new LinkedHashMap<>();
        for (TopicPartition partition : records.partitions()) {
            List<ConsumerRecord<byte[], byte[]>> list = records.records(partition);
            offsets.put(partition, new OffsetAndMetadata(list.get(list.size() - 1).offset() + 1));
        }
        return offsets;
    }

    private Properties properties() {
        return KafkaClients.committingConsumer(backbone, GROUP, "hooksync-delivery-dispatcher", batchSize);
    }
}
