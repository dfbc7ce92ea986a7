package io.hooksync.backfill;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** A request to replay a route's history. */
record ReplayRequest(
        @Schema(description = "preview: into a shadow table, then the difference; apply: into the real table",
                allowableValues = {"preview", "apply"})
        @NotNull @Pattern(regexp = "preview|apply", message = "must be preview or apply") String mode,
        @Schema(description = "beginning (the oldest retained event), or an ISO-8601 instant", example = "beginning")
        @NotBlank @Size(max = 40) String start,
        @Schema(description = "apply only: changed rows also emit their outbound event (default false: receivers got"
                + " them when they happened)")
        Boolean emit) {

    boolean emitting() {
        return Boolean.TRUE.equals(emit);
    }
}
