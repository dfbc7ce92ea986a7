package io.hooksync.infra.consumer;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.time.DateTimeException;

import com.fasterxml.jackson.core.JsonProcessingException;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.SerializationException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessResourceException;

/**
 * Tells an outage from a record's fault, walking the cause chain; the first cause that says something
 * decides. Outage: connection trouble (SQLState class 08, the JDBC connection exception types, Spring's
 * resource failures, refused or timed-out sockets), shutdowns (57), serialization failures and deadlocks
 * (40), exhausted resources (53), MariaDB's state-less HY000 with error code 0, and Kafka's retriable
 * errors. Poison: data exceptions (22) and integrity violations (23), unreadable JSON or times, a record
 * Kafka refuses (too large, not serializable), a stack overflow (a record nested too deep) and
 * {@link RecordRejectedException}. Anything else is
 * {@link FailureKind#UNKNOWN}.
 */
public final class Failures {

    private Failures() {
    }

    public static FailureKind classify(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            FailureKind kind = own(t);
            if (kind != null) {
                return kind;
            }
        }
        return FailureKind.UNKNOWN;
    }

    /** What an SQLException's state says: {@code null} when it has none. */
    public static FailureKind ofSqlState(SQLException sql) {
        String state = sql.getSQLState();
        if (state == null || state.isBlank()) {
            return null;
        }
        if (state.startsWith("08") || state.startsWith("57") || state.startsWith("40") || state.startsWith("53")
                || state.equals("HY000") && sql.getErrorCode() == 0) {
            return FailureKind.OUTAGE;
        }
        return state.startsWith("22") || state.startsWith("23") ? FailureKind.POISON : FailureKind.UNKNOWN;
    }

    /** True for the JDBC and Spring types that mean "no connection", whatever their state says. */
    public static boolean isConnectionFailure(Throwable t) {
        return t instanceof SQLTransientConnectionException || t instanceof SQLNonTransientConnectionException
                || t instanceof SQLRecoverableException || t instanceof DataAccessResourceFailureException
                || t instanceof TransientDataAccessResourceException;
    }

    private static FailureKind own(Throwable t) {
        if (isConnectionFailure(t) || t instanceof RetriableException || isNetwork(t)) {
            return FailureKind.OUTAGE;
        }
        if (t instanceof SQLException sql) {
            return ofSqlState(sql);
        }
        if (t instanceof RecordRejectedException || t instanceof JsonProcessingException || t instanceof StackOverflowError
                || t instanceof DateTimeException || t instanceof RecordTooLargeException
                || t instanceof RecordBatchTooLargeException || t instanceof SerializationException
                || t instanceof InvalidRecordException) {
            return FailureKind.POISON;
        }
        return null;
    }

    private static boolean isNetwork(Throwable t) {
        return t instanceof ConnectException || t instanceof NoRouteToHostException
                || t instanceof UnknownHostException || t instanceof SocketTimeoutException
                || t instanceof IOException && t.getClass().getName().startsWith("java.net.");
    }
}
