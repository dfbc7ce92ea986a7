package io.hooksync.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

import org.junit.jupiter.api.Test;

/** The small decisions of the sink as pure functions: which events a route takes, outage or poison. */
class SinkPoliciesTest {

    @Test
    void typesMatchExactlyByPrefixOrAll() {
        TypeFilter filter = TypeFilter.parse("issues, customer.*", null);
        assertThat(filter.matches("issues", null)).isTrue();
        assertThat(filter.matches("customer.updated", null)).isTrue();
        assertThat(filter.matches("customers", null)).isFalse();
        assertThat(filter.matches("issue_comment", null)).isFalse();
        assertThat(TypeFilter.parse("*", null).matches("anything", null)).isTrue();
        assertThat(TypeFilter.parse("", null).matches("anything", null)).isTrue();
    }

    @Test
    void actionsNarrowTheTypes() {
        TypeFilter filter = TypeFilter.parse("issues", "opened,edited");
        assertThat(filter.matches("issues", "opened")).isTrue();
        assertThat(filter.matches("issues", "deleted")).isFalse();
        assertThat(filter.matches("issues", null)).isFalse();
    }

    @Test
    void connectionTroubleIsAnOutageAndBadDataIsPoison() {
        assertThat(SqlFailures.isOutage(new SQLTransientConnectionException("pool timeout"))).isTrue();
        assertThat(SqlFailures.isOutage(new SQLException("refused", "08001"))).isTrue();
        assertThat(SqlFailures.isOutage(new SQLException("admin shutdown", "57P01"))).isTrue();
        assertThat(SqlFailures.isOutage(new SQLException("deadlock", "40P01"))).isTrue();
        assertThat(SqlFailures.isOutage(new RuntimeException("no SQLState", new java.io.IOException()))).isTrue();
        assertThat(SqlFailures.isOutage(new SQLException("value too long", "22001"))).isFalse();
        assertThat(SqlFailures.isOutage(new SQLException("not null violation", "23502"))).isFalse();
        assertThat(SqlFailures.isOutage(new SQLException("wrapped", new SQLException("bad date", "22007")))).isFalse();
    }
}
