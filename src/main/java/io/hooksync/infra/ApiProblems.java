package io.hooksync.infra;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.MessageSourceResolvable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.validation.FieldError;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.NoHandlerFoundException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * The one error advice of the management API (and everything else Spring MVC serves): every refusal is RFC 9457
 * problem+json with {@code type urn:hooksync:problem:<reason>}. Spring's {@link ResponseEntityExceptionHandler}
 * turns MVC's own exceptions into problems (404 for an unknown path or id, 405, 406, 415, 413); this class names the
 * fields of a 400 ({@code errors: [{field, message}]}, from Bean Validation, malformed or mistyped JSON, parameters)
 * and answers anything unexpected with a 500 that shows no internals (the log has them, under the problem's
 * {@code instance} id). Refusals below MVC (filters, Tomcat) are written by {@link ProblemResponses} in the same shape.
 */
@RestControllerAdvice
class ApiProblems extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiProblems.class);
    private static final Map<Integer, String> REASONS = Map.of(400, "invalid-request", 401, "unauthorized",
            403, "forbidden", 404, "not-found", 405, "method-not-allowed", 406, "not-acceptable", 409, "conflict",
            413, "body-too-large", 415, "unsupported-media-type", 503, "unavailable");

    @ExceptionHandler(InvalidFieldsException.class)
    ResponseEntity<Object> invalidFields(InvalidFieldsException e) {
        return invalid(e.errors());
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<Object> mistypedParameter(MethodArgumentTypeMismatchException e) {
        return invalid(List.of(new InvalidFieldsException.FieldError(e.getName(), expected(e.getRequiredType()))));
    }

    /** Anything else: 500 without the exception's text, which may name tables, hosts or internal state. */
    @ExceptionHandler(Exception.class)
    ResponseEntity<Object> unexpected(Exception e) {
        String id = UUID.randomUUID().toString();
        log.error("Management API request failed (problem instance urn:uuid:{})", id, e);
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.INTERNAL_SERVER_ERROR,
                "the request failed; the engine's log has the cause under this problem's instance");
        problem.setType(URI.create("urn:hooksync:problem:internal-error"));
        problem.setTitle("Internal error");
        problem.setInstance(URI.create("urn:uuid:" + id));
        return ResponseEntity.internalServerError().body(problem);
    }

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException e, HttpHeaders headers,
                                                                  HttpStatusCode status, WebRequest request) {
        List<InvalidFieldsException.FieldError> errors = new ArrayList<>();
        for (FieldError error : e.getBindingResult().getFieldErrors()) {
            errors.add(new InvalidFieldsException.FieldError(error.getField(), error.getDefaultMessage()));
        }
        e.getBindingResult().getGlobalErrors().forEach(error ->
                errors.add(new InvalidFieldsException.FieldError(error.getObjectName(), error.getDefaultMessage())));
        return invalid(errors);
    }

    @Override
    protected ResponseEntity<Object> handleHandlerMethodValidationException(HandlerMethodValidationException e,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<InvalidFieldsException.FieldError> errors = new ArrayList<>();
        e.getParameterValidationResults().forEach(result -> {
            String name = result.getMethodParameter().getParameterName();
            for (MessageSourceResolvable error : result.getResolvableErrors()) {
                String field = error instanceof FieldError f ? f.getField() : name;
                errors.add(new InvalidFieldsException.FieldError(field, error.getDefaultMessage()));
            }
        });
        return invalid(errors);
    }

    @Override
    protected ResponseEntity<Object> handleMissingServletRequestParameter(MissingServletRequestParameterException e,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        return invalid(List.of(new InvalidFieldsException.FieldError(e.getParameterName(), "required")));
    }

    /**
     * Malformed JSON names no field; JSON of the wrong shape names the field it could not read; an unknown field
     * ({@link StrictRequestBodies}) is named with the ones the request has.
     */
    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException e, HttpHeaders headers,
                                                                  HttpStatusCode status, WebRequest request) {
        if (e.getCause() instanceof UnrecognizedPropertyException unknown) {
            return invalid(List.of(new InvalidFieldsException.FieldError(path(unknown), "unknown field (known: "
                    + String.join(", ", unknown.getKnownPropertyIds().stream().map(String::valueOf).sorted().toList())
                    + ")")));
        }
        if (e.getCause() instanceof MismatchedInputException mismatch && !mismatch.getPath().isEmpty()) {
            String expected = mismatch instanceof InvalidFormatException || mismatch.getTargetType() != null
                    ? expected(mismatch.getTargetType()) : "a value of another type";
            return invalid(List.of(new InvalidFieldsException.FieldError(path(mismatch), expected)));
        }
        ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, e.getCause() instanceof JsonMappingException
                ? "the body does not have the expected shape" : "the body is not valid JSON");
        return ResponseEntity.badRequest().body(problem);
    }

    /** An unknown path: Spring's detail ("No static resource api/x.") would send an API client looking for files. */
    @Override
    protected ResponseEntity<Object> handleNoResourceFoundException(NoResourceFoundException e, HttpHeaders headers,
                                                                    HttpStatusCode status, WebRequest request) {
        return unknownPath();
    }

    @Override
    protected ResponseEntity<Object> handleNoHandlerFoundException(NoHandlerFoundException e, HttpHeaders headers,
                                                                   HttpStatusCode status, WebRequest request) {
        return unknownPath();
    }

    private static ResponseEntity<Object> unknownPath() {
        return ResponseEntity.status(HttpStatus.NOT_FOUND).body(problem(HttpStatus.NOT_FOUND,
                "nothing is served at this path; the API is described at /v3/api-docs"));
    }

    /** Every problem Spring MVC builds gets Hooksync's type for its status, so clients can switch on it. */
    @Override
    protected ResponseEntity<Object> createResponseEntity(Object body, HttpHeaders headers, HttpStatusCode status,
                                                          WebRequest request) {
        if (body instanceof ProblemDetail problem && (problem.getType() == null
                || URI.create("about:blank").equals(problem.getType()))) {
            problem.setType(URI.create("urn:hooksync:problem:" + REASONS.getOrDefault(status.value(), "error")));
        }
        return super.createResponseEntity(body, headers, status, request);
    }

    static ResponseEntity<Object> invalid(Collection<InvalidFieldsException.FieldError> errors) {
        ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, errors.size() + " invalid field(s): "
                + String.join("; ", errors.stream().map(e -> e.field() + ": " + e.message()).toList()));
        problem.setProperty("errors", errors);
        return ResponseEntity.badRequest().body(problem);
    }

    private static ProblemDetail problem(HttpStatus status, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(URI.create("urn:hooksync:problem:" + REASONS.get(status.value())));
        problem.setTitle(status == HttpStatus.BAD_REQUEST ? "Invalid request" : status.getReasonPhrase());
        return problem;
    }

    private static String path(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                path.append(path.isEmpty() ? "" : ".").append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    private static String expected(Class<?> type) {
        if (type == null) {
            return "a value of another type";
        }
        if (type == Duration.class) {
            return "an ISO-8601 duration such as PT24H";
        }
        if (type == Instant.class) {
            return "an ISO-8601 instant such as 2026-11-28T10:00:00Z";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class
                || type == Short.class || type == short.class) {
            return "a whole number";
        }
        if (Number.class.isAssignableFrom(type) || type.isPrimitive()) {
            return "a number";
        }
        if (Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "a list";
        }
        if (Map.class.isAssignableFrom(type)) {
            return "an object";
        }
        return "a " + type.getSimpleName().toLowerCase(Locale.ROOT);
    }
}
