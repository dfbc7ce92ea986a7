package io.hooksync.timeline;

import java.util.List;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/** {@code /api/events}: accepted events, newest first; one event's timeline; a live stream of new ones. */
@RestController
@RequestMapping("/api/events")
@Tag(name = "Events", description = "Accepted webhook events and what happened to each")
class EventController {

    private final TimelineQueries queries;
    private final EventStream stream;

    EventController(TimelineQueries queries, EventStream stream) {
        this.queries = queries;
        this.stream = stream;
    }

    @GetMapping
    @Operation(summary = "List events, newest first",
            description = "status: received (no route has it yet, or none subscribes), processed (a route's ledger has"
                    + " it), dead_letter (an open dead letter). Page with before = the last id of the previous page.")
    List<EventSummary> list(@RequestParam(required = false) @Size(max = 100) String source,
                                   @RequestParam(required = false) @Size(max = 200) String type,
                                   @RequestParam(required = false) @Pattern(regexp = "received|processed|dead_letter",
                                           message = "one of received, processed, dead_letter") String status,
                                   @RequestParam(required = false) @Min(1) Long before,
                                   @RequestParam(defaultValue = "50") @Min(1) @Max(500) int limit) {
        return queries.list(source, type, status, before, null, limit);
    }

    @GetMapping("/{source}/{id}")
    @Operation(summary = "The timeline of one event",
            description = "Receipts (headers without secrets, body truncated), each route's ledger outcome and rows"
                    + " written, dead letters, outbox rows, and for each outbound message its deliveries and attempts.")
    EventTimeline timeline(@PathVariable String source, @PathVariable String id) {
        EventTimeline timeline = queries.timeline(source, id);
        if (timeline == null) {
            ErrorResponseException e = new ErrorResponseException(HttpStatus.NOT_FOUND);
            e.setDetail("no event '" + id + "' from source '" + source + "' (it may have been pruned)");
            throw e;
        }
        return timeline;
    }

    @GetMapping(path = "/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    @Operation(summary = "Server-sent events: one 'event' message per newly recorded event (same fields as the list)")
    SseEmitter stream(@RequestHeader(name = "Last-Event-ID", required = false) Long lastEventId) {
        return stream.subscribe(lastEventId);
    }
}
