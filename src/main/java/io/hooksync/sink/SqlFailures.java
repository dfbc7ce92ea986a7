package io.hooksync.sink;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;

/**
 * Tells a database outage (retry the whole batch later, never dead-letter) from an error caused by
 * the data (constraint, type, overflow: the event is poison). Connection trouble (SQLState 08),
 * shutdowns (57), serialization failures and deadlocks (40) and failures without any SQLState count
 * as outages; any other SQLState is the event's fault.
 */
final class SqlFailures {

    private SqlFailures() {
    }

    static boolean isOutage(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientConnectionException || t instanceof SQLNonTransientConnectionException
                    || t instanceof SQLRecoverableException) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null && !sql.getSQLState().isBlank()) {
                String state = sql.getSQLState();
                return state.startsWith("08") || state.startsWith("57") || state.startsWith("40")
                        || state.startsWith("53") || state.equals("HY000") && sql.getErrorCode() == 0;
            }
        }
        return true;
    }
}
