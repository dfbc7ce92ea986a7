package io.hooksync.outbound;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Properties;

import io.hooksync.infra.KafkaBackbone;
import io.hooksync.infra.KafkaClients;
import io.hooksync.infra.consumer.ConsumerLoop;
import io.hooksync.infra.consumer.ConsumerLoops;
import io.hooksync.infra.consumer.LoopSpec;
import io.hooksync.infra.envelope.EventEnvelope;
import io.hooksync.infra.envelope.EventTypePatterns;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.support.DefaultConsumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;

/**
 * The poll loop behind {@code hooksync-messages}: a {@link ConsumerLoop} ({@code messages-<route id>}) in
 * records mode, one exchange per wanted message, offset committed after it; a failed exchange is retried
 * from that message, and a message that cannot be handled is set aside (see {@link MessagesComponent}).
 */
final class MessagesConsumer extends DefaultConsumer {

    private final KafkaBackbone backbone;
    private final ConsumerLoops loops;
    private final List<String> types;
    private ConsumerLoop loop;

    MessagesConsumer(MessagesComponent.MessagesEndpoint endpoint, Processor processor, KafkaBackbone backbone,
                     ConsumerLoops loops, List<String> types) {
        super(endpoint, processor);
        this.backbone = backbone;
        this.loops = loops;
        this.types = types;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        String routeId = getRouteId();
        loop = loops.create(new LoopSpec("messages-" + routeId, () -> new KafkaConsumer<>(properties(routeId)),
                LoopSpec.Subscription.topics(List.of(OutboxRelay.TOPIC)), LoopSpec.Mode.RECORDS), records -> {
                    for (ConsumerRecord<byte[], byte[]> record : records) {
                        handle(record);
                    }
                });
        loop.start();
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
            exchange.getIn().setBody(new String(WebhookBody.of(message), StandardCharsets.UTF_8));
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
