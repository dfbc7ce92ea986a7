package io.hooksync.timeline;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.context.MessageSourceResolvable;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.HandlerMethodValidationException;

/**
 * Invalid query parameters of the events API as RFC 9457 problem+json naming each parameter and what
 * it must be (Spring's default body says only "Validation failure").
 */
@Order(Ordered.HIGHEST_PRECEDENCE)   // before Spring Boot's generic problem-details advice
@RestControllerAdvice(assignableTypes = EventController.class)
class ValidationProblems {

    @ExceptionHandler(HandlerMethodValidationException.class)
    ResponseEntity<ProblemDetail> invalid(HandlerMethodValidationException e) {
        List<Map<String, String>> errors = new ArrayList<>();
        e.getParameterValidationResults().forEach(result -> {
            String name = result.getMethodParameter().getParameterName();
            for (MessageSourceResolvable error : result.getResolvableErrors()) {
                Map<String, String> problem = new LinkedHashMap<>();
                problem.put("field", name);
                problem.put("message", error.getDefaultMessage());
                errors.add(problem);
            }
        });
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
                errors.size() + " invalid parameter(s)");
        problem.setType(URI.create("urn:hooksync:problem:invalid-request"));
        problem.setTitle("Invalid request");
        problem.setProperty("errors", errors);
        return ResponseEntity.badRequest().body(problem);
    }
}
