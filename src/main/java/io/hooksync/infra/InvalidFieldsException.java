package io.hooksync.infra;

import java.util.List;

/**
 * A request the management API refuses: 400 problem+json listing every invalid field, each named
 * ({@code errors: [{field, message}]}). Thrown by checks Bean Validation cannot express (a receiver URL the SSRF
 * guard refuses, a JSONata filter that does not compile, a pair of parameters of which one is needed).
 */
public class InvalidFieldsException extends RuntimeException {

    /** One invalid field (or parameter) and what it must be. */
    public record FieldError(String field, String message) {
    }

    private final transient List<FieldError> errors;

    public InvalidFieldsException(List<FieldError> errors) {
        super(errors.size() + " invalid field(s): " + errors.stream().map(e -> e.field() + ": " + e.message())
                .reduce((a, b) -> a + "; " + b).orElse(""));
        this.errors = List.copyOf(errors);
    }

    public static InvalidFieldsException of(String field, String message) {
        return new InvalidFieldsException(List.of(new FieldError(field, message)));
    }

    public List<FieldError> errors() {
        return errors;
    }
}
