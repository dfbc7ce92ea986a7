package io.hooksync.sink;

import io.hooksync.infra.consumer.FailureKind;
import io.hooksync.infra.consumer.Failures;

/**
 * Tells a database outage (retry the whole batch later, never dead-letter) from an error caused by the
 * data (constraint, type, overflow: the event is poison), with the outage rules every consumer shares
 * ({@link Failures}). Stricter than them in one way: the sink counts any SQLState that is not an outage
 * as the event's fault (its bounded retries and dead letter stand in for "unknown"), and a failure
 * without any SQLState as an outage.
 */
final class SqlFailures {

    private SqlFailures() {
    }

    static boolean isOutage(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (Failures.isConnectionFailure(t)) {
                return true;
            }
            if (t instanceof java.sql.SQLException sql) {
                FailureKind kind = Failures.ofSqlState(sql);
                if (kind != null) {
                    return kind == FailureKind.OUTAGE;
                }
            }
        }
        return true;
    }
}
