package io.hooksync.outbound;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.hooksync.infra.InvalidConfigurationException;
import io.hooksync.infra.SecretReferences;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;

/** Endpoint management shared by the REST API, the dashboard and the endpoints declared in configuration. */
final class EndpointService {

    private static final Logger log = LoggerFactory.getLogger(EndpointService.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final EndpointStore endpoints;
    private final DeliveryStore deliveries;
    private final EndpointDirectory directory;
    private final AddressGuard guard;
    private final Clock clock;

    EndpointService(EndpointStore endpoints, DeliveryStore deliveries, EndpointDirectory directory, AddressGuard guard,
                    Clock clock) {
        this.endpoints = endpoints;
        this.deliveries = deliveries;
        this.directory = directory;
        this.guard = guard;
        this.clock = clock;
    }

    List<Endpoint> list() {
        return endpoints.all();
    }

    Endpoint get(String id) {
        return endpoints.find(id).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND,
                "no endpoint with id '" + id + "'"));
    }

    Endpoint create(EndpointRequest request) {
        List<EndpointRequest.FieldProblem> problems = request.problems(guard, true);
        if (!problems.isEmpty()) {
            refused(request, problems);
            throw new InvalidRequestException(problems);
        }
        String id = request.id() != null ? request.id() : "ep_" + HexFormat.of().formatHex(randomBytes(12));
        if (endpoints.find(id).isPresent()) {
            throw new ResponseStatusException(HttpStatus.CONFLICT, "an endpoint with id '" + id + "' exists");
        }
        long now = clock.millis();
        Endpoint endpoint = new Endpoint(id, request.url(), request.description(), request.eventTypes(),
                blankToNull(request.filter()), request.headers() == null ? Map.of() : request.headers(),
                Signatures.newSecret(), null, null, request.enabled() == null || request.enabled(),
                Boolean.TRUE.equals(request.ordered()), EndpointRequest.ownMaximum(request.maxInFlight()), null,
                Endpoint.API, null, now, now);
        endpoints.insert(endpoint);
        directory.invalidate();
        log.info("Endpoint {} created for {} ({})", id, ReceiverUrls.origin(endpoint.url()), endpoint.eventTypes());
        return endpoint;
    }

    Endpoint update(String id, EndpointRequest request) {
        Endpoint current = modifiable(id);
        List<EndpointRequest.FieldProblem> problems = request.problems(guard, false);
        if (request.id() != null && !request.id().equals(id)) {
            problems = new java.util.ArrayList<>(problems);
            problems.add(new EndpointRequest.FieldProblem("id", "cannot be changed"));
        }
        if (!problems.isEmpty()) {
            refused(request, problems);
            throw new InvalidRequestException(problems);
        }
        boolean enabled = request.enabled() == null ? current.enabled() : request.enabled();
        Endpoint changed = new Endpoint(id, or(request.url(), current.url()), or(request.description(), current.description()),
                or(request.eventTypes(), current.eventTypes()),
                request.filter() == null ? current.filter() : blankToNull(request.filter()),
                or(request.headers(), current.headers()), current.secret(), current.previousSecret(),
                current.previousSecretUntil(), enabled, request.ordered() == null ? current.ordered() : request.ordered(),
                request.maxInFlight() == null ? current.maxInFlight() : EndpointRequest.ownMaximum(request.maxInFlight()),
                enabled ? null : or(current.disabledReason(), "disabled through the API"),
                current.managedBy(), enabled && !current.enabled() ? null : current.failingSince(), current.createdAt(),
                clock.millis());
        endpoints.update(changed);
        directory.invalidate();
        return changed;
    }

    Endpoint setEnabled(String id, boolean enabled) {
        Endpoint current = get(id);
        Endpoint changed = current.withEnabled(enabled, "disabled through the API", clock.millis());
        endpoints.update(changed);
        directory.invalidate();
        return changed;
    }

    void delete(String id) {
        modifiable(id);
        endpoints.delete(id);
        directory.invalidate();
    }

    /** A new secret; the old one keeps signing for {@code overlap} (both signatures are sent). */
    Endpoint rotate(String id, Duration overlap) {
        Endpoint current = modifiable(id);
        if (overlap.isNegative() || overlap.compareTo(Duration.ofDays(7)) > 0) {
            throw new InvalidRequestException(List.of(new EndpointRequest.FieldProblem("overlap",
                    "between PT0S and P7D (ISO-8601 duration)")));
        }
        long now = clock.millis();
        Endpoint rotated = new Endpoint(id, current.url(), current.description(), current.eventTypes(), current.filter(),
                current.headers(), Signatures.newSecret(), overlap.isZero() ? null : current.secret(),
                overlap.isZero() ? null : now + overlap.toMillis(), current.enabled(), current.ordered(),
                current.maxInFlight(), current.disabledReason(),
                current.managedBy(), current.failingSince(), current.createdAt(), now);
        endpoints.update(rotated);
        directory.invalidate();
        log.info("Endpoint {}: secret rotated; the previous one signs for {} more", id, overlap);
        return rotated;
    }

    /** Sends a {@code hooksync.test} message to this endpoint only; returns its id. */
    String sendTest(String id) {
        get(id);
        long now = clock.millis();
        String messageId = "msg_test_" + HexFormat.of().formatHex(randomBytes(8));
        deliveries.insertDirect(new Delivery.Message(messageId, "hooksync.test", id,
                "{\"message\":\"A test event from Hooksync\",\"endpointId\":\"" + id + "\"}", now), id, now);
        return messageId;
    }

    boolean resend(String id, String messageId) {
        get(id);
        return deliveries.resend(id, messageId, clock.millis());
    }

    int recover(String id, long since) {
        get(id);
        return deliveries.recover(id, since, clock.millis());
    }

    /**
     * Endpoints declared under {@code hooksync.outbound.endpoints} are created or brought up to date at
     * startup (managed_by = config; the API can read, disable and resend, but not edit them). An invalid
     * declaration stops startup naming the key.
     */
    void syncDeclared(Map<String, OutboundProperties.DeclaredEndpoint> declared, Environment environment) {
        long now = clock.millis();
        declared.forEach((id, d) -> {
            String key = "hooksync.outbound.endpoints." + id;
            EndpointRequest request = new EndpointRequest(id, d.url(), d.description(), d.eventTypes(), d.filter(),
                    d.headers(), d.enabled(), d.ordered(), d.maxInFlight());
            List<EndpointRequest.FieldProblem> problems = request.problems(guard, true);
            if (!problems.isEmpty()) {
                throw new InvalidConfigurationException(List.of(key + ": " + new InvalidRequestException(problems).getMessage()));
            }
            String secret;
            try {
                if (!SecretReferences.isReference(d.secret())) {
                    throw new IllegalArgumentException("secret must be env:NAME or file:/path naming a whsec_... secret");
                }
                secret = SecretReferences.resolve(d.secret(), environment);
                Signatures.key(secret);
            } catch (IllegalArgumentException e) {
                throw new InvalidConfigurationException(List.of(key + ".secret: " + e.getMessage()));
            }
            Optional<Endpoint> existing = endpoints.find(id);
            if (existing.isPresent() && Endpoint.API.equals(existing.get().managedBy())) {
                throw new InvalidConfigurationException(List.of(key + ": an endpoint with this id was created through the API;"
                        + " delete it or choose another id"));
            }
            Endpoint endpoint = new Endpoint(id, d.url(), d.description(), d.eventTypes(), blankToNull(d.filter()),
                    d.headers() == null ? Map.of() : d.headers(), secret, null, null, d.enabled(), d.ordered(),
                    EndpointRequest.ownMaximum(d.maxInFlight()), d.enabled() ? null : "disabled in configuration",
                    Endpoint.CONFIG,
                    existing.map(Endpoint::failingSince).orElse(null), existing.map(Endpoint::createdAt).orElse(now), now);
            if (existing.isPresent()) {
                endpoints.update(endpoint);
            } else {
                endpoints.insert(endpoint);
            }
            log.info("Endpoint {} declared in configuration: {} ({})", id, ReceiverUrls.origin(d.url()), d.eventTypes());
        });
        directory.invalidate();
    }

    /** Receiver URLs refused by the SSRF guard are logged: someone tried to point the engine inward. */
    private static void refused(EndpointRequest request, List<EndpointRequest.FieldProblem> problems) {
        problems.stream().filter(p -> p.field().equals("url") && p.message().startsWith("refused"))
                .forEach(p -> log.warn("Endpoint URL {} refused by the SSRF guard: {}", ReceiverUrls.origin(request.url()),
                        p.message()));
    }

    private Endpoint modifiable(String id) {
        Endpoint current = get(id);
        if (Endpoint.CONFIG.equals(current.managedBy())) {
            throw new ResponseStatusException(HttpStatus.CONFLICT, "endpoint '" + id
                    + "' is declared in configuration (hooksync.outbound.endpoints." + id + "); change it there");
        }
        return current;
    }

    private static byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private static <T> T or(T value, T fallback) {
        return value != null ? value : fallback;
    }
}
