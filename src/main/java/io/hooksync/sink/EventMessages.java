package io.hooksync.sink;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hooksync.infra.PlainJson;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.apache.camel.Message;

/**
 * One event as a Camel message ({@code hooksync:events?mode=event}): the body is the payload parsed as JSON (a
 * {@code Map} for an object) or, with {@code raw=true}, its bytes; the CloudEvents attributes are headers. The event
 * itself travels as an exchange property, so {@code hooksync:upsert} and {@code hooksync:ack} know which event (and
 * which Kafka offset) they settle whatever the route did to the body and headers.
 */
final class EventMessages {

    static final String PROPERTY = "hooksync.event";
    static final String ID = "HooksyncEventId";
    static final String SOURCE = "HooksyncEventSource";
    static final String TYPE = "HooksyncEventType";
    static final String SUBJECT = "HooksyncEventSubject";
    static final String TIME = "HooksyncEventTime";
    static final String ACTION = "HooksyncEventAction";

    private static final ObjectMapper JSON = PlainJson.MAPPER;   // static helpers of Camel processors: no context here

    private EventMessages() {
    }

    /** Puts {@code event} into the exchange; a payload that is not JSON fails here (the event is poison). */
    static void fill(Exchange exchange, InboundEvent event, boolean raw) throws IOException {
        Message message = exchange.getMessage();
        message.setBody(raw ? event.payload() : JSON.readValue(event.payload(), Object.class));
        message.setHeader(ID, event.id());
        message.setHeader(SOURCE, event.source());
        message.setHeader(TYPE, event.type());
        message.setHeader(SUBJECT, event.key() == null ? null : new String(event.key(), StandardCharsets.UTF_8));
        message.setHeader(TIME, event.receivedAt());
        message.setHeader(ACTION, event.action());
        if (raw) {
            message.setHeader(Exchange.CONTENT_TYPE, "application/json");
        }
        exchange.setProperty(PROPERTY, event);
    }

    /** The event a per-event exchange carries, or {@code null} for a batch exchange. */
    static InboundEvent of(Exchange exchange) {
        return exchange.getProperty(PROPERTY, InboundEvent.class);
    }

    /** The event as the route left it: its identity and position, with the body (JSON) as the payload to map. */
    static InboundEvent asRouted(Exchange exchange, InboundEvent event) {
        byte[] payload = bytes(exchange);
        return new InboundEvent(event.source(), event.id(), event.type(), event.action(), event.key(), event.topic(),
                event.partition(), event.offset(), event.receivedAt(), event.headers(), payload);
    }

    private static byte[] bytes(Exchange exchange) {
        Object body = exchange.getMessage().getBody();
        try {
            if (body instanceof byte[] bytes) {
                return bytes;
            }
            if (body instanceof CharSequence text) {
                return text.toString().getBytes(StandardCharsets.UTF_8);
            }
            if (body instanceof Map<?, ?> || body instanceof Collection<?> || body instanceof JsonNode
                    || body instanceof Number || body instanceof Boolean) {
                return JSON.writeValueAsBytes(body);
            }
            return exchange.getMessage().getMandatoryBody(byte[].class);
        } catch (IOException | InvalidPayloadException e) {
            throw new IllegalArgumentException("hooksync:upsert cannot read the body of event " + of(exchange).id()
                    + " as JSON (" + (body == null ? "no body" : body.getClass().getSimpleName()) + "): " + e.getMessage(), e);
        }
    }
}
