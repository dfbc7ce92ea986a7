package io.hooksync.sink;

import static io.hooksync.sink.RouteDeclaration.child;
import static io.hooksync.sink.RouteDeclaration.line;
import static io.hooksync.sink.RouteDeclaration.scalar;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * What a route does with Hooksync's endpoints, checked offline so a route that could never apply its events is refused
 * with its file and line instead of failing at start (Camel's "Unknown parameters" stack trace) or, worse, running:
 * <ul>
 * <li>a {@code hooksync:} endpoint that does not exist, or a parameter it does not take ({@code type} for
 * {@code types});</li>
 * <li>two {@code hooksync:upsert} steps one after the other: the first claims the events in the route's ledger, so the
 * second finds them all applied and writes nothing (alternatives, such as the branches of a {@code choice} or a
 * {@code doCatch}, are fine);</li>
 * <li>a {@code hooksync:events} route with no {@code hooksync:upsert}, no {@code hooksync:ack} and no {@code direct:}
 * call that could settle its events: every event would be retried and then dead-lettered;</li>
 * <li>{@code hooksync:upsert} or {@code hooksync:ack} in a route that does not consume {@code hooksync:events} (or is
 * called through {@code direct:} from one): there is no batch to apply, and a consumer such as {@code kafka:} would
 * commit events that were never applied.</li>
 * </ul>
 */
final class RouteStepsCheck {

    /** Options every Camel endpoint takes, besides an endpoint's own. */
    private static final Set<String> CAMEL_OPTIONS = Set.of("bridgeErrorHandler", "exceptionHandler", "exchangePattern",
            "lazyStartProducer");

    /** The keys whose value names an endpoint a message is sent to. */
    private static final Set<String> SENDING = Set.of("to", "toD", "uri", "wireTap", "enrich", "pollEnrich");

    private RouteStepsCheck() {
    }

    /** The problems of the routes declared at the top of a route file ({@code - route:} and bare {@code - from:}). */
    static List<String> problems(String file, Node root) {
        List<String> problems = new ArrayList<>();
        if (!(root instanceof SequenceNode items)) {
            return problems;
        }
        for (Node item : items.getValue()) {
            for (NodeTuple entry : item instanceof MappingNode map ? map.getValue() : List.<NodeTuple>of()) {
                String key = scalar(entry.getKeyNode());
                Node from = "route".equals(key) ? child(entry.getValueNode(), "from") : "from".equals(key)
                        ? entry.getValueNode() : null;
                if (from != null) {
                    route(file, line(entry.getKeyNode()), from, problems);
                }
            }
        }
        return problems;
    }

    private static void route(String file, int line, Node from, List<String> problems) {
        Node uri = from instanceof ScalarNode ? from : child(from, "uri");
        String fromUri = uri instanceof ScalarNode s ? s.getValue() : "";
        if (fromUri.startsWith("hooksync:")) {
            parameters(file, (ScalarNode) uri, child(from, "parameters"), problems);
        }
        Node steps = child(from, "steps");
        List<ScalarNode> settling = new ArrayList<>();
        boolean[] callsDirect = {false};
        endpoints(steps, file, problems, settling, callsDirect);
        if (is(fromUri, "hooksync:events")) {
            upsertsInSequence(steps, file, problems);
            if (settling.isEmpty() && !callsDirect[0]) {
                problems.add(file + ":" + line + ": this route never settles its events: it needs a hooksync:upsert"
                        + " (or hooksync:ack) step, otherwise every event is retried and then dead-lettered");
            }
        } else if (!fromUri.startsWith("direct:") && !fromUri.contains("{{")) {
            for (ScalarNode step : settling) {
                problems.add(file + ":" + line(step) + ": " + step.getValue().replaceFirst("\\?.*", "") + " applies the"
                        + " batches of hooksync:events, and this route consumes " + fromUri.replaceFirst("\\?.*", "")
                        + ": consume hooksync:events?source=... instead (events read another way would be committed"
                        + " without being applied)");
            }
        }
    }

    /** Walks the steps for endpoints: checks Hooksync's, collects the settling ones, notes a {@code direct:} call. */
    private static void endpoints(Node node, String file, List<String> problems, List<ScalarNode> settling,
            boolean[] callsDirect) {
        if (node instanceof SequenceNode seq) {
            seq.getValue().forEach(n -> endpoints(n, file, problems, settling, callsDirect));
        } else if (node instanceof MappingNode map) {
            for (NodeTuple t : map.getValue()) {
                if (SENDING.contains(scalar(t.getKeyNode())) && t.getValueNode() instanceof ScalarNode target) {
                    String value = target.getValue();
                    if (value.startsWith("hooksync:")) {
                        parameters(file, target, child(map, "parameters"), problems);
                        if (is(value, "hooksync:upsert") || is(value, "hooksync:ack")) {
                            settling.add(target);
                        }
                    } else if (value.startsWith("direct:")) {
                        callsDirect[0] = true;
                    }
                } else {
                    endpoints(t.getValueNode(), file, problems, settling, callsDirect);
                }
            }
        }
    }

    /** A {@code hooksync:} endpoint that exists, with parameters it takes (in its query or in {@code parameters:}). */
    private static void parameters(String file, ScalarNode uri, Node parameters, List<String> problems) {
        String value = uri.getValue();
        int query = value.indexOf('?');
        String name = value.substring("hooksync:".length(), query < 0 ? value.length() : query);
        Set<String> known = HooksyncComponent.PARAMETERS.get(name);
        if (known == null) {
            problems.add(file + ":" + line(uri) + ": hooksync:" + name + " is not a Hooksync endpoint (known: "
                    + "hooksync:events, hooksync:upsert, hooksync:ack)");
            return;
        }
        List<String> given = new ArrayList<>();
        List<Integer> lines = new ArrayList<>();
        if (query >= 0) {
            for (String pair : value.substring(query + 1).split("&")) {
                if (!pair.isEmpty()) {
                    given.add(pair.split("=", 2)[0]);
                    lines.add(line(uri));
                }
            }
        }
        if (parameters instanceof MappingNode map) {
            for (NodeTuple p : map.getValue()) {
                given.add(scalar(p.getKeyNode()));
                lines.add(line(p.getKeyNode()));
            }
        }
        for (int i = 0; i < given.size(); i++) {
            String parameter = given.get(i);
            if (parameter != null && !known.contains(parameter) && !CAMEL_OPTIONS.contains(parameter)) {
                String guess = closest(parameter, known);
                problems.add(file + ":" + lines.get(i) + ": hooksync:" + name + " has no parameter '" + parameter + "' ("
                        + (guess != null ? "did you mean '" + guess + "'? " : "") + "it takes: "
                        + (known.isEmpty() ? "none" : String.join(", ", new TreeSet<>(known))) + ")");
            }
        }
    }

    /** The second upsert on one path through the steps; the branches of a choice or a doTry's catches are alternatives. */
    private static int upsertsInSequence(Node steps, String file, List<String> problems) {
        int count = 0;
        if (!(steps instanceof SequenceNode seq)) {
            return 0;
        }
        for (Node step : seq.getValue()) {
            for (NodeTuple t : step instanceof MappingNode map ? map.getValue() : List.<NodeTuple>of()) {
                String key = scalar(t.getKeyNode());
                Node value = t.getValueNode();
                int here;
                if (("to".equals(key) || "toD".equals(key)) && isUpsert(value)) {
                    here = 1;
                } else if ("choice".equals(key)) {
                    here = 0;
                    for (Node when : child(value, "when") instanceof SequenceNode whens ? whens.getValue() : List.<Node>of()) {
                        here = Math.max(here, upsertsInSequence(child(when, "steps"), file, problems));
                    }
                    here = Math.max(here, upsertsInSequence(child(child(value, "otherwise"), "steps"), file, problems));
                } else if ("doTry".equals(key)) {
                    here = upsertsInSequence(child(value, "steps"), file, problems);
                    for (Node c : child(value, "doCatch") instanceof SequenceNode catches ? catches.getValue() : List.<Node>of()) {
                        here = Math.max(here, upsertsInSequence(child(c, "steps"), file, problems));
                    }
                    here += upsertsInSequence(child(child(value, "doFinally"), "steps"), file, problems);
                } else {
                    here = upsertsInSequence(child(value, "steps"), file, problems);
                }
                if (count < 2 && count + here >= 2 && here > 0) {
                    problems.add(file + ":" + line(t.getKeyNode()) + ": a second hooksync:upsert after another on the same"
                            + " path writes nothing (the first has already claimed the events in the route's ledger):"
                            + " write a route file per mapping (several routes can consume the same source), or put"
                            + " the upserts in different branches of a choice");
                }
                count += here;
            }
        }
        return count;
    }

    private static boolean isUpsert(Node value) {
        Node uri = value instanceof MappingNode ? child(value, "uri") : value;
        return uri instanceof ScalarNode s && is(s.getValue(), "hooksync:upsert");
    }

    /** Whether {@code uri} names {@code endpoint}, with or without a query. */
    private static boolean is(String uri, String endpoint) {
        return uri.equals(endpoint) || uri.startsWith(endpoint + "?");
    }

    /** The known name a mistyped one was probably meant to be: the same but for case, or one or two edits away. */
    private static String closest(String given, Set<String> known) {
        String best = null;
        int bestDistance = 3;
        for (String candidate : new TreeSet<>(known)) {
            int d = given.equalsIgnoreCase(candidate) ? 0
                    : distance(given.toLowerCase(Locale.ROOT), candidate.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                best = candidate;
                bestDistance = d;
            }
        }
        return best;
    }

    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
