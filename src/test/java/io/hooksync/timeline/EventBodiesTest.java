package io.hooksync.timeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

/** The body a receipt shows: the row's own copy (older rows), else the event topic's record, cut to max-body. */
class EventBodiesTest {

    private static final String TOPIC = "hooksync.events.github";

    private static ConsumerRecord<byte[], byte[]> record(String id, String body) {
        ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>(TOPIC, 1, 7L, null,
                body.getBytes(StandardCharsets.UTF_8));
        record.headers().add("ce_id", id.getBytes(StandardCharsets.UTF_8));
        return record;
    }

    private static EventBodies bodies(Optional<ConsumerRecord<byte[], byte[]>> found, int maxBody) {
        return new EventBodies((topic, partition, offset) -> {
            assertThat(topic).isEqualTo(TOPIC);
            assertThat(partition).isEqualTo(1);
            assertThat(offset).isEqualTo(7L);
            return found;
        }, "hooksync.events.", maxBody);
    }

    @Test
    void theEventTopicsRecordIsShownCutToMaxBody() {
        EventBodies.Body body = bodies(Optional.of(record("d-1", "{\"a\":\"éé\"}")), 9).of(null, 12, "d-1", TOPIC, 1, 7L);
        assertThat(body.text()).isEqualTo("{\"a\":\"é");
        assertThat(body.truncated()).isTrue();
        assertThat(body.unavailable()).isNull();
        EventBodies.Body whole = bodies(Optional.of(record("d-1", "{\"a\":1}")), 100).of(null, 7, "d-1", TOPIC, 1, 7L);
        assertThat(whole.text()).isEqualTo("{\"a\":1}");
        assertThat(whole.truncated()).isFalse();
    }

    @Test
    void aRowsOwnCopyWinsWithoutAskingKafka() {
        EventBodies bodies = new EventBodies((t, p, o) -> {
            throw new AssertionError("Kafka asked for a row that has its body");
        }, "hooksync.events.", 100);
        EventBodies.Body body = bodies.of("{\"a\"", 7, "d-1", TOPIC, 1, 7L);
        assertThat(body.text()).isEqualTo("{\"a\"");
        assertThat(body.truncated()).isTrue();
    }

    @Test
    void aRecordKafkaNoLongerHoldsIsSaidSo() {
        EventBodies.Body body = bodies(Optional.empty(), 100).of(null, 7, "d-1", TOPIC, 1, 7L);
        assertThat(body.text()).isNull();
        assertThat(body.unavailable()).contains("no longer holds").contains("event-retention");
    }

    @Test
    void anotherEventAtThePositionIsNotShown() {
        EventBodies.Body body = bodies(Optional.of(record("d-2", "{}")), 100).of(null, 2, "d-1", TOPIC, 1, 7L);
        assertThat(body.text()).isNull();
        assertThat(body.unavailable()).contains("another event");
    }

    @Test
    void kafkaNotAnsweringIsSaidSo() {
        EventBodies bodies = new EventBodies((t, p, o) -> {
            throw new TimeoutException("Timeout expired while fetching topic metadata");
        }, "hooksync.events.", 100);
        EventBodies.Body body = bodies.of(null, 2, "d-1", TOPIC, 1, 7L);
        assertThat(body.text()).isNull();
        assertThat(body.unavailable()).startsWith("Kafka did not answer");
    }
}
