package io.hooksync.timeline;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

import io.hooksync.infra.envelope.EventEnvelope;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * What the timeline keeps of one event record: the CloudEvents headers the ingress wrote, no header whose name
 * looks like it carries a secret, and the body's size. The body stays in Kafka: {@link EventBodies} reads it back
 * by (topic, partition, offset) when one event is opened.
 */
record TimelineEntry(String source, String eventId, String type, String action, long receivedAt, String topic,
                     int partition, long offset, Map<String, String> headers, int bodyBytes) {

    private static final Pattern SECRET = Pattern.compile(
            "(?i).*(authorization|signature|secret|token|password|cookie|api[-_]?key).*");

    static TimelineEntry of(ConsumerRecord<byte[], byte[]> record, String topicPrefix) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (Header header : record.headers()) {
            if (!SECRET.matcher(header.key()).matches() && header.value() != null) {
                headers.put(header.key(), new String(header.value(), StandardCharsets.UTF_8));
            }
        }
        EventEnvelope envelope = EventEnvelope.read(record);
        String source = envelope.source() != null ? envelope.source() : record.topic().startsWith(topicPrefix)
                ? record.topic().substring(topicPrefix.length()) : record.topic();
        String id = envelope.id() != null ? envelope.id() : record.topic() + "/" + record.partition() + "/" + record.offset();
        return new TimelineEntry(source, id, envelope.type(), envelope.action(),
                receivedAt(envelope.time(), record.timestamp()), record.topic(), record.partition(),
                record.offset(), headers, record.value() == null ? 0 : record.value().length);
    }

    private static long receivedAt(String ceTime, long recordTimestamp) {
        if (ceTime != null) {
            try {
                return Instant.parse(ceTime).toEpochMilli();
            } catch (DateTimeParseException ignored) {
                // fall back to the broker's timestamp
            }
        }
        return recordTimestamp;
    }
}
