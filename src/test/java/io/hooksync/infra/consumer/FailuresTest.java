package io.hooksync.infra.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

import com.fasterxml.jackson.core.JsonParseException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.BadSqlGrammarException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;

/** Whose fault a failure is: the record's (set it aside), an outage's (wait), or unknown (bounded attempts). */
class FailuresTest {

    @Test
    void dataAndIntegrityErrorsAndUnreadableRecordsArePoison() {
        assertThat(Failures.classify(new SQLException("value too long", "22001"))).isEqualTo(FailureKind.POISON);
        assertThat(Failures.classify(new DataIntegrityViolationException("dup",
                new SQLException("duplicate key", "23505")))).isEqualTo(FailureKind.POISON);
        assertThat(Failures.classify(new IllegalStateException("wrapped",
                new JsonParseException(null, "Unexpected character")))).isEqualTo(FailureKind.POISON);
        assertThat(Failures.classify(new java.time.format.DateTimeParseException("bad", "x", 0)))
                .isEqualTo(FailureKind.POISON);
        assertThat(Failures.classify(new RecordTooLargeException("2 MB"))).isEqualTo(FailureKind.POISON);
        assertThat(Failures.classify(new StackOverflowError())).isEqualTo(FailureKind.POISON);
        assertThat(Failures.classify(new RecordRejectedException("no"))).isEqualTo(FailureKind.POISON);
    }

    @Test
    void connectionTroubleShutdownsDeadlocksAndKafkaTimeoutsAreOutages() {
        assertThat(Failures.classify(new CannotGetJdbcConnectionException("pool"))).isEqualTo(FailureKind.OUTAGE);
        assertThat(Failures.classify(new SQLTransientConnectionException("pool timeout"))).isEqualTo(FailureKind.OUTAGE);
        assertThat(Failures.classify(new SQLException("refused", "08001"))).isEqualTo(FailureKind.OUTAGE);
        assertThat(Failures.classify(new SQLException("admin shutdown", "57P01"))).isEqualTo(FailureKind.OUTAGE);
        assertThat(Failures.classify(new SQLException("deadlock", "40P01"))).isEqualTo(FailureKind.OUTAGE);
        assertThat(Failures.classify(new SQLException("MariaDB gone", "HY000", 0))).isEqualTo(FailureKind.OUTAGE);
        assertThat(Failures.classify(new TimeoutException("no ack"))).isEqualTo(FailureKind.OUTAGE);
        assertThat(Failures.classify(new RuntimeException(new java.net.ConnectException("refused"))))
                .isEqualTo(FailureKind.OUTAGE);
    }

    @Test
    void anythingElseIsUnknown() {
        assertThat(Failures.classify(new IllegalStateException("route failed"))).isEqualTo(FailureKind.UNKNOWN);
        assertThat(Failures.classify(new BadSqlGrammarException("insert", "INSERT",
                new SQLException("relation does not exist", "42P01")))).isEqualTo(FailureKind.UNKNOWN);
        assertThat(Failures.classify(new SQLException("no state"))).isEqualTo(FailureKind.UNKNOWN);
    }
}
