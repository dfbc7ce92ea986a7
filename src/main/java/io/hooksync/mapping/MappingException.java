package io.hooksync.mapping;

/** An event that a mapping cannot turn into rows: the event is poison, retrying the database won't help. */
public class MappingException extends Exception {

    public MappingException(String message) {
        super(message);
    }

    public MappingException(String message, Throwable cause) {
        super(message, cause);
    }
}
