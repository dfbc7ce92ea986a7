package io.hooksync.ingress;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Properties;

import io.hooksync.infra.InfraProperties;
import io.hooksync.infra.KafkaBackbone;
import io.hooksync.infra.KafkaClients;
import io.hooksync.infra.envelope.EventEnvelope;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Writes verified events to Kafka with acks=all and an idempotent producer; the acknowledgement arrives
 * in a callback, so no thread waits for it. The record carries the body bytes, the key and the
 * CloudEvents binary-mode headers, nothing else. {@code hooksync.kafka.ack-timeout} bounds the wait:
 * a third for metadata ({@code max.block.ms}), the rest for delivery ({@code delivery.timeout.ms}).
 */
@Component
class EventPublisher implements DisposableBean {

    private final KafkaProducer<byte[], byte[]> producer;
    private final Duration ackTimeout;

    EventPublisher(KafkaBackbone backbone, InfraProperties infra) {
        this.ackTimeout = infra.kafka().ackTimeout();
        int third = (int) Math.max(1, Math.min(Integer.MAX_VALUE / 3, ackTimeout.toMillis() / 3));
        Properties p = KafkaClients.durableProducer(backbone, "hooksync-ingress");
        // up to 5 ms for company (Kafka 4.0's default): fewer, larger produce requests for the broker and this
        // producer's I/O thread under load, for a few ms more per answer (docs/benchmarks.md, issue 15, tenth session)
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 32 * 1024 * 1024);
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, third);
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, third);
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 2 * third + 1);
        this.producer = new KafkaProducer<>(p);
    }

    Duration ackTimeout() {
        return ackTimeout;
    }

    /**
     * Fetches the topic's metadata now, so the first webhook does not pay for it (nor risk the metadata part of the
     * ack timeout on a slow machine). Bounded by {@code max.block.ms}; a failure only means the first send fetches it.
     */
    void warmUp(String topic) {
        producer.partitionsFor(topic);
    }

    /**
     * Sends without waiting: {@code callback} runs once, on the producer's I/O thread, when the broker
     * acknowledged or the send failed (at the latest after the ack timeout). Only the metadata lookup of a
     * topic the producer has not seen yet may block the caller, for at most a third of the ack timeout.
     */
    void send(VerifiedEvent event, Callback callback) {
        try {
            producer.send(record(event), callback);
        } catch (RuntimeException e) {
            callback.onCompletion(null, e);
        }
    }

    private static ProducerRecord<byte[], byte[]> record(VerifiedEvent event) {
        RecordHeaders headers = new RecordHeaders();
        new EventEnvelope(event.id(), event.source().name(), event.type(), event.receivedAt().toString())
                .withAction(event.action()).writeTo(headers);
        return new ProducerRecord<>(event.source().topic(), null, event.key().getBytes(StandardCharsets.UTF_8),
                event.body(), headers);
    }

    @Override
    public void destroy() {
        producer.close(Duration.ofSeconds(10));
    }
}
