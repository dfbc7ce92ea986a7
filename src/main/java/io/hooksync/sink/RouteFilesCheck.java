package io.hooksync.sink;

import java.io.IOException;
import java.io.StringReader;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import io.hooksync.infra.BoundedFiles;
import io.hooksync.infra.envelope.EventTypePatterns;
import io.hooksync.mapping.Mapping;
import io.hooksync.mapping.Mappings;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Checks the route files before Camel loads them (at startup and on each live reload), for the mistakes Camel
 * would report without a file and line, or not at all: YAML syntax, {@code hooksync:upsert} naming a mapping that does
 * not exist, a {@code hooksync:events} batchSize that is no number or outside 1-5000, a {@code hooksync:events} source
 * that is not configured ({@link ConfiguredSources}), route identity ({@link RouteIdentityCheck}: id = file stem,
 * no shared or reserved identity), and what the steps do with Hooksync's endpoints ({@link RouteStepsCheck}).
 */
final class RouteFilesCheck {

    private RouteFilesCheck() {
    }

    /** The problems {@link #problems} finds in one file of the directory (a reloaded file is refused when any). */
    static List<String> problemsOf(Path routesDir, Mappings mappings, ConfiguredSources sources, Path file) {
        String prefix = shown(routesDir, file) + ":";
        return problems(routesDir, mappings, sources).stream().filter(p -> p.startsWith(prefix)).toList();
    }

    /**
     * All problems of the route files. A route naming a mapping whose file has problems of its own
     * ({@link Mappings#isInvalid}) is not reported again: the mapping's problems say what to fix. {@code sources}
     * null skips the source check (validate could not read the configuration, and says so).
     */
    static List<String> problems(Path routesDir, Mappings mappings, ConfiguredSources sources) {
        List<String> problems = new ArrayList<>();
        List<RouteDeclaration> routes = new ArrayList<>();
        if (!Files.isDirectory(routesDir)) {
            problems.add(routesDir + ": the routes directory does not exist" + (Files.exists(routesDir)
                    ? " (not a directory)" : "") + "; create it (empty for no routes) or correct hooksync.routes-dir "
                    + "(HOOKSYNC_ROUTES_DIR, validate --routes)");
            return problems;
        }
        List<Path> files;
        try (Stream<Path> list = Files.list(routesDir)) {
            files = list.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        } catch (IOException e) {
            problems.add(routesDir + ": cannot list route files (" + e.getMessage() + ")");
            return problems;
        }
        for (Path file : files) {
            String shown = shown(routesDir, file);
            try {
                Node root = new Yaml(new LoaderOptions()).compose(new StringReader(
                        BoundedFiles.readString(file, BoundedFiles.DEFINITION_MAX_BYTES)));
                if (root != null) {
                    walk(root, shown, mappings, problems);
                    problems.addAll(RouteStepsCheck.problems(shown, root));
                    routes.addAll(RouteDeclaration.of(shown, stem(file), root));
                }
            } catch (MarkedYAMLException e) {
                problems.add(shown + ":" + (e.getProblemMark().getLine() + 1) + ": not valid YAML: " + e.getProblem());
            } catch (BoundedFiles.RefusedFileException e) {
                problems.add(shown + ": not read: " + e.getMessage());
            } catch (IOException e) {
                problems.add(shown + ": cannot be read (" + e.getMessage() + ")");
            }
        }
        problems.addAll(RouteIdentityCheck.problems(routes));
        routes.forEach(route -> source(route, sources, problems));
        return problems;
    }

    /** A route that starts on its own consumes {@code hooksync.events.<source>}: the source must be configured. */
    private static void source(RouteDeclaration route, ConfiguredSources sources, List<String> problems) {
        RouteDeclaration.Parameter source = route.source();
        if (sources == null || source == null || source.value().contains("{{") || sources.names().contains(source.value())
                || !sources.autoStarts(route.autoStartup())) {
            return;
        }
        problems.add(route.file() + ":" + source.line() + ": source '" + source.value() + "' is not configured "
                + "(configured: " + (sources.names().isEmpty() ? "none" : String.join(", ", sources.names()))
                + "); declare it under hooksync.sources." + source.value() + " (webhooks) or hooksync.cdc.sources."
                + source.value() + " (CDC), or fix the name");
    }

    private static String shown(Path routesDir, Path file) {
        return routesDir.getFileName() + "/" + file.getFileName();
    }

    private static String stem(Path file) {
        String name = file.getFileName().toString();
        return name.substring(0, name.length() - ".yaml".length());
    }

    private static void walk(Node node, String file, Mappings mappings, List<String> problems) {
        if (node instanceof SequenceNode seq) {
            seq.getValue().forEach(n -> walk(n, file, mappings, problems));
        } else if (node instanceof MappingNode map) {
            String parameterMapping = null;
            for (NodeTuple t : map.getValue()) {
                if (t.getKeyNode() instanceof ScalarNode k && k.getValue().equals("parameters")
                        && t.getValueNode() instanceof MappingNode params) {
                    for (NodeTuple p : params.getValue()) {
                        if (p.getKeyNode() instanceof ScalarNode pk && pk.getValue().equals("mapping")
                                && p.getValueNode() instanceof ScalarNode pv) {
                            parameterMapping = pv.getValue();
                        }
                        checkTypes(p, file, problems);
                    }
                }
            }
            checkBatchSize(map, file, problems);
            for (NodeTuple t : map.getValue()) {
                if (t.getValueNode() instanceof ScalarNode value && value.getValue().startsWith("hooksync:upsert")) {
                    String name = mappingOf(value.getValue(), parameterMapping);
                    if (name == null) {
                        problems.add(file + ":" + line(value) + ": hooksync:upsert needs mapping=<name>");
                    } else if (!mappings.isInvalid(name) && mappings.find(name).isEmpty()
                            && Files.isDirectory(mappings.directory())) {     // else the missing directory is the problem
                        problems.add(file + ":" + line(value) + ": mapping '" + name + "' does not exist in "
                                + mappings.directory().getFileName() + "/ (known: "
                                + String.join(", ", mappings.all().stream().map(Mapping::name).sorted().toList()) + ")");
                    }
                } else {
                    walk(t.getValueNode(), file, mappings, problems);
                }
            }
        }
    }

    /** A {@code types} parameter (of {@code hooksync:events}, {@code hooksync-messages} or a Kamelet) in the envelope's language. */
    private static void checkTypes(NodeTuple parameter, String file, List<String> problems) {
        if (parameter.getKeyNode() instanceof ScalarNode key && key.getValue().equals("types")
                && parameter.getValueNode() instanceof ScalarNode value) {
            try {
                EventTypePatterns.parse(value.getValue());
            } catch (IllegalArgumentException e) {
                problems.add(file + ":" + line(value) + ": types: " + e.getMessage());
            }
        }
    }

    /**
     * A {@code hooksync:events} endpoint's {@code batchSize}, in its URI or its parameters: a number within the sink's
     * bounds ({@link HooksyncComponent#batchSize}).
     */
    private static void checkBatchSize(MappingNode endpoint, String file, List<String> problems) {
        ScalarNode uri = null;
        ScalarNode batchSize = null;
        for (NodeTuple t : endpoint.getValue()) {
            if (t.getKeyNode() instanceof ScalarNode k && k.getValue().equals("uri")
                    && t.getValueNode() instanceof ScalarNode v && v.getValue().startsWith("hooksync:events")) {
                uri = v;
            } else if (t.getKeyNode() instanceof ScalarNode k && k.getValue().equals("parameters")
                    && t.getValueNode() instanceof MappingNode params) {
                for (NodeTuple p : params.getValue()) {
                    if (p.getKeyNode() instanceof ScalarNode pk && pk.getValue().equals("batchSize")
                            && p.getValueNode() instanceof ScalarNode pv) {
                        batchSize = pv;
                    }
                }
            }
        }
        if (uri == null) {
            return;
        }
        try {
            String value = batchSize == null ? queryParameter(uri.getValue(), "batchSize") : batchSize.getValue();
            // a property placeholder or RAW() is Camel's to resolve first: the component checks the result
            if (value != null && !value.contains("{{") && !value.startsWith("RAW(")) {
                HooksyncComponent.batchSize(uri.getValue(), value, 0);
            }
        } catch (IllegalArgumentException e) {   // also an unreadable %-escape in the URI
            problems.add(file + ":" + line(batchSize == null ? uri : batchSize) + ": " + e.getMessage());
        }
    }

    private static String queryParameter(String uri, String name) {
        int query = uri.indexOf('?');
        if (query >= 0) {
            for (String pair : uri.substring(query + 1).split("&")) {
                if (pair.startsWith(name + "=")) {
                    return URLDecoder.decode(pair.substring(name.length() + 1), StandardCharsets.UTF_8);
                }
            }
        }
        return null;
    }

    private static String mappingOf(String uri, String fromParameters) {
        String fromUri = queryParameter(uri, "mapping");
        return fromUri != null ? fromUri : fromParameters;
    }

    private static int line(Node node) {
        return node.getStartMark().getLine() + 1;
    }
}
