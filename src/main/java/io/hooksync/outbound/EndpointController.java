package io.hooksync.outbound;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

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
    List<Map<String, Object>> list() {
        return service.list().stream().map(e -> view(e, false)).toList();
    }

    @PostMapping("/endpoints")
    ResponseEntity<Map<String, Object>> create(@RequestBody EndpointRequest request) {
        Endpoint created = service.create(request);
        return ResponseEntity.created(URI.create("/api/endpoints/" + created.id())).body(view(created, true));
    }

    @GetMapping("/endpoints/{id}")
    Map<String, Object> get(@PathVariable String id) {
        return view(service.get(id), false);
    }

    @PatchMapping("/endpoints/{id}")
    Map<String, Object> update(@PathVariable String id, @RequestBody EndpointRequest request) {
        return view(service.update(id, request), false);
    }

    @DeleteMapping("/endpoints/{id}")
    ResponseEntity<Void> delete(@PathVariable String id) {
        service.delete(id);
        return ResponseEntity.noContent().build();
    }

    @PostMapping("/endpoints/{id}/enable")
    Map<String, Object> enable(@PathVariable String id) {
        return view(service.setEnabled(id, true), false);
    }

    @PostMapping("/endpoints/{id}/disable")
    Map<String, Object> disable(@PathVariable String id) {
        return view(service.setEnabled(id, false), false);
    }

    /** Body (optional): {@code {"overlap": "PT24H"}}; default 24 hours. */
    @PostMapping("/endpoints/{id}/rotate-secret")
    Map<String, Object> rotate(@PathVariable String id, @RequestBody(required = false) Map<String, String> body) {
        String overlap = body == null ? null : body.get("overlap");
        Duration duration;
        try {
            duration = overlap == null ? Duration.ofHours(24) : Duration.parse(overlap);
        } catch (DateTimeParseException e) {
            throw new InvalidRequestException(List.of(new EndpointRequest.FieldProblem("overlap",
                    "an ISO-8601 duration such as PT24H")));
        }
        return view(service.rotate(id, duration), true);
    }

    @PostMapping("/endpoints/{id}/test")
    ResponseEntity<Map<String, Object>> test(@PathVariable String id) {
        return ResponseEntity.accepted().body(Map.of("messageId", service.sendTest(id)));
    }

    @GetMapping("/endpoints/{id}/deliveries")
    DeliveryQueries.Page deliveries(@PathVariable String id, @RequestParam(required = false) String status,
                                    @RequestParam(required = false) String since,
                                    @RequestParam(required = false) Long before,
                                    @RequestParam(defaultValue = "50") int limit) {
        service.get(id);
        return queries.deliveries(id, null, status, time("since", since), before, limit(limit));
    }

    @GetMapping("/endpoints/{id}/attempts")
    DeliveryQueries.Page attempts(@PathVariable String id, @RequestParam(required = false) String outcome,
                                  @RequestParam(required = false) String messageId,
                                  @RequestParam(required = false) String since,
                                  @RequestParam(required = false) Long before,
                                  @RequestParam(defaultValue = "50") int limit) {
        service.get(id);
        return queries.attempts(id, messageId, outcome, time("since", since), before, limit(limit));
    }

    @PostMapping("/endpoints/{id}/messages/{messageId}/resend")
    ResponseEntity<Map<String, Object>> resend(@PathVariable String id, @PathVariable String messageId) {
        if (!service.resend(id, messageId)) {
            return ResponseEntity.status(HttpStatus.NOT_FOUND).body(Map.of("detail", "no message '" + messageId + "'"));
        }
        return ResponseEntity.accepted().body(Map.of("endpointId", id, "messageId", messageId));
    }

    /** Body: {@code {"since": "2026-11-28T10:00:00Z"}}: every failed delivery created since then is sent again. */
    @PostMapping("/endpoints/{id}/recover")
    Map<String, Object> recover(@PathVariable String id, @RequestBody(required = false) Map<String, String> body) {
        Long since = time("since", body == null ? null : body.get("since"));
        if (since == null) {
            throw new InvalidRequestException(List.of(new EndpointRequest.FieldProblem("since",
                    "required: an ISO-8601 instant such as 2026-11-28T10:00:00Z")));
        }
        return Map.of("endpointId", id, "rescheduled", service.recover(id, since));
    }

    @GetMapping("/messages")
    List<Map<String, Object>> messages(@RequestParam(required = false) String type,
                                       @RequestParam(required = false) Long before,
                                       @RequestParam(defaultValue = "50") int limit) {
        return queries.messages(type, before, limit(limit));
    }

    @GetMapping("/messages/{id}/deliveries")
    DeliveryQueries.Page messageDeliveries(@PathVariable String id) {
        return queries.deliveries(null, id, null, null, null, 100);
    }

    @ExceptionHandler(InvalidRequestException.class)
    ResponseEntity<ProblemDetail> invalid(InvalidRequestException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage());
        problem.setType(URI.create("urn:hooksync:problem:invalid-request"));
        problem.setTitle("Invalid request");
        problem.setProperty("errors", e.problems());
        return ResponseEntity.badRequest().body(problem);
    }

    private Map<String, Object> view(Endpoint e, boolean showSecret) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", e.id());
        view.put("url", callerIsAdmin() ? e.url() : ReceiverUrls.origin(e.url()));
        view.put("description", e.description());
        view.put("eventTypes", e.eventTypes());
        view.put("filter", e.filter());
        view.put("headers", e.headers().keySet().stream().collect(java.util.stream.Collectors.toMap(k -> k, k -> "****")));
        view.put("enabled", e.enabled());
        view.put("ordered", e.ordered());
        view.put("disabledReason", e.disabledReason());
        view.put("managedBy", e.managedBy());
        view.put("failingSince", e.failingSince() == null ? null : Instant.ofEpochMilli(e.failingSince()).toString());
        view.put("circuitBreaker", deliverer.breakerStates().getOrDefault(e.id(), "CLOSED"));
        view.put("secret", showSecret ? e.secret() : Signatures.mask(e.secret()));
        if (e.previousSecretUntil() != null && e.previousSecretUntil() > System.currentTimeMillis()) {
            view.put("previousSecretValidUntil", Instant.ofEpochMilli(e.previousSecretUntil()).toString());
        }
        view.put("createdAt", Instant.ofEpochMilli(e.createdAt()).toString());
        view.put("updatedAt", Instant.ofEpochMilli(e.updatedAt()).toString());
        return view;
    }

    private static boolean callerIsAdmin() {
        Authentication caller = SecurityContextHolder.getContext().getAuthentication();
        return caller != null && caller.getAuthorities().stream().anyMatch(a -> ADMIN.equals(a.getAuthority()));
    }

    private static Long time(String field, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value).toEpochMilli();
        } catch (DateTimeParseException e) {
            throw new InvalidRequestException(List.of(new EndpointRequest.FieldProblem(field,
                    "an ISO-8601 instant such as 2026-11-28T10:00:00Z")));
        }
    }

    private static int limit(int limit) {
        if (limit < 1 || limit > 500) {
            throw new InvalidRequestException(List.of(new EndpointRequest.FieldProblem("limit", "between 1 and 500")));
        }
        return limit;
    }
}
