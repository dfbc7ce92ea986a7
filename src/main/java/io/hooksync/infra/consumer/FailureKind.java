package io.hooksync.infra.consumer;

/** Whose fault a failure is, as {@link Failures#classify} reads it. */
public enum FailureKind {

    /** Something the record does not control is down (database, broker, network): wait and retry it, set nothing aside. */
    OUTAGE,

    /** The record itself cannot be handled (data too long, constraint, unreadable): set it aside. */
    POISON,

    /** Neither is known: retry a bounded number of times, then set the record aside. */
    UNKNOWN
}
