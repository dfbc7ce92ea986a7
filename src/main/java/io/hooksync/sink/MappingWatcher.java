package io.hooksync.sink;

import java.io.File;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

import io.hooksync.mapping.Mappings;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.Resource;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.apache.camel.support.FileWatcherResourceReloadStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * With live reload on, a mapping file is checked as soon as it is written, not when the next event needs it: a broken
 * edit is logged at once with its {@code file:line} problems (the previous version stays in force), a good one is
 * logged as reloaded. The watching is Camel's own file watcher (the one that reloads route files), on the mappings
 * directory and its subdirectories; what a change means stays {@link Mappings#find}'s, which every event still asks,
 * so nothing changes when reload is off (compose) or a change is missed.
 */
final class MappingWatcher implements CamelContextConfiguration {

    private static final Logger log = LoggerFactory.getLogger(MappingWatcher.class);

    private final Mappings mappings;
    private final boolean enabled;

    MappingWatcher(Mappings mappings, boolean enabled) {
        this.mappings = mappings;
        this.enabled = enabled;
    }

    @Override
    public void beforeApplicationStart(CamelContext camel) {
    }

    @Override
    public void afterApplicationStart(CamelContext camel) {
        Path dir = mappings.directory();
        if (!enabled || !Files.isDirectory(dir)) {
            return;
        }
        FileWatcherResourceReloadStrategy watcher = new MappingFilesWatcher(dir);
        watcher.setFileFilter(file -> isMapping(file.toPath()));
        watcher.setResourceReload((name, resource) -> changed(resource));
        try {
            camel.addService(watcher, true, true);
        } catch (Exception e) {
            log.warn("Mapping files are not watched ({}); a changed mapping is read when an event next needs it",
                    e.getMessage());
        }
    }

    /** Asks {@link Mappings#find} for the mapping of a changed file, which reloads it and logs the outcome. */
    void changed(Resource resource) {
        Path file = pathOf(resource);
        Path dir = mappings.directory();
        if (file == null || !file.startsWith(dir) || !isMapping(file)) {
            return;
        }
        String name = dir.relativize(file).toString().replace('\\', '/').replaceFirst("\\.ya?ml$", "");
        mappings.find(name);
    }

    /** Camel's watcher, named (its thread pool takes the class's simple name) and saying what it watches for. */
    private static final class MappingFilesWatcher extends FileWatcherResourceReloadStrategy {
        MappingFilesWatcher(Path dir) {
            super(dir.toString(), true);
        }

        @Override
        protected String startupMessage(File folder) {
            return "Mapping files are checked when they change (directory: " + folder + ")";
        }
    }

    private static boolean isMapping(Path file) {
        String name = file.getFileName().toString();
        return name.endsWith(".yaml") || name.endsWith(".yml");
    }

    private static Path pathOf(Resource resource) {
        URI uri = resource == null ? null : resource.getURI();
        return uri != null && "file".equals(uri.getScheme()) ? Path.of(uri).toAbsolutePath().normalize() : null;
    }
}
