package io.hooksync.dashboard;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /api/set-aside}: what the consumer loops set aside so they could go on. */
@RestController
@RequestMapping("/api")
@Tag(name = "Dashboard", description = "Analytics and the routes overview")
class SetAsideController {

    private static final int MAX_LIMIT = 500;

    private final SetAsideList list;

    SetAsideController(SetAsideList list) {
        this.list = list;
    }

    @GetMapping("/set-aside")
    @Operation(summary = "Records the timeline, delivery dispatcher, hooksync-messages routes and CDC capture could"
            + " not handle and set aside, newest first (limit 1..500, optionally one consumer), with the total count")
    SetAsideList.Page setAside(@RequestParam(defaultValue = "100") @Min(1) @Max(MAX_LIMIT) int limit,
                               @RequestParam(required = false) @Size(min = 1, max = 100)
                               @Pattern(regexp = "(?s).*\\S.*", message = "must not be blank") String consumer) {
        return list.newest(consumer, limit);
    }
}
