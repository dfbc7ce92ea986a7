package io.hooksync.timeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** What the timeline keeps of a record: CloudEvents fields, no secret-looking header, the body size; bodies shown are cut on a character boundary. */
class TimelineEntryTest {

    @Test
    void readsTheCloudEventsHeadersAndDropsSecretLookingOnes() {
        ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>("hooksync.events.github", 2, 41L, null,
                "{\"a\":1}".getBytes(StandardCharsets.UTF_8));
        record.headers().add("ce_id", "abc".getBytes()).add("ce_type", "issues".getBytes())
                .add("ce_source", "github".getBytes()).add("ce_time", "2026-11-28T10:00:00Z".getBytes())
                .add("hooksync_action", "opened".getBytes()).add("X-Hub-Signature-256", "sha256=00".getBytes())
                .add("authorization", "Basic x".getBytes()).add("stripe-signature", "t=1".getBytes());
        TimelineEntry entry = TimelineEntry.of(record, "hooksync.events.");
        assertThat(entry.source()).isEqualTo("github");
        assertThat(entry.eventId()).isEqualTo("abc");
        assertThat(entry.type()).isEqualTo("issues");
        assertThat(entry.action()).isEqualTo("opened");
        assertThat(entry.receivedAt()).isEqualTo(java.time.Instant.parse("2026-11-28T10:00:00Z").toEpochMilli());
        assertThat(entry.headers()).containsOnlyKeys("ce_id", "ce_type", "ce_source", "ce_time", "hooksync_action");
        assertThat(entry.partition()).isEqualTo(2);
        assertThat(entry.offset()).isEqualTo(41L);
        assertThat(entry.bodyBytes()).isEqualTo(7);
    }

    @Test
    void withoutHeadersTheTopicNamesTheSourceAndThePositionTheEvent() {
        ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>("hooksync.events.acme", 0, 7L, null, null);
        TimelineEntry entry = TimelineEntry.of(record, "hooksync.events.");
        assertThat(entry.source()).isEqualTo("acme");
        assertThat(entry.eventId()).isEqualTo("hooksync.events.acme/0/7");
        assertThat(entry.bodyBytes()).isZero();
    }

    @Test
    void truncationNeverSplitsACharacter() {
        byte[] body = "aé€😀".getBytes(StandardCharsets.UTF_8);   // 1 + 2 + 3 + 4 bytes
        assertThat(EventBodies.truncate(body, 100)).isEqualTo("aé€😀");
        assertThat(EventBodies.truncate(body, 9)).isEqualTo("aé€");
        assertThat(EventBodies.truncate(body, 2)).isEqualTo("a");
        assertThat(EventBodies.truncate(body, 3)).isEqualTo("aé");
    }
}
