package io.hooksync.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.hooksync.infra.BoundedFiles;
import io.hooksync.mapping.Mappings;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** What live reload hands Camel: only files without problems; a refusal is one log line per content of the file. */
class RouteReloadGuardTest {

    @TempDir
    Path dir;

    private final DefaultCamelContext camel = new DefaultCamelContext();
    private final List<String> reloaded = new ArrayList<>();
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private Path routes;
    private RouteReloadGuard guard;

    @BeforeEach
    void setUp() throws IOException {
        routes = Files.createDirectories(dir.resolve("routes"));
        guard = new RouteReloadGuard(routes, Mappings.load(Path.of("mappings").toAbsolutePath().normalize()),
                new ConfiguredSources(Set.of("github", "stripe"), key -> null));
        log.start();
        ((Logger) LoggerFactory.getLogger(RouteReloadGuard.class)).addAppender(log);
    }

    @AfterEach
    void tearDown() throws IOException {
        ((Logger) LoggerFactory.getLogger(RouteReloadGuard.class)).detachAppender(log);
        camel.close();
    }

    private void write(String name, String source, String step) throws Exception {
        Path file = routes.resolve(name + ".yaml");
        Files.writeString(file, route(name, source, step));
        Resource resource = ResourceHelper.resolveResource(camel, "file:" + file.toAbsolutePath());
        guard.onReload(camel, (n, r) -> reloaded.add(n), file.toString(), resource);
    }

    private List<String> errors() {
        return log.list.stream().filter(e -> e.getLevel() == Level.ERROR).map(ILoggingEvent::getFormattedMessage).toList();
    }

    @Test
    void aStepCamelDoesNotKnowIsRefusedWithItsFileAndLine() throws Exception {
        write("x", "github", "tooo: log:x");
        assertThat(reloaded).isEmpty();
        assertThat(errors()).singleElement().asString()
                .startsWith("Route file x.yaml refused; the running routes are kept as they were:\n  routes/x.yaml:7: ")
                .contains("tooo").doesNotContain("\n    at ");
    }

    @Test
    void aSourceThatIsNotConfiguredIsRefused() throws Exception {
        write("x", "gitlab", "to: log:x");
        assertThat(reloaded).isEmpty();
        assertThat(errors()).singleElement().asString().contains("routes/x.yaml:5: source 'gitlab' is not configured "
                + "(configured: github, stripe)");
    }

    @Test
    void aRefusalIsLoggedOncePerContent() throws Exception {
        write("x", "gitlab", "to: log:x");
        write("x", "gitlab", "to: log:x");     // overwritten in place: a second file event, the same content
        assertThat(errors()).hasSize(1);
        write("x", "gitlub", "to: log:x");     // another mistake is logged
        assertThat(errors()).hasSize(2);
        write("x", "github", "to: log:x");     // fixed: loaded
        write("x", "gitlab", "to: log:x");     // the first mistake again, after a good version: logged again
        assertThat(errors()).hasSize(3);
        assertThat(reloaded).hasSize(1);
    }

    /** A file written again after its check: Camel loads the version that was checked, not the file's later one. */
    @Test
    void camelIsGivenTheContentThatWasChecked() throws Exception {
        List<Resource> given = new ArrayList<>();
        Path file = routes.resolve("x.yaml");
        Files.writeString(file, route("x", "github", "to: log:x"));
        Resource resource = ResourceHelper.resolveResource(camel, "file:" + file.toAbsolutePath());
        guard.onReload(camel, (n, r) -> given.add(r), file.toString(), resource);
        Files.writeString(file, route("other", "gitlab", "to: log:x"));   // a later write, with its own event to come
        assertThat(given).singleElement().satisfies(r -> {
            assertThat(r.getLocation()).isEqualTo(resource.getLocation());
            assertThat(r.getURI()).isEqualTo(resource.getURI());
            try (InputStream in = r.getInputStream()) {
                assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8))
                        .isEqualTo(route("x", "github", "to: log:x"));
            }
        });
    }

    /** A route file: the source's issues through {@code step} into the github/issues mapping. */
    private static String route(String id, String source, String step) {
        return """
                - route:
                    id: %s
                    from:
                      uri: hooksync:events
                      parameters: { source: %s, types: issues }
                      steps:
                        - %s
                        - to: hooksync:upsert?mapping=github/issues
                """.formatted(id, source, step);
    }

    /** A file too large to read is refused by its size, once, and the routes running are kept. */
    @Test
    void aFileOverTheBoundIsRefusedUnread() throws Exception {
        Path file = routes.resolve("x.yaml");
        Files.write(file, new byte[BoundedFiles.DEFINITION_MAX_BYTES + 1]);
        Resource resource = ResourceHelper.resolveResource(camel, "file:" + file.toAbsolutePath());
        guard.onReload(camel, (n, r) -> reloaded.add(n), file.toString(), resource);
        guard.onReload(camel, (n, r) -> reloaded.add(n), file.toString(), resource);
        assertThat(reloaded).isEmpty();
        assertThat(errors()).singleElement().asString().endsWith("routes/x.yaml: not read: "
                + (BoundedFiles.DEFINITION_MAX_BYTES + 1) + " bytes, more than the 1048576 read at most");
    }

    @Test
    void aFileThatIsNotYamlIsOneProblem() throws Exception {
        Path file = routes.resolve("x.yaml");
        Files.writeString(file, "- route:\n    id: x\n    from: [unclosed\n");
        guard.onReload(camel, (n, r) -> reloaded.add(n), file.toString(),
                ResourceHelper.resolveResource(camel, "file:" + file.toAbsolutePath()));
        assertThat(reloaded).isEmpty();
        assertThat(errors()).singleElement().asString().containsOnlyOnce("routes/x.yaml:").contains("not valid YAML");
    }
}
