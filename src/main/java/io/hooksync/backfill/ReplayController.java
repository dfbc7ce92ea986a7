package io.hooksync.backfill;

import java.time.Clock;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code /api/routes/{id}/replays}: preview or apply a route's history through its current mapping. */
@RestController
@RequestMapping("/api/routes/{routeId}/replays")
@Tag(name = "Backfill", description = "Replay a route's history through its current mapping: preview, apply")
class ReplayController {

    private final Replays replays;
    private final ReplayStore store;
    private final ObjectMapper json;
    private final Clock clock;

    ReplayController(Replays replays, ReplayStore store, ObjectMapper json, Clock clock) {
        this.replays = replays;
        this.store = store;
        this.json = json;
        this.clock = clock;
    }

    @PostMapping
    @Operation(summary = "Start a preview (shadow table, then the difference) or an apply (the real table, version"
            + " guarded, no outbound events unless emit) of the route's events since start; 409 while one runs")
    ResponseEntity<ReplayStatus> create(@PathVariable String routeId, @Valid @RequestBody ReplayRequest request) {
        Replay replay = replays.create(routeId, request.mode(), request.start(), request.emitting());
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(ReplayStatus.of(replay, clock.millis()));
    }

    @GetMapping
    @Operation(summary = "The route's latest replays, newest first (at most 20)")
    List<ReplayStatus> list(@PathVariable String routeId) {
        replays.route(routeId);
        long now = clock.millis();
        return store.list(routeId, 20).stream().map(r -> ReplayStatus.of(r, now)).toList();
    }

    @GetMapping("/{replayId}")
    @Operation(summary = "Status and progress of one replay")
    ReplayStatus status(@PathVariable String routeId, @PathVariable String replayId) {
        return ReplayStatus.of(replays.find(routeId, replayId), clock.millis());
    }

    @PostMapping("/{replayId}/cancel")
    @Operation(summary = "Cancel a queued or running replay (a preview's shadow table is dropped)")
    ResponseEntity<ReplayStatus> cancel(@PathVariable String routeId, @PathVariable String replayId) {
        Replay replay = replays.cancel(routeId, replayId);
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(ReplayStatus.of(replay, clock.millis()));
    }

    @GetMapping("/{replayId}/result")
    @Operation(summary = "A finished preview's difference: rows inserted, changed (with the columns), unchanged,"
            + " deleted, and a bounded sample")
    ReplayDiff result(@PathVariable String routeId, @PathVariable String replayId) {
        Replay replay = replays.find(routeId, replayId);
        if (!replay.preview()) {
            throw Replays.problem(HttpStatus.CONFLICT, "replay " + replayId + " is an apply: it has no difference,"
                    + " its counts are in its status");
        }
        String result = store.result(replayId).orElseThrow(() -> Replays.problem(HttpStatus.CONFLICT,
                "replay " + replayId + " has no difference (" + replay.state() + ")"));
        try {
            return json.readValue(result, ReplayDiff.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored difference of replay " + replayId + " is unreadable", e);
        }
    }
}
