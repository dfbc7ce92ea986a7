package io.hooksync.sink;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.hooksync.infra.BoundedFiles;
import io.hooksync.infra.RefusedFiles;
import io.hooksync.mapping.Mappings;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.spi.Resource;
import org.apache.camel.spi.ResourceReload;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.apache.camel.support.ResourceSupport;
import org.apache.camel.support.RouteWatcherReloadStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Live reload passes each changed route file through {@link RouteFilesCheck} and {@link CamelRouteParse} before
 * Camel loads it: a file with a problem (an id that is not its file name, an identity another route uses, an unknown
 * mapping or source, bad YAML, a step or key Camel does not know) is refused with its {@code file:line} messages and
 * the running routes are kept as they were; the refusal is logged once per content of the file (overwriting a file in
 * place raises two file events). Camel is given the bytes that were checked, and a file written again while it was
 * checked waits for its next file event: Camel used to read the file itself after the check, so an event of a file
 * still being written (checked empty, read complete) loaded a route the complete file was refused for. A deleted
 * route file
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
    /** What is wrong with each file last refused (while its running routes are an older version, or none). */
    private final Map<Path, List<String>> problemsOfRefused = new ConcurrentHashMap<>();

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
            problemsOfRefused.remove(file);
            removeRoutesOf(camel, file);
            return;
        }
        byte[] checked = bounded(file);
        List<String> problems = new ArrayList<>(RouteFilesCheck.problemsOf(routesDir, mappings, sources, file));
        problems.addAll(CamelRouteParse.problemsOf(routesDir, file));
        if (!Arrays.equals(checked, bounded(file))) {
            // written while it was checked (the checks read it again, maybe half-written): the file event of that
            // write comes after this one and checks what the file holds then
            log.debug("Route file {} changed while it was checked; its next file event takes it", file.getFileName());
            return;
        }
        if (checked == null && problems.isEmpty()) {
            return;                       // gone since: its deletion's event removes its routes
        }
        // a file too large to read is told apart by what the checks say of it (its size)
        String content = checked != null ? new String(checked, StandardCharsets.UTF_8) : String.join("\n", problems);
        if (!problems.isEmpty()) {
            problemsOfRefused.put(file, List.copyOf(problems));
            if (!content.equals(refused.put(file, content))) {
                log.error("Route file {} refused; the running routes are kept as they were:\n  {}", file.getFileName(),
                        String.join("\n  ", problems));
            }
            return;
        }
        refused.remove(file);
        problemsOfRefused.remove(file);
        // Camel loads what was checked, not what the file holds by the time it reads it
        camelReload.onReload(name, pinned(resource, checked));
    }

    /** The route files whose last edit was refused, each with its problems, by file name. */
    List<RefusedFiles.Refusal> refusals() {
        return problemsOfRefused.entrySet().stream()
                .map(e -> new RefusedFiles.Refusal(routesDir.getFileName() + "/" + e.getKey().getFileName(), e.getValue()))
                .sorted(java.util.Comparator.comparing(RefusedFiles.Refusal::file)).toList();
    }

    /**
     * The file's content as it was checked, under the file's own location and URI (Camel's {@code fromBytes} resource
     * would make its URI from the location, which fails for a path with a space).
     */
    private static Resource pinned(Resource file, byte[] content) {
        return new ResourceSupport(file.getScheme(), file.getLocation()) {
            @Override
            public boolean exists() {
                return true;
            }

            @Override
            public URI getURI() {
                return file.getURI();
            }

            @Override
            public InputStream getInputStream() {
                return new ByteArrayInputStream(content);
            }
        };
    }

    /** The file's bytes, or null when it is gone or is not read (too large, not a regular file: the checks say so). */
    private static byte[] bounded(Path file) throws IOException {
        try {
            return BoundedFiles.readBytes(file, BoundedFiles.DEFINITION_MAX_BYTES);
        } catch (BoundedFiles.RefusedFileException | NoSuchFileException e) {
            return null;
        }
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
