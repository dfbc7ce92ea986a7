package io.hooksync.infra.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.List;

import org.junit.jupiter.api.Test;

class PostgresArraysTest {

    @Test
    void rowsSharingAKeyGoToSuccessiveStatementsInTheirOrder() {
        List<Object[]> rows = List.of(
                new Object[] {1L, "a"}, new Object[] {2L, "b"}, new Object[] {1L, "c"}, new Object[] {1L, "d"},
                new Object[] {3L, "e"}, new Object[] {2L, "f"});
        assertThat(PostgresArrays.generations(rows, new int[] {0}))
                .containsExactly(List.of(0, 1, 4), List.of(2, 5), List.of(3));
    }

    @Test
    void compositeAndNumericKeysCompareByValue() {
        List<Object[]> rows = List.of(new Object[] {new BigDecimal("1.0"), "x"}, new Object[] {new BigDecimal("1.00"), "x"},
                new Object[] {new BigDecimal("1.00"), "y"});
        assertThat(PostgresArrays.generations(rows, new int[] {0, 1})).containsExactly(List.of(0, 2), List.of(1));
    }

    @Test
    void valuesTravelAsTextPostgresReadsBack() {
        assertThat(PostgresArrays.text(null)).isNull();
        assertThat(PostgresArrays.text(new BigDecimal("1E+3"))).isEqualTo("1000");
        assertThat(PostgresArrays.text(OffsetDateTime.parse("2019-05-15T15:20:18Z"))).isEqualTo("2019-05-15T15:20:18Z");
        assertThat(PostgresArrays.text(42L)).isEqualTo("42");
        assertThat(PostgresArrays.text(true)).isEqualTo("true");
    }
}
