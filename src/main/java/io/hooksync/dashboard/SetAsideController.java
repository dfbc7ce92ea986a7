package io.hooksync.dashboard;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;
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
    SetAsideList.Page setAside(@RequestParam(defaultValue = "100") int limit,
                               @RequestParam(required = false) String consumer) {
        if (limit < 1 || limit > MAX_LIMIT) {
            ErrorResponseException e = new ErrorResponseException(HttpStatus.BAD_REQUEST);
            e.setDetail("limit must be between 1 and " + MAX_LIMIT);
            throw e;
        }
        if (consumer != null && (consumer.isBlank() || consumer.length() > 100)) {
            ErrorResponseException e = new ErrorResponseException(HttpStatus.BAD_REQUEST);
            e.setDetail("consumer must be 1 to 100 characters");
            throw e;
        }
        return list.newest(consumer, limit);
    }
}
