package io.hooksync.outbound;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.hooksync.infra.InvalidFieldsException;
import io.hooksync.infra.ProblemResponses;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.ErrorResponseException;

/**
 * {@code /api/endpoints}: outbound endpoints, their deliveries and attempts; {@code /api/messages}.
 * Secrets are shown once, when created or rotated; every other answer masks them. Header values are
 * write-only (every answer shows the names, each value as {@code ****}). Callers without the admin role
 * (read-only tokens) see a receiver URL as its origin only, {@code scheme://host[:port]}: paths and
 * queries often hold the receiver's own credentials.
 */
@RestController
@RequestMapping("/api")
class EndpointController {

    private static final String ADMIN = "ROLE_ADMIN";

    private final EndpointService service;
    private final DeliveryQueries queries;
    private final Deliverer deliverer;

    EndpointController(EndpointService service, DeliveryQueries queries, Deliverer deliverer) {
        this.service = service;
        this.queries = queries;
        this.deliverer = deliverer;
    }

    @GetMapping("/endpoints")
    List<EndpointView> list() {
        return service.list().stream().map(e -> view(e, false)).toList();
    }

    @PostMapping("/endpoints")
    ResponseEntity<EndpointView> create(@RequestBody EndpointRequest request) {
        Endpoint created = service.create(request);
        return ResponseEntity.created(URI.create("/api/endpoints/" + created.id())).body(view(created, true));
    }

    @GetMapping("/endpoints/{id}")
    EndpointView get(@PathVariable String id) {
        return view(service.get(id), false);
    }

    @PatchMapping("/endpoints/{id}")
    EndpointView update(@PathVariable String id, @RequestBody EndpointRequest request) {
        return view(service.update(id, request), false);
    }

    @DeleteMapping("/endpoints/{id}")
    ResponseEntity<Void> delete(@PathVariable String id) {
        service.delete(id);
        return ResponseEntity.noContent().build();
    }

    @PostMapping("/endpoints/{id}/enable")
    EndpointView enable(@PathVariable String id) {
        return view(service.setEnabled(id, true), false);
    }

    @PostMapping("/endpoints/{id}/disable")
    EndpointView disable(@PathVariable String id) {
        return view(service.setEnabled(id, false), false);
    }

    /** Body (optional): {@code {"overlap": "PT24H"}}; default 24 hours. */
    @PostMapping("/endpoints/{id}/rotate-secret")
    EndpointView rotate(@PathVariable String id, @RequestBody(required = false) EndpointCalls.Rotate body) {
        Duration overlap = body == null || body.overlap() == null ? Duration.ofHours(24) : body.overlap();
        return view(service.rotate(id, overlap), true);
    }

    @PostMapping("/endpoints/{id}/test")
    ResponseEntity<EndpointCalls.TestSent> test(@PathVariable String id) {
        return ResponseEntity.accepted().body(new EndpointCalls.TestSent(service.sendTest(id)));
    }

    @GetMapping("/endpoints/{id}/deliveries")
    DeliveryQueries.Page<DeliveryQueries.DeliveryView> deliveries(@PathVariable String id, @RequestParam(required = false) String status,
                                    @RequestParam(required = false) Instant since,
                                    @RequestParam(required = false) Long before,
                                    @RequestParam(defaultValue = "50") @Min(1) @Max(500) int limit) {
        service.get(id);
        return queries.deliveries(id, null, status, millis(since), before, limit);
    }

    @GetMapping("/endpoints/{id}/attempts")
    DeliveryQueries.Page<DeliveryQueries.Attempt> attempts(@PathVariable String id, @RequestParam(required = false) String outcome,
                                  @RequestParam(required = false) String messageId,
                                  @RequestParam(required = false) Instant since,
                                  @RequestParam(required = false) Long before,
                                  @RequestParam(defaultValue = "50") @Min(1) @Max(500) int limit) {
        service.get(id);
        return queries.attempts(id, messageId, outcome, millis(since), before, limit);
    }

    @PostMapping("/endpoints/{id}/messages/{messageId}/resend")
    ResponseEntity<EndpointCalls.Resent> resend(@PathVariable String id, @PathVariable String messageId) {
        if (!service.resend(id, messageId)) {
            ErrorResponseException e = new ErrorResponseException(HttpStatus.NOT_FOUND);
            e.setDetail("no message '" + messageId + "'");
            throw e;
        }
        return ResponseEntity.accepted().body(new EndpointCalls.Resent(id, messageId));
    }

    /** Body: {@code {"since": "2026-11-28T10:00:00Z"}}: every failed delivery created since then is sent again. */
    @PostMapping("/endpoints/{id}/recover")
    EndpointCalls.Recovered recover(@PathVariable String id,
                                    @RequestBody(required = false) @Valid EndpointCalls.Recover body) {
        if (body == null) {
            throw InvalidFieldsException.of("since", EndpointCalls.Recover.REQUIRED);
        }
        return new EndpointCalls.Recovered(id, service.recover(id, body.since().toEpochMilli()));
    }

    @GetMapping("/messages")
    List<DeliveryQueries.MessageView> messages(@RequestParam(required = false) String type,
                                       @RequestParam(required = false) Long before,
                                       @RequestParam(defaultValue = "50") @Min(1) @Max(500) int limit) {
        return queries.messages(type, before, limit);
    }

    @GetMapping("/messages/{id}/deliveries")
    DeliveryQueries.Page<DeliveryQueries.DeliveryView> messageDeliveries(@PathVariable String id) {
        if (!queries.messageExists(id)) {
            ErrorResponseException e = new ErrorResponseException(HttpStatus.NOT_FOUND);
            e.setDetail("no message '" + ProblemResponses.echoable(id) + "' (it may have been pruned)");
            throw e;
        }
        return queries.deliveries(null, id, null, null, null, 100);
    }

    private EndpointView view(Endpoint e, boolean showSecret) {
        return EndpointView.of(e, showSecret, callerIsAdmin(), deliverer.breakerStates().getOrDefault(e.id(), "CLOSED"),
                System.currentTimeMillis());
    }

    private static boolean callerIsAdmin() {
        Authentication caller = SecurityContextHolder.getContext().getAuthentication();
        return caller != null && caller.getAuthorities().stream().anyMatch(a -> ADMIN.equals(a.getAuthority()));
    }

    private static Long millis(Instant since) {
        return since == null ? null : since.toEpochMilli();
    }
}
