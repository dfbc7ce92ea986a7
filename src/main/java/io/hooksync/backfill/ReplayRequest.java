package io.hooksync.backfill;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * A request to replay a route's history. No springdoc {@code @Schema} here: the swagger-annotations on the
 * classpath lack {@code Schema.types()}, which springdoc calls, and {@code /v3/api-docs} would answer 500.
 *
 * @param mode  {@code preview} (into a shadow table, then the difference) or {@code apply} (into the real table)
 * @param start {@code beginning} (the oldest retained event), or an ISO-8601 instant
 * @param emit  apply only: changed rows also emit their outbound event (default false: receivers got them when
 *              they happened)
 */
record ReplayRequest(
        @NotNull @Pattern(regexp = "preview|apply", message = "must be preview or apply") String mode,
        @NotBlank @Size(max = 40) String start,
        Boolean emit) {

    boolean emitting() {
        return Boolean.TRUE.equals(emit);
    }
}
