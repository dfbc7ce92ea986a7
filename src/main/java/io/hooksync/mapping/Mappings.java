package io.hooksync.mapping;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.hooksync.infra.InvalidConfigurationException;

/** All mappings of the mappings directory, validated at startup; the sink looks them up by name. */
public final class Mappings {

    private final Path directory;
    private final Map<String, Mapping> byName;

    private Mappings(Path directory, Map<String, Mapping> byName) {
        this.directory = directory;
        this.byName = Map.copyOf(byName);
    }

    /** Loads and validates every file; throws with every problem found (file:line: message). */
    public static Mappings load(Path directory) {
        List<String> problems = new ArrayList<>();
        Map<String, Mapping> loaded = new MappingLoader().load(directory, problems);
        if (!problems.isEmpty()) {
            throw new InvalidConfigurationException(problems);
        }
        return new Mappings(directory, loaded);
    }

    public Optional<Mapping> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    public Collection<Mapping> all() {
        return byName.values();
    }

    public Path directory() {
        return directory;
    }
}
