package io.hooksync.outbound;

import java.util.List;

import io.hooksync.infra.InvalidFieldsException;

/** An endpoint request the API refuses: 400 with every field problem listed (answered by the API's one advice). */
final class InvalidRequestException extends InvalidFieldsException {

    InvalidRequestException(List<EndpointRequest.FieldProblem> problems) {
        super(problems.stream().map(p -> new FieldError(p.field(), p.message())).toList());
    }
}
