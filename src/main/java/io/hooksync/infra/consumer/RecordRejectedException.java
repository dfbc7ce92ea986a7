package io.hooksync.infra.consumer;

/** Thrown by a processor to say the record is at fault and can never be handled: it is set aside at once. */
public class RecordRejectedException extends RuntimeException {

    public RecordRejectedException(String message) {
        super(message);
    }

    public RecordRejectedException(String message, Throwable cause) {
        super(message, cause);
    }
}
