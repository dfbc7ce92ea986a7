package io.hooksync.sink;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * One route as a route file declares it, with the lines of what names it: its {@code id}, its {@code autoStartup},
 * and the {@code source}, {@code continues} and {@code start} parameters of its {@code hooksync:events} consumer (in
 * the URI's query or in {@code parameters:}). Read from the YAML node tree so every problem can name its line.
 */
record RouteDeclaration(String file, String stem, int line, String id, int idLine, Parameter continues,
                        Parameter start, Parameter source, String autoStartup) {

    /** A parameter's value and the line it is written on. */
    record Parameter(String value, int line) {
    }

    /** The routes declared at the top level of a route file ({@code - route:} and bare {@code - from:}). */
    static List<RouteDeclaration> of(String file, String stem, Node root) {
        List<RouteDeclaration> routes = new ArrayList<>();
        if (!(root instanceof SequenceNode items)) {
            return routes;
        }
        for (Node item : items.getValue()) {
            if (!(item instanceof MappingNode map)) {
                continue;
            }
            for (NodeTuple entry : map.getValue()) {
                String key = scalar(entry.getKeyNode());
                if ("route".equals(key)) {
                    routes.add(route(file, stem, entry.getKeyNode(), entry.getValueNode()));
                } else if ("from".equals(key)) {
                    routes.add(fromOnly(file, stem, entry.getKeyNode(), entry.getValueNode()));
                }
            }
        }
        return routes;
    }

    private static RouteDeclaration route(String file, String stem, Node key, Node value) {
        Node id = child(value, "id");
        Node from = child(value, "from");
        return new RouteDeclaration(file, stem, line(key), id instanceof ScalarNode s ? s.getValue() : null,
                id == null ? line(key) : line(id), parameter(from, "continues"), parameter(from, "start"),
                parameter(from, "source"), child(value, "autoStartup") instanceof ScalarNode a ? a.getValue() : null);
    }

    private static RouteDeclaration fromOnly(String file, String stem, Node key, Node value) {
        return new RouteDeclaration(file, stem, line(key), null, line(key), parameter(value, "continues"),
                parameter(value, "start"), parameter(value, "source"), null);
    }

    /** A {@code hooksync:events} parameter from {@code uri: hooksync:events?name=...} or {@code parameters: {name: ...}}. */
    private static Parameter parameter(Node from, String name) {
        if (child(from, "uri") instanceof ScalarNode uri && uri.getValue().startsWith("hooksync:events")) {
            int query = uri.getValue().indexOf('?');
            if (query >= 0) {
                for (String pair : uri.getValue().substring(query + 1).split("&")) {
                    if (pair.startsWith(name + "=")) {
                        return new Parameter(URLDecoder.decode(pair.substring(name.length() + 1), StandardCharsets.UTF_8),
                                line(uri));
                    }
                }
            }
            if (child(child(from, "parameters"), name) instanceof ScalarNode value) {
                return new Parameter(value.getValue(), line(value));
            }
        }
        return null;
    }

    /** The value of {@code key} in a YAML map node, or null (also {@link RouteStepsCheck}'s). */
    static Node child(Node node, String key) {
        if (node instanceof MappingNode map) {
            for (NodeTuple entry : map.getValue()) {
                if (key.equals(scalar(entry.getKeyNode()))) {
                    return entry.getValueNode();
                }
            }
        }
        return null;
    }

    static String scalar(Node node) {
        return node instanceof ScalarNode s ? s.getValue() : null;
    }

    static int line(Node node) {
        return node.getStartMark().getLine() + 1;
    }
}
