package io.hooksync.sink;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.hooksync.infra.RouteIdentity;

/**
 * The identity rules for route files (a route's id is its consumer group and ledger key, so it must be stable):
 * every route has an id equal to its file's stem, in the allowed charset and not one of Hooksync's own names; a
 * {@code continues=old-id} names a valid id that is no longer a route; no two routes share an identity; a
 * {@code start=} is one {@link StartPosition} understands. Each problem is {@code file:line: what is wrong}.
 */
final class RouteIdentityCheck {

    private RouteIdentityCheck() {
    }

    static List<String> problems(List<RouteDeclaration> routes) {
        List<String> problems = new ArrayList<>();
        Map<String, RouteDeclaration> byId = new LinkedHashMap<>();
        for (RouteDeclaration route : routes) {
            if (route.id() != null) {
                byId.putIfAbsent(route.id(), route);
            }
        }
        Map<String, List<RouteDeclaration>> byIdentity = new LinkedHashMap<>();
        for (RouteDeclaration route : routes) {
            ownId(route, problems);
            continues(route, byId, problems);
            start(route, problems);
            if (route.id() != null) {
                String ledger = RouteIdentity.of(route.id(), route.continues() == null ? null : route.continues().value())
                        .ledgerId();
                byIdentity.computeIfAbsent(ledger, k -> new ArrayList<>()).add(route);
            }
        }
        byIdentity.forEach((identity, sharing) -> shared(identity, sharing, problems));
        return problems;
    }

    private static void ownId(RouteDeclaration route, List<String> problems) {
        String at = route.file() + ":" + route.idLine() + ": ";
        if (route.id() == null) {
            problems.add(at + "the route has no id: add 'id: " + route.stem() + "' (a route's id is its file name; "
                    + "it names the route's consumer group and ledger, a generated id would move)");
            return;
        }
        RouteIdentity.nameProblem(route.id()).ifPresentOrElse(p -> problems.add(at + "route id " + p), () -> {
            if (!route.id().equals(route.stem())) {
                problems.add(at + "route id '" + route.id() + "' must be the file name '" + route.stem() + "' (rename "
                        + "the file or the id; a renamed route keeps its history with hooksync:events?continues=<old id>)");
            }
        });
    }

    private static void continues(RouteDeclaration route, Map<String, RouteDeclaration> byId, List<String> problems) {
        RouteDeclaration.Parameter continues = route.continues();
        if (continues == null) {
            return;
        }
        String at = route.file() + ":" + continues.line() + ": continues=";
        RouteIdentity.nameProblem(continues.value()).ifPresentOrElse(p -> problems.add(at + p), () -> {
            RouteDeclaration live = byId.get(continues.value());
            if (continues.value().equals(route.id())) {
                problems.add(at + continues.value() + " names the route itself; remove it");
            } else if (live != null) {
                problems.add(at + continues.value() + " names a route that still exists (" + live.file() + ":"
                        + live.idLine() + "); a route continues a removed route's identity, remove or rename that one");
            }
        });
    }

    private static void start(RouteDeclaration route, List<String> problems) {
        if (route.start() != null) {
            try {
                StartPosition.parse(route.start().value());
            } catch (IllegalArgumentException e) {
                problems.add(route.file() + ":" + route.start().line() + ": " + e.getMessage());
            }
        }
    }

    private static void shared(String identity, List<RouteDeclaration> sharing, List<String> problems) {
        if (sharing.size() < 2) {
            return;
        }
        for (RouteDeclaration route : sharing) {
            List<String> others = sharing.stream().filter(o -> o != route)
                    .map(o -> o.file() + ":" + o.idLine()).toList();
            problems.add(route.file() + ":" + route.idLine() + ": route identity '" + identity + "' (consumer group "
                    + RouteIdentity.GROUP_PREFIX + identity + ") is also used by " + String.join(", ", others)
                    + "; each route needs its own");
        }
    }
}
