package io.hooksync.outbound;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The Standard Webhooks body of a message: {@code {type, timestamp, data}}, for webhooks and other channels alike. */
final class WebhookBody {


    private WebhookBody() {
    }

    /** Type and timestamp of the message and its data. */
    static byte[] of(ObjectMapper json, Delivery.Message message) {
        ObjectNode body = json.createObjectNode();
        body.put("type", message.type());
        body.put("timestamp", Instant.ofEpochMilli(message.createdAt()).toString());
        try {
            JsonNode data = json.readTree(message.payload());
            body.set("data", data);
            return json.writeValueAsString(body).getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("message " + message.id() + " has a payload that is not JSON", e);
        }
    }
}
