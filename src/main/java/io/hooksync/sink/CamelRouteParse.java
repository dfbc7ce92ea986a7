package io.hooksync.sink;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import io.hooksync.infra.BoundedFiles;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.StartupSummaryLevel;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.Resource;
import org.apache.camel.spi.RoutesLoader;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Has Camel's own YAML DSL read each route file into route definitions, in a bare Camel context that is never
 * started (no endpoint is created, nothing connects anywhere), so what only Camel knows is reported offline: an
 * unknown EIP or key, a value of the wrong shape. Each problem is {@code routes/x.yaml:LINE: message}.
 */
final class CamelRouteParse {

    private CamelRouteParse() {
    }

    /** The problems of every route file of the directory. */
    static List<String> problems(Path routesDir) {
        if (!Files.isDirectory(routesDir)) {
            return List.of();
        }
        try (Stream<Path> list = Files.list(routesDir)) {
            return problems(routesDir, list.filter(p -> p.toString().endsWith(".yaml")).sorted().toList());
        } catch (IOException e) {
            return List.of(routesDir + ": cannot list route files (" + e.getMessage() + ")");
        }
    }

    /** The problems of one route file (a live reload's changed file). */
    static List<String> problemsOf(Path routesDir, Path file) {
        return problems(routesDir, List.of(file));
    }

    private static List<String> problems(Path routesDir, List<Path> files) {
        List<String> problems = new ArrayList<>();
        try (DefaultCamelContext camel = new DefaultCamelContext()) {
            camel.getCamelContextExtension().setName("hooksync-route-check");
            camel.disableJMX();
            camel.setStartupSummaryLevel(StartupSummaryLevel.Off);      // its shutdown is not logged
            camel.build();
            RoutesLoader loader = PluginHelper.getRoutesLoader(camel);
            for (Path file : files) {
                if (!isYaml(file)) {
                    continue;                     // RouteFilesCheck reports it with its line; once is enough
                }
                String shown = routesDir.getFileName() + "/" + file.getFileName();
                Resource resource = ResourceHelper.resolveResource(camel, "file:" + file.toAbsolutePath());
                try {
                    for (RoutesBuilder builder : loader.findRoutesBuilders(resource)) {
                        builder.addRoutesToCamelContext(camel);
                    }
                } catch (Exception e) {
                    problems.add(shown + ":" + line(e).map(String::valueOf).orElse("1") + ": Camel cannot read the "
                            + "route: " + message(e));
                }
            }
        } catch (Exception e) {
            problems.add(routesDir + ": cannot check the routes with Camel (" + e.getMessage() + ")");
        }
        return problems;
    }

    private static boolean isYaml(Path file) {
        try {
            new Yaml(new LoaderOptions()).compose(new StringReader(
                    BoundedFiles.readString(file, BoundedFiles.DEFINITION_MAX_BYTES)));
            return true;
        } catch (MarkedYAMLException | IOException e) {
            return false;
        }
    }

    private static Optional<Integer> line(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof MarkedYamlEngineException marked) {
                Optional<Mark> mark = marked.getProblemMark().or(marked::getContextMark);
                if (mark.isPresent()) {
                    return Optional.of(mark.get().getLine() + 1);
                }
            }
        }
        return Optional.empty();
    }

    private static String message(Throwable e) {
        Throwable deepest = e;
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof MarkedYamlEngineException marked) {
                return marked.getProblem() == null ? firstLine(t.getMessage()) : marked.getProblem();
            }
            deepest = t;
        }
        return firstLine(deepest.getMessage());
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "(no message)";
        }
        String first = message.strip().lines().findFirst().orElse("");
        return first.length() > 300 ? first.substring(0, 300) + "..." : first;
    }
}
