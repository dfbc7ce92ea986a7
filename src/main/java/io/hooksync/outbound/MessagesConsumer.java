package io.hooksync.outbound;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import io.hooksync.infra.KafkaBackbone;
import io.hooksync.infra.KafkaClients;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.support.DefaultConsumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The poll loop behind {@code hooksync-messages}: one exchange per wanted message, offset committed after it. */
final class MessagesConsumer extends DefaultConsumer {

    private static final Logger log = LoggerFactory.getLogger(MessagesConsumer.class);

    private final KafkaBackbone backbone;
    private final List<String> types;
    private volatile boolean running;
    private volatile KafkaConsumer<byte[], byte[]> consumer;
    private Thread thread;

    MessagesConsumer(MessagesComponent.MessagesEndpoint endpoint, Processor processor, KafkaBackbone backbone,
                     List<String> types) {
        super(endpoint, processor);
        this.backbone = backbone;
        this.types = types;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        running = true;
        String routeId = getRouteId();
        thread = new Thread(() -> loop(routeId), "hooksync-messages-" + routeId);
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    protected void doStop() throws Exception {
        running = false;
        KafkaConsumer<byte[], byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        if (thread != null) {
            thread.join(10_000);
        }
        super.doStop();
    }

    private void loop(String routeId) {
        long backoff = 0;
        while (running) {
            try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(properties(routeId))) {
                consumer = c;
                c.subscribe(List.of(OutboxRelay.TOPIC));
                while (running) {
                    ConsumerRecords<byte[], byte[]> records = c.poll(Duration.ofMillis(500));
                    for (TopicPartition partition : records.partitions()) {
                        for (ConsumerRecord<byte[], byte[]> record : records.records(partition)) {
                            String type = header(record, "ce_type");
                            if (type != null && EventTypes.matches(types, type)) {
                                Exception failure = process(record, type);
                                if (failure != null) {
                                    backoff = Math.min(60_000, Math.max(1_000, backoff * 2));
                                    log.warn("Route {}: message {} failed ({}); retrying in {} ms", routeId,
                                            header(record, "ce_id"), failure.getMessage(), backoff);
                                    c.commitSync(Map.of(partition, new OffsetAndMetadata(record.offset())));
                                    Thread.sleep(backoff);
                                    throw new Retry();
                                }
                                backoff = 0;
                            }
                        }
                        List<ConsumerRecord<byte[], byte[]>> done = records.records(partition);
                        c.commitSync(Map.of(partition, new OffsetAndMetadata(done.get(done.size() - 1).offset() + 1)));
                    }
                }
            } catch (Retry retry) {
                // the consumer is recreated at the committed offsets
            } catch (WakeupException e) {
                // stopping
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                log.warn("Route {}: message consumer failed ({}); reconnecting in 2 s", routeId, e.getMessage());
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

    /** Thrown to start over from the committed offsets after a failed exchange. */
    private static final class Retry extends RuntimeException {
        Retry() {
            super(null, null, false, false);
        }
    }

    private Exception process(ConsumerRecord<byte[], byte[]> record, String type) {
        Exchange exchange = createExchange(false);
        try {
            String id = header(record, "ce_id");
            String time = header(record, "ce_time");
            String data = record.value() == null ? "null" : new String(record.value(), StandardCharsets.UTF_8);
            Delivery.Message message = new Delivery.Message(id, type, "", data,
                    time == null ? System.currentTimeMillis() : Instant.parse(time).toEpochMilli());
            exchange.getIn().setBody(new String(Deliverer.body(message), StandardCharsets.UTF_8));
            exchange.getIn().setHeader("HooksyncMessageId", id);
            exchange.getIn().setHeader("HooksyncMessageType", type);
            exchange.getIn().setHeader(Exchange.CONTENT_TYPE, "application/json");
            getProcessor().process(exchange);
            return exchange.getException();
        } catch (Exception e) {
            return e;
        } finally {
            releaseExchange(exchange, false);
        }
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private Properties properties(String routeId) {
        Properties p = KafkaClients.committingConsumer(backbone, "hooksync." + routeId, "hooksync-messages-" + routeId, 100);
        p.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, 600_000);   // a failing exchange backs off up to 60 s between polls
        return p;
    }
}
