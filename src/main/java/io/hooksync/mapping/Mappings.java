package io.hooksync.mapping;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.hooksync.infra.InvalidConfigurationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * All mappings of the mappings directory, validated at startup (any error stops the start). While
 * running, {@link #find} picks up an edited or new mapping file: a valid edit replaces the mapping,
 * an invalid one is logged with file and line and the previous version stays in force.
 */
public final class Mappings {

    private static final Logger log = LoggerFactory.getLogger(Mappings.class);

    /** A mapping and the file state it was read from (or last found invalid at). */
    private record Loaded(Mapping mapping, Stamp stamp) {
    }

    /**
     * What says a file changed without reading it: its modification time and size (an edit written in two writes
     * within one tick of the file system's clock keeps the time, not the size).
     */
    private record Stamp(FileTime modified, long size) {
    }

    /**
     * What a changed mapping must also pass besides its file's validation: the sink's look at the table the mapping
     * writes to. Each problem names the mapping file; any problem refuses the change.
     */
    @FunctionalInterface
    public interface Check {
        List<String> problems(Mapping mapping);
    }

    private final Path directory;
    private final Set<String> invalid;
    private final Map<String, Loaded> byName = new ConcurrentHashMap<>();
    /** The problems of each file whose last change was refused (the version in force is an older one). */
    private final Map<String, List<String>> refused = new ConcurrentHashMap<>();
    private volatile Check check = mapping -> List.of();

    private Mappings(Path directory, Map<String, Mapping> initial, Set<String> invalid) {
        this.directory = directory;
        this.invalid = Set.copyOf(invalid);
        initial.forEach((name, mapping) -> byName.put(name, new Loaded(mapping, stamp(fileOf(name)))));
    }

    /** Loads and validates every file; throws with every problem found (file:line: message). */
    public static Mappings load(Path directory) {
        List<String> problems = new ArrayList<>();
        Mappings mappings = load(directory, problems);
        if (!problems.isEmpty()) {
            throw new InvalidConfigurationException(problems);
        }
        return mappings;
    }

    /**
     * Loads the valid files and adds every problem of the others to {@code problems} (file:line: message), so the
     * routes can be checked against the same mappings in one report; a file with problems is {@link #isInvalid}.
     */
    public static Mappings load(Path directory, List<String> problems) {
        MappingLoader loader = new MappingLoader();
        Map<String, Mapping> loaded = loader.load(directory, problems);
        return new Mappings(directory, loaded, loader.invalid());
    }

    /** Whether mapping {@code name} has a file that {@link #load(Path, List)} found invalid (reported on its own). */
    public boolean isInvalid(String name) {
        return invalid.contains(name);
    }

    /** From now on a changed mapping file with problems by {@code check} is refused like an invalid one. */
    public void checkChangesWith(Check check) {
        this.check = check;
    }

    /**
     * The current version of mapping {@code name}, re-read when its file changed since it was loaded; a change with
     * problems (its file's, or the {@link #checkChangesWith check}'s) is logged once and the previous version stays.
     */
    public Optional<Mapping> find(String name) {
        Path file = fileOf(name);
        Loaded current = byName.get(name);
        Stamp stamp = stamp(file);
        if (stamp == null) {
            return Optional.ofNullable(current).map(Loaded::mapping);
        }
        if (current != null && stamp.equals(current.stamp())) {
            return Optional.of(current.mapping());
        }
        MappingLoader loader = new MappingLoader();
        Mapping reloaded = loader.loadFile(file, name, directory.getFileName() + "/" + directory.relativize(file));
        if (reloaded == null && !stamp.equals(stamp(file))) {
            // written while it was read (an editor's save in several writes): the next look reads it whole
            return Optional.ofNullable(current).map(Loaded::mapping);
        }
        List<String> problems = reloaded == null ? loader.problems() : check.problems(reloaded);
        if (reloaded == null || !problems.isEmpty()) {
            log.error("Mapping file {} changed but is {}; {}: {}", file, reloaded == null ? "invalid"
                            : "refused (save it again once the table is fixed)",
                    current != null ? "keeping the previous version" : "not loaded", String.join("; ", problems));
            byName.computeIfPresent(name, (n, l) -> new Loaded(l.mapping(), stamp));
            refused.put(name, List.copyOf(problems));
            return Optional.ofNullable(current).map(Loaded::mapping);
        }
        refused.remove(name);
        log.info("Mapping {} {} from {}", name, current != null ? "reloaded" : "added", file);
        byName.put(name, new Loaded(reloaded, stamp));
        return Optional.of(reloaded);
    }

    /**
     * The problems of mapping {@code name}'s file when its last change was refused, so what is in force is an older
     * version than the file (empty when the file is what applies).
     */
    public List<String> refusedChange(String name) {
        find(name);
        return refused.getOrDefault(name, List.of());
    }

    /** Every mapping file whose last change was refused ({@code mappings/x.yaml}), with its problems. */
    public Map<String, List<String>> refusedChanges() {
        Map<String, List<String>> byFile = new java.util.TreeMap<>();
        refused.forEach((name, problems) -> byFile.put(directory.getFileName() + "/"
                + directory.relativize(fileOf(name)).toString().replace('\\', '/'), problems));
        return byFile;
    }

    public Collection<Mapping> all() {
        return byName.values().stream().map(Loaded::mapping).toList();
    }

    public Path directory() {
        return directory;
    }

    private Path fileOf(String name) {
        Path yaml = directory.resolve(name + ".yaml");
        return Files.exists(yaml) ? yaml : directory.resolve(name + ".yml");
    }

    private static Stamp stamp(Path file) {
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            return new Stamp(attributes.lastModifiedTime(), attributes.size());
        } catch (IOException e) {
            return null;
        }
    }
}
