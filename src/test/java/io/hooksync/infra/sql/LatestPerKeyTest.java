package io.hooksync.infra.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

class LatestPerKeyTest {

    private static final UpsertTable VERSIONED = new UpsertTable("t", List.of("id", "title", "updated_at"),
            List.of(SqlType.BIGINT, SqlType.TEXT, SqlType.TIMESTAMPTZ), List.of("id"), "updated_at");

    private static UpsertTable.Row row(Object... values) {
        return new UpsertTable.Row(values, false, "e" + Arrays.toString(values));
    }

    private static OffsetDateTime at(String time) {
        return OffsetDateTime.parse(time);
    }

    @Test
    void distinctKeysAreAllWritten() {
        List<UpsertTable.Row> rows = List.of(row(1L, "a", at("2026-01-01T00:00:00Z")), row(2L, "b", at("2026-01-01T00:00:00Z")));
        assertThat(LatestPerKey.survivors(VERSIONED, rows)).containsExactly(0, 1);
    }

    @Test
    void theNewestVersionOfAKeyIsTheOnlyOneWrittenWhereverItIsInTheBatch() {
        List<UpsertTable.Row> rows = List.of(
                row(1L, "v1", at("2026-01-01T00:00:01Z")), row(2L, "other", at("2026-01-01T00:00:00Z")),
                row(1L, "v3", at("2026-01-01T00:00:03Z")), row(1L, "v2", at("2026-01-01T00:00:02Z")));
        assertThat(LatestPerKey.survivors(VERSIONED, rows)).containsExactly(1, 2);
    }

    @Test
    void anEqualVersionLaterInTheBatchWinsAsItWouldWhenAppliedInTurn() {
        List<UpsertTable.Row> rows = List.of(row(1L, "first", at("2026-01-01T01:00:00+01:00")),
                row(1L, "second", at("2026-01-01T00:00:00Z")));
        assertThat(LatestPerKey.survivors(VERSIONED, rows)).as("same instant, other offset").containsExactly(1);
    }

    @Test
    void aMissingVersionNeverReplacesAVersionedRowAndIsReplacedByAny() {
        List<UpsertTable.Row> rows = List.of(row(1L, "a", null), row(1L, "b", at("2026-01-01T00:00:00Z")), row(1L, "c", null));
        assertThat(LatestPerKey.survivors(VERSIONED, rows)).containsExactly(1);
    }

    @Test
    void withoutAVersionColumnTheLastRowOfAKeyWins() {
        UpsertTable plain = new UpsertTable("t", List.of("id", "v"), List.of(SqlType.NUMERIC, SqlType.TEXT),
                List.of("id"), null);
        List<UpsertTable.Row> rows = List.of(row(new BigDecimal("1.0"), "a"), row(new BigDecimal("1.00"), "b"),
                row(new BigDecimal("2"), "c"));
        assertThat(LatestPerKey.survivors(plain, rows)).as("1.0 and 1.00 are one key").containsExactly(1, 2);
    }

    @Test
    void versionsJavaCannotOrderLikeTheDatabaseAreAllLeftToIt() {
        UpsertTable text = new UpsertTable("t", List.of("id", "rev"), List.of(SqlType.BIGINT, SqlType.TEXT),
                List.of("id"), "rev");
        List<UpsertTable.Row> rows = List.of(row(1L, "b"), row(1L, "a"), row(2L, "x"));
        assertThat(LatestPerKey.survivors(text, rows)).containsExactly(0, 1, 2);
    }

    @Test
    void numbersCompareByValue() {
        assertThat(LatestPerKey.compare(2, 10L)).isNegative();
        assertThat(LatestPerKey.compare(new BigDecimal("1.50"), new BigDecimal("1.5"))).isZero();
        assertThat(LatestPerKey.compare(-0.0d, 0.0d)).isZero();
        assertThat(LatestPerKey.compare("a", "b")).isNull();
    }
}
