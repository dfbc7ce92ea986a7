package io.hooksync.outbound;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hooksync.infra.KafkaBackbone;
import io.hooksync.infra.KafkaClients;
import io.hooksync.infra.consumer.ConsumerLoop;
import io.hooksync.infra.consumer.ConsumerLoops;
import io.hooksync.infra.consumer.GroupStarts;
import io.hooksync.infra.consumer.LoopSpec;
import io.hooksync.infra.envelope.EventEnvelope;
import io.hooksync.infra.envelope.EventTypePatterns;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.support.DefaultConsumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The poll loop behind {@code hooksync-messages}: a {@link ConsumerLoop} ({@code messages-<route id>}) in
 * records mode, one exchange per wanted message, offset committed after it; a failed exchange is retried
 * from that message, and a message that cannot be handled is set aside (see {@link MessagesComponent}).
 */
final class MessagesConsumer extends DefaultConsumer {

    private static final Logger log = LoggerFactory.getLogger(MessagesConsumer.class);

    private final KafkaBackbone backbone;
    private final ConsumerLoops loops;
    private final List<String> types;
    private final ObjectMapper json;
    private final Instant engineStarted;
    private ConsumerLoop loop;

    MessagesConsumer(MessagesComponent.MessagesEndpoint endpoint, Processor processor, KafkaBackbone backbone,
                     ConsumerLoops loops, List<String> types, ObjectMapper json, Instant engineStarted) {
        super(endpoint, processor);
        this.engineStarted = engineStarted;
        this.backbone = backbone;
        this.loops = loops;
        this.types = types;
        this.json = json;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        String routeId = getRouteId();
        startNewGroup(routeId);
        loop = loops.create(new LoopSpec("messages-" + routeId, () -> new KafkaConsumer<>(properties(routeId)),
                LoopSpec.Subscription.topics(List.of(OutboxRelay.TOPIC)), LoopSpec.Mode.RECORDS), records -> {
                    for (ConsumerRecord<byte[], byte[]> record : records) {
                        handle(record);
                    }
                });
        loop.start();
    }

    /**
     * A route whose group never committed starts at the first message relayed after it was deployed (with the
     * engine: the engine's start; by live reload: now), not at the oldest retained one, so a new or renamed route
     * does not re-send history. If Kafka refuses (the group is active on another instance, which means it has
     * offsets), the loop starts from the group's offsets as before.
     */
    private void startNewGroup(String routeId) {
        Instant from = getEndpoint().getCamelContext().isStarted() ? Instant.now() : engineStarted;
        try {
            Map<TopicPartition, Long> placed = GroupStarts.initialize(properties(routeId), OutboxRelay.TOPIC, from);
            if (!placed.isEmpty()) {
                log.info("Route {} (new group hooksync.{}) starts at the messages relayed since {}: {}", routeId, routeId,
                        from, placed);
            }
        } catch (KafkaException e) {
            log.warn("Route {}: could not place its new group, it starts from the group's offsets: {}", routeId,
                    e.toString());
        }
    }

    @Override
    protected void doStop() throws Exception {
        if (loop != null) {
            loop.stop();
        }
        super.doStop();
    }

    private void handle(ConsumerRecord<byte[], byte[]> record) throws Exception {
        EventEnvelope envelope = EventEnvelope.read(record);
        String type = envelope.type();
        if (type == null || !EventTypePatterns.matchesMessage(types, type)) {
            return;
        }
        String id = envelope.id();
        String time = envelope.time();
        String data = record.value() == null ? "null" : new String(record.value(), StandardCharsets.UTF_8);
        Delivery.Message message = new Delivery.Message(id, type, "", data,
                time == null ? System.currentTimeMillis() : Instant.parse(time).toEpochMilli());
        Exchange exchange = createExchange(false);
        try {
            exchange.getIn().setBody(new String(WebhookBody.of(json, message), StandardCharsets.UTF_8));
            exchange.getIn().setHeader("HooksyncMessageId", id);
            exchange.getIn().setHeader("HooksyncMessageType", type);
            exchange.getIn().setHeader(Exchange.CONTENT_TYPE, "application/json");
            getProcessor().process(exchange);
            if (exchange.getException() != null) {
                throw exchange.getException();
            }
        } finally {
            releaseExchange(exchange, false);
        }
    }

    private Properties properties(String routeId) {
        Properties p = KafkaClients.committingConsumer(backbone, "hooksync." + routeId, "hooksync-messages-" + routeId, 100);
        p.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, 600_000);   // a slow exchange may hold the poll for minutes
        return p;
    }
}
