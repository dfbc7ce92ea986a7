package io.hooksync.infra.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** A set-aside record keeps bounded, printable excerpts whatever the record holds. */
class SetAsideRecordTest {

    @Test
    void aHugeBinaryRecordIsKeptAsShortPrintableExcerpts() {
        byte[] key = ("\u0000evil\r\nWARN forged line " + "k".repeat(1000)).getBytes(StandardCharsets.UTF_8);
        byte[] value = new byte[50 * 1024 * 1024];
        java.util.Arrays.fill(value, (byte) 'v');
        ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>("hooksync.events.github", 2, 41L, key, value);

        SetAsideRecord kept = SetAsideRecord.of("timeline", record, new IllegalStateException("x".repeat(5000),
                new java.sql.SQLException("value too long", "22001")), 7L);

        assertThat(kept.where()).isEqualTo("hooksync.events.github/2@41");
        assertThat(kept.key()).startsWith("\uFFFDevil  WARN forged line").endsWith("\u2026").doesNotContain("\n", "\u0000");
        assertThat(kept.key().codePointCount(0, kept.key().length())).isEqualTo(200);
        assertThat(kept.valueExcerpt()).hasSize(500);
        assertThat(kept.valueBytes()).isEqualTo(value.length);
        assertThat(kept.error()).hasSize(2000).startsWith("IllegalStateException: xxx");
    }

    @Test
    void theErrorNamesTheRootCause() {
        String error = SetAsideRecord.Excerpts.describe(new IllegalStateException("batch failed",
                new java.sql.SQLException("value too long for type character varying(200)", "22001")));
        assertThat(error).isEqualTo("IllegalStateException: batch failed; caused by SQLException: value too long"
                + " for type character varying(200) [SQLState 22001]");
    }

    @Test
    void aCutNeverSplitsASurrogatePair() {
        String cut = SetAsideRecord.Excerpts.cut("\uD83D\uDE00".repeat(10), 5);
        assertThat(cut).isEqualTo("\uD83D\uDE00".repeat(4) + "\u2026");
    }
}
