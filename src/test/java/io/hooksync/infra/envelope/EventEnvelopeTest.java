package io.hooksync.infra.envelope;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;

/** The headers an event record carries, written and read by one class. */
class EventEnvelopeTest {

    @Test
    void writesTheCloudEventsHeadersInOneOrderAndReadsThemBack() {
        ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>("hooksync.events.github", 0, 7L, null, null);
        new EventEnvelope("d-1", "github", "issues", "2026-12-01T15:00:00Z").withAction("opened").writeTo(record.headers());

        assertThat(names(record)).containsExactly("ce_specversion", "ce_id", "ce_source", "ce_type", "ce_time",
                "content-type", "hooksync_action");
        assertThat(text(record.headers().lastHeader("ce_specversion"))).isEqualTo("1.0");
        assertThat(text(record.headers().lastHeader("content-type"))).isEqualTo("application/json");
        assertThat(EventEnvelope.read(record))
                .isEqualTo(new EventEnvelope("d-1", "github", "issues", "2026-12-01T15:00:00Z", "opened", null));
        assertThat(EventEnvelope.headers(record)).containsEntry("ce_id", "d-1").containsEntry("hooksync_action", "opened");
    }

    @Test
    void aCauseIsWrittenLastAndAMissingValueWritesNoHeader() {
        ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>("hooksync.outbound", 0, 1L, null, null);
        new EventEnvelope("msg_x_1", "hooksync/github", "issue.synced", null).withCauseId("d-1").writeTo(record.headers());

        assertThat(names(record)).containsExactly("ce_specversion", "ce_id", "ce_source", "ce_type", "content-type",
                "hooksync_cause_id");
        EventEnvelope read = EventEnvelope.read(record);
        assertThat(read.time()).isNull();
        assertThat(read.action()).isNull();
        assertThat(read.causeId()).isEqualTo("d-1");
    }

    @Test
    void theLastHeaderOfANameWinsAndMissingHeadersAreNull() {
        ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>("t", 0, 1L, null, null);
        record.headers().add("ce_type", "first".getBytes(StandardCharsets.UTF_8))
                .add("ce_type", "second".getBytes(StandardCharsets.UTF_8)).add("x-empty", null);

        EventEnvelope read = EventEnvelope.read(record);
        assertThat(read.type()).isEqualTo("second");
        assertThat(read.id()).isNull();
        assertThat(read.source()).isNull();
        assertThat(EventEnvelope.headers(record)).containsOnlyKeys("ce_type").containsEntry("ce_type", "second");
    }

    private static List<String> names(ConsumerRecord<byte[], byte[]> record) {
        return java.util.Arrays.stream(record.headers().toArray()).map(Header::key).toList();
    }

    private static String text(Header header) {
        return new String(header.value(), StandardCharsets.UTF_8);
    }
}
