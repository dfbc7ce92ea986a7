package io.hooksync.sink;

/** The database cannot be reached: not the event's fault. The consumer keeps its offsets and waits. */
class DatabaseUnavailableException extends RuntimeException {

    DatabaseUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
