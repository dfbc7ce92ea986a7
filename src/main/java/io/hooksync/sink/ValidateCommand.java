package io.hooksync.sink;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import ch.qos.logback.classic.Level;
import io.hooksync.mapping.Mappings;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar hooksync.jar validate [--routes DIR] [--mappings DIR] [--payload FILE --mapping NAME [--type T]]}:
 * checks route and mapping files the way startup does, and has Camel read the routes, without Kafka, a database
 * or Spring. Prints {@code file:line: message} per problem and exits 1, or exits 0; with a payload it also prints
 * the rows the mapping would write for it. Runs before Spring starts (see HooksyncApplication).
 */
public final class ValidateCommand {

    private ValidateCommand() {
    }

    /** Runs the check; returns the exit status (0 valid, 1 problems, 2 usage). */
    public static int run(String[] args, PrintStream out) {
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).setLevel(Level.WARN);
        Map<String, String> options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            out.println(e.getMessage());
            out.println("usage: validate [--routes DIR] [--mappings DIR] [--payload FILE --mapping NAME [--type TYPE]]");
            return 2;
        }
        Path routes = Path.of(options.getOrDefault("routes", "routes"));
        Path mappingsDir = Path.of(options.getOrDefault("mappings", "mappings"));
        List<String> problems = new ArrayList<>();
        Mappings mappings = Mappings.load(mappingsDir.toAbsolutePath().normalize(), problems);
        ConfiguredSources sources = null;
        try {
            sources = ConfiguredSources.offline();
        } catch (RuntimeException e) {     // a broken application.yaml, a spring.config.import that is missing
            problems.add("configuration: cannot be read, so the routes' sources are not checked (" + e.getMessage() + ")");
        }
        problems.addAll(RouteFilesCheck.problems(routes, mappings, sources));
        problems.addAll(CamelRouteParse.problems(routes));
        if (options.containsKey("payload") && !mappings.isInvalid(options.get("mapping"))) {
            problems.addAll(PayloadPreview.print(mappings, options, out));
        }
        problems.forEach(out::println);
        if (problems.isEmpty()) {
            out.println("OK: " + count(routes) + " route file(s) in " + routes + ", " + mappings.all().size()
                    + " mapping(s) in " + mappingsDir);
            return 0;
        }
        out.println(problems.size() + " problem(s)");
        return 1;
    }

    private static long count(Path dir) {
        try (var files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".yaml")).count();
        } catch (java.io.IOException e) {
            return 0;
        }
    }

    /** {@code --name value} or {@code --name=value}; only the known names. */
    private static final class Options {
        private static final List<String> KNOWN = List.of("routes", "mappings", "payload", "mapping", "type");

        static Map<String, String> parse(String[] args) {
            Map<String, String> options = new java.util.HashMap<>();
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                if (!arg.startsWith("--")) {
                    throw new IllegalArgumentException("unexpected argument '" + arg + "'");
                }
                String name = arg.substring(2);
                String value;
                int eq = name.indexOf('=');
                if (eq >= 0) {
                    value = name.substring(eq + 1);
                    name = name.substring(0, eq);
                } else if (i + 1 < args.length) {
                    value = args[++i];
                } else {
                    throw new IllegalArgumentException("--" + name + " needs a value");
                }
                if (!KNOWN.contains(name)) {
                    throw new IllegalArgumentException("unknown option --" + name);
                }
                options.put(name, value);
            }
            if (options.containsKey("payload") != options.containsKey("mapping")) {
                throw new IllegalArgumentException("--payload and --mapping go together");
            }
            return options;
        }
    }
}
