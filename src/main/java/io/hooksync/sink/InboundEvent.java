package io.hooksync.sink;

import java.util.Map;

import io.hooksync.infra.envelope.EventEnvelope;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * One Kafka record of a source topic as the sink sees it: CloudEvents header values, where it was
 * read from (for the ledger, dead letters and replay) and the payload bytes exactly as accepted.
 */
public record InboundEvent(String source, String id, String type, String action, byte[] key, String topic,
                           int partition, long offset, String receivedAt, Map<String, String> headers,
                           byte[] payload) {

    /**
     * The event of a record read from {@code source}'s topic, through the envelope: without {@code ce_source} it
     * is {@code source}'s, without {@code ce_id} its id is {@code topic-partition-offset}.
     */
    static InboundEvent of(ConsumerRecord<byte[], byte[]> record, String source) {
        EventEnvelope envelope = EventEnvelope.read(record);
        String id = envelope.id() != null ? envelope.id() : record.topic() + "-" + record.partition() + "-" + record.offset();
        return new InboundEvent(envelope.source() != null ? envelope.source() : source, id, envelope.type(),
                envelope.action(), record.key(), record.topic(), record.partition(), record.offset(), envelope.time(),
                EventEnvelope.headers(record), record.value() == null ? new byte[0] : record.value());
    }

    /**
     * What a route's {@code log: "${body}"} of a batch or an error message shows: the event's identity and where it
     * was read, not the byte arrays' identity hashes; the payload only by its size (it may hold personal data).
     */
    @Override
    public String toString() {
        return "InboundEvent[source=" + source + ", id=" + id + ", type=" + type + (action != null ? ", action="
                + action : "") + ", " + topic + "-" + partition + "@" + offset + ", payload " + payload.length
                + " bytes]";
    }
}
