package io.hooksync.outbound;

import java.util.List;

/** A request the API refuses: 400 with every field problem listed. */
final class InvalidRequestException extends RuntimeException {

    private final List<EndpointRequest.FieldProblem> problems;

    InvalidRequestException(List<EndpointRequest.FieldProblem> problems) {
        super(problems.size() + " invalid field(s): " + problems.stream()
                .map(p -> p.field() + ": " + p.message()).reduce((a, b) -> a + "; " + b).orElse(""));
        this.problems = List.copyOf(problems);
    }

    List<EndpointRequest.FieldProblem> problems() {
        return problems;
    }
}
