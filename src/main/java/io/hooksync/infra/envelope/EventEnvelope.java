package io.hooksync.infra.envelope;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * What every Hooksync event record carries besides its key and body, as Kafka record headers: the
 * CloudEvents Kafka binding (binary mode: {@code ce_specversion}, {@code ce_id}, {@code ce_source},
 * {@code ce_type}, {@code ce_time}, {@code content-type}) and Hooksync's own {@code hooksync_action}
 * (GitHub's {@code action}, a CDC change's op) and {@code hooksync_cause_id} (the event an outbound
 * message was emitted for). Read back, a field is null when its header is missing.
 *
 * @param id      {@code ce_id}: the event id (the sender's delivery id, a CDC change id, {@code msg_...})
 * @param source  {@code ce_source}: the source name ({@code hooksync/<source>} on outbound messages)
 * @param type    {@code ce_type}: the event type
 * @param time    {@code ce_time}: ISO-8601 instant the event was accepted (or committed, for CDC)
 * @param action  {@code hooksync_action}, optional
 * @param causeId {@code hooksync_cause_id}, optional
 */
public record EventEnvelope(String id, String source, String type, String time, String action, String causeId) {

    static final String SPEC_VERSION = "ce_specversion";
    static final String ID = "ce_id";
    static final String SOURCE = "ce_source";
    static final String TYPE = "ce_type";
    static final String TIME = "ce_time";
    static final String CONTENT_TYPE = "content-type";
    static final String ACTION = "hooksync_action";
    static final String CAUSE_ID = "hooksync_cause_id";

    /** An event without action or cause. */
    public EventEnvelope(String id, String source, String type, String time) {
        this(id, source, type, time, null, null);
    }

    public EventEnvelope withAction(String action) {
        return new EventEnvelope(id, source, type, time, action, causeId);
    }

    public EventEnvelope withCauseId(String causeId) {
        return new EventEnvelope(id, source, type, time, action, causeId);
    }

    /** Adds the headers of this envelope, always in the same order (the body is JSON); a null field writes none. */
    public void writeTo(Headers headers) {
        add(headers, SPEC_VERSION, "1.0");
        add(headers, ID, id);
        add(headers, SOURCE, source);
        add(headers, TYPE, type);
        add(headers, TIME, time);
        add(headers, CONTENT_TYPE, "application/json");
        add(headers, ACTION, action);
        add(headers, CAUSE_ID, causeId);
    }

    /** The envelope of a record as it was written (the last header of a name wins); missing headers are null. */
    public static EventEnvelope read(ConsumerRecord<?, ?> record) {
        Headers headers = record.headers();
        return new EventEnvelope(text(headers, ID), text(headers, SOURCE), text(headers, TYPE), text(headers, TIME),
                text(headers, ACTION), text(headers, CAUSE_ID));
    }

    /** Every header of a record that has a value, as UTF-8 text, in record order (the last of a name wins). */
    public static Map<String, String> headers(ConsumerRecord<?, ?> record) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (Header header : record.headers()) {
            if (header.value() != null) {
                headers.put(header.key(), new String(header.value(), StandardCharsets.UTF_8));
            }
        }
        return headers;
    }

    private static String text(Headers headers, String name) {
        Header header = headers.lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static void add(Headers headers, String name, String value) {
        if (value != null) {
            headers.add(name, value.getBytes(StandardCharsets.UTF_8));
        }
    }
}
