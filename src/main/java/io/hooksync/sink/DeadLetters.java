package io.hooksync.sink;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a dead letter: a row in {@code hooksync_dead_letters} (in the caller's transaction) and a
 * record on the dead-letter topic with the original payload, headers and the error; and logs it (WARN, one line:
 * the route, the event, the error), so that an operator reading the log sees it without the dashboard.
 */
final class DeadLetters {

    static final String TOPIC = "hooksync.deadletter";
    private static final Logger log = LoggerFactory.getLogger(DeadLetters.class);
    /** The error's length in the log line (the row keeps it whole). */
    private static final int LOGGED_ERROR = 300;

    /** Publishes to the dead-letter topic and waits for the acknowledgement. */
    interface Publisher {
        void publish(String topic, byte[] key, byte[] value, Map<String, String> headers);
    }

    private final Publisher publisher;
    private final ObjectMapper json;

    DeadLetters(Publisher publisher, ObjectMapper json) {
        this.publisher = publisher;
        this.json = json;
    }

    void write(Connection connection, String consumer, String mapping, InboundEvent event, String error, int attempts)
            throws SQLException {
        Map<String, String> headers = new java.util.LinkedHashMap<>(event.headers());
        headers.put("hooksync_error", error.length() > 1000 ? error.substring(0, 1000) : error);
        headers.put("hooksync_consumer", consumer);
        headers.put("hooksync_origin", event.topic() + "/" + event.partition() + "/" + event.offset());
        publisher.publish(TOPIC, event.key(), event.payload(), headers);
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO hooksync_dead_letters (consumer,"
                + " source, event_id, event_type, mapping, error, payload, headers, record_key, topic, kafka_partition,"
                + " kafka_offset, attempts) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            insert.setString(1, consumer);
            insert.setString(2, event.source());
            insert.setString(3, event.id());
            insert.setString(4, event.type());
            insert.setString(5, mapping);
            insert.setString(6, error);
            insert.setString(7, new String(event.payload(), StandardCharsets.UTF_8));
            insert.setString(8, headersJson(event.headers()));
            insert.setString(9, event.key() == null ? null : new String(event.key(), StandardCharsets.UTF_8));
            insert.setString(10, event.topic());
            insert.setInt(11, event.partition());
            insert.setLong(12, event.offset());
            insert.setInt(13, attempts);
            insert.executeUpdate();
        }
        // in the transaction, before its commit: a rollback (an outage) means the event is tried and logged again
        log.warn("Route {}: event {}/{} set aside as a dead letter after {} attempt(s): {} (GET /api/dead-letters;"
                + " replay after a fix: POST /api/dead-letters/{id}/replay)", consumer, event.source(), event.id(),
                attempts, oneLine(error));
    }

    /** The error for a log line: control characters (a payload's line breaks) as spaces, at most {@link #LOGGED_ERROR}. */
    private static String oneLine(String error) {
        String line = error.replaceAll("\\p{Cntrl}", " ");
        return line.length() > LOGGED_ERROR ? line.substring(0, LOGGED_ERROR) + "..." : line;
    }

    private String headersJson(Map<String, String> headers) {
        try {
            return json.writeValueAsString(headers);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
