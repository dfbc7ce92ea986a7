package io.hooksync.timeline;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

import io.hooksync.infra.consumer.RecordLookup;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.KafkaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The body a receipt shows. The timeline does not copy bodies into the database (with the shipped routes on, that
 * copy cost the ingress a measurable part of its throughput: docs/benchmarks.md); the event topic holds every body for
 * {@code hooksync.kafka.event-retention}, so the body is read back from the receipt's position when one event is
 * opened, and cut to {@code hooksync.timeline.max-body}. Rows written before kept their own copy, which is shown
 * as it is. When Kafka no longer has the record, or the record there is another event (a topic deleted and created
 * again), the body is absent and {@link Body#unavailable} says why.
 */
final class EventBodies {

    private static final Logger log = LoggerFactory.getLogger(EventBodies.class);

    /** Reads a record by position ({@link RecordLookup#find}). */
    interface Finder {
        Optional<ConsumerRecord<byte[], byte[]>> find(String topic, int partition, long offset);
    }

    private final Finder lookup;
    private final String topicPrefix;
    private final int maxBody;

    EventBodies(Finder lookup, String topicPrefix, int maxBody) {
        this.lookup = lookup;
        this.topicPrefix = topicPrefix;
        this.maxBody = maxBody;
    }

    /** A body as shown: text (null when unavailable), whether it was cut, and why it is missing. */
    record Body(String text, boolean truncated, String unavailable) {
    }

    /** The body of the receipt at this position; {@code stored} is the row's own copy (older rows), else null. */
    Body of(String stored, int bodyBytes, String eventId, String topic, int partition, long offset) {
        if (stored != null) {
            return new Body(stored, stored.getBytes(StandardCharsets.UTF_8).length < bodyBytes, null);
        }
        Optional<ConsumerRecord<byte[], byte[]>> record;
        try {
            record = lookup.find(topic, partition, offset);
        } catch (KafkaException e) {
            log.warn("Cannot read the body of event {} at {}-{}@{} from Kafka: {}", eventId, topic, partition, offset,
                    e.toString());
            return new Body(null, false, "Kafka did not answer: " + e.getMessage());
        }
        if (record.isEmpty()) {
            return new Body(null, false, "Kafka no longer holds this record (hooksync.kafka.event-retention)");
        }
        if (!eventId.equals(TimelineEntry.of(record.get(), topicPrefix).eventId())) {
            return new Body(null, false, "the record at this position is another event (was the topic recreated?)");
        }
        byte[] value = record.get().value() == null ? new byte[0] : record.get().value();
        return new Body(truncate(value, maxBody), value.length > maxBody, null);
    }

    /** The first {@code maxBytes} bytes as text, never ending inside a multi-byte character. */
    static String truncate(byte[] body, int maxBytes) {
        if (body.length <= maxBytes) {
            return new String(body, StandardCharsets.UTF_8);
        }
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE);
        CharBuffer out = CharBuffer.allocate(maxBytes);
        decoder.decode(ByteBuffer.wrap(body, 0, maxBytes), out, false);   // an incomplete last character stays undecoded
        out.flip();
        return out.toString();
    }
}
