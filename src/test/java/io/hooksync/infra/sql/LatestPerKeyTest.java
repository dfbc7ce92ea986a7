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
        assertThat(LatestPerKey.survivors(VERSIONED, rows, null)).containsExactly(0, 1);
    }

    @Test
    void theNewestVersionOfAKeyIsTheOnlyOneWrittenWhereverItIsInTheBatch() {
        List<UpsertTable.Row> rows = List.of(
                row(1L, "v1", at("2026-01-01T00:00:01Z")), row(2L, "other", at("2026-01-01T00:00:00Z")),
                row(1L, "v3", at("2026-01-01T00:00:03Z")), row(1L, "v2", at("2026-01-01T00:00:02Z")));
        assertThat(LatestPerKey.survivors(VERSIONED, rows, null)).as("key 1, then key 2").containsExactly(2, 1);
    }

    @Test
    void anEqualVersionLaterInTheBatchWinsAsItWouldWhenAppliedInTurn() {
        List<UpsertTable.Row> rows = List.of(row(1L, "first", at("2026-01-01T01:00:00+01:00")),
                row(1L, "second", at("2026-01-01T00:00:00Z")));
        assertThat(LatestPerKey.survivors(VERSIONED, rows, null)).as("same instant, other offset").containsExactly(1);
    }

    @Test
    void aMissingVersionNeverReplacesAVersionedRowAndIsReplacedByAny() {
        List<UpsertTable.Row> rows = List.of(row(1L, "a", null), row(1L, "b", at("2026-01-01T00:00:00Z")), row(1L, "c", null));
        assertThat(LatestPerKey.survivors(VERSIONED, rows, null)).containsExactly(1);
    }

    @Test
    void withoutAVersionColumnTheLastRowOfAKeyWins() {
        UpsertTable plain = new UpsertTable("t", List.of("id", "v"), List.of(SqlType.NUMERIC, SqlType.TEXT),
                List.of("id"), null);
        List<UpsertTable.Row> rows = List.of(row(new BigDecimal("1.0"), "a"), row(new BigDecimal("1.00"), "b"),
                row(new BigDecimal("2"), "c"));
        assertThat(LatestPerKey.survivors(plain, rows, null)).as("1.0 and 1.00 are one key").containsExactly(1, 2);
    }

    @Test
    void versionsJavaCannotOrderLikeTheDatabaseAreAllLeftToIt() {
        UpsertTable text = new UpsertTable("t", List.of("id", "rev"), List.of(SqlType.BIGINT, SqlType.TEXT),
                List.of("id"), "rev");
        List<UpsertTable.Row> rows = List.of(row(1L, "b"), row(1L, "a"), row(2L, "x"));
        assertThat(LatestPerKey.survivors(text, rows, null)).containsExactly(0, 1, 2);
        List<UpsertTable.Row> reversed = List.of(row(2L, "x"), row(1L, "b"), row(1L, "a"));
        assertThat(LatestPerKey.survivors(text, reversed, null)).as("key order; one key's rows in batch order")
                .containsExactly(1, 2, 0);
    }

    @Test
    void everyBatchListsItsRowsInOneKeyOrderSoTwoTransactionsLockSharedRowsAlike() {
        OffsetDateTime t = at("2026-01-01T00:00:00Z");
        List<UpsertTable.Row> one = List.of(row(7L, "a", t), row(3L, "b", t), row(5L, "c", t));
        List<UpsertTable.Row> other = List.of(row(5L, "d", t), row(7L, "e", t), row(3L, "f", t));
        assertThat(LatestPerKey.survivors(VERSIONED, one, null)).containsExactly(1, 2, 0);
        assertThat(LatestPerKey.survivors(VERSIONED, other, null)).containsExactly(2, 0, 1);
    }

    @Test
    void rowsThatWouldEmitDifferentTypesAreAllKeptSoEveryEventIsSent() {
        OffsetDateTime t = at("2026-01-01T00:00:00Z");
        List<UpsertTable.Row> rows = List.of(row(1L, "created", t), row(1L, "paid", at("2026-01-01T00:00:01Z")),
                row(2L, "a", t), row(2L, "b", t));
        assertThat(LatestPerKey.survivors(VERSIONED, rows, List.of("invoice.created", "invoice.paid", "x.updated",
                "x.updated"))).containsExactly(0, 1, 3);
        assertThat(LatestPerKey.inKeyOrder(VERSIONED, List.of(rows.get(2), rows.get(0), rows.get(1))))
                .as("nothing conflated, key order").containsExactly(1, 2, 0);
    }

    @Test
    void numbersCompareByValue() {
        assertThat(LatestPerKey.compare(2, 10L)).isNegative();
        assertThat(LatestPerKey.compare(new BigDecimal("1.50"), new BigDecimal("1.5"))).isZero();
        assertThat(LatestPerKey.compare(-0.0d, 0.0d)).isZero();
        assertThat(LatestPerKey.compare("a", "b")).isNull();
    }
}
