package io.hooksync.sink;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.hooksync.mapping.Mappings;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.spi.Resource;
import org.apache.camel.spi.ResourceReload;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.apache.camel.support.RouteWatcherReloadStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Live reload passes each changed route file through {@link RouteFilesCheck} and {@link CamelRouteParse} before
 * Camel loads it: a file with a problem (an id that is not its file name, an identity another route uses, an unknown
 * mapping or source, bad YAML, a step or key Camel does not know) is refused with its {@code file:line} messages and
 * the running routes are kept as they were; the refusal is logged once per content of the file (overwriting a file in
 * place raises two file events). A deleted route file
 * stops and removes its routes (Camel keeps them running when it reloads file by file), so a renamed route's old
 * identity is free for {@code continues=} at once.
 */
final class RouteReloadGuard implements CamelContextConfiguration {

    private static final Logger log = LoggerFactory.getLogger(RouteReloadGuard.class);

    private final Path routesDir;
    private final Mappings mappings;
    private final ConfiguredSources sources;
    /** The content of each file last refused, so a second event for the same content is not logged again. */
    private final Map<Path, String> refused = new ConcurrentHashMap<>();

    RouteReloadGuard(Path routesDir, Mappings mappings, ConfiguredSources sources) {
        this.routesDir = routesDir;
        this.mappings = mappings;
        this.sources = sources;
    }

    @Override
    public void beforeApplicationStart(CamelContext camel) {
        // the reload strategy exists once Camel started
    }

    @Override
    public void afterApplicationStart(CamelContext camel) {
        RouteWatcherReloadStrategy watcher = camel.hasService(RouteWatcherReloadStrategy.class);
        if (watcher == null || watcher.getResourceReload() == null) {
            return;
        }
        ResourceReload camelReload = watcher.getResourceReload();
        watcher.setResourceReload((name, resource) -> onReload(camel, camelReload, name, resource));
    }

    void onReload(CamelContext camel, ResourceReload camelReload, String name, Resource resource) throws Exception {
        Path file = pathOf(resource);
        if (file == null || !name.endsWith(".yaml")) {
            camelReload.onReload(name, resource);
            return;
        }
        if (!Files.exists(file)) {
            refused.remove(file);
            removeRoutesOf(camel, file);
            return;
        }
        String content = Files.readString(file);
        List<String> problems = new ArrayList<>(RouteFilesCheck.problemsOf(routesDir, mappings, sources, file));
        problems.addAll(CamelRouteParse.problemsOf(routesDir, file));
        if (!problems.isEmpty()) {
            if (!content.equals(refused.put(file, content))) {
                log.error("Route file {} refused; the running routes are kept as they were:\n  {}", file.getFileName(),
                        String.join("\n  ", problems));
            }
            return;
        }
        refused.remove(file);
        camelReload.onReload(name, resource);
    }

    private static void removeRoutesOf(CamelContext camel, Path file) throws Exception {
        for (Route route : List.copyOf(camel.getRoutes())) {
            Path source = pathOf(route.getSourceResource());
            if (source != null && source.equals(file)) {
                camel.getRouteController().stopRoute(route.getRouteId());
                camel.removeRoute(route.getRouteId());
                log.info("Route {} stopped and removed: its file {} was deleted", route.getRouteId(), file.getFileName());
            }
        }
    }

    private static Path pathOf(Resource resource) {
        if (resource == null) {
            return null;
        }
        URI uri = resource.getURI();
        return uri != null && "file".equals(uri.getScheme()) ? Path.of(uri).toAbsolutePath().normalize() : null;
    }
}
