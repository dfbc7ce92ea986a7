package io.hooksync.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.hooksync.mapping.Mappings;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** A mapping file written while the engine runs is checked at once, through Camel's file watcher. */
class MappingWatcherTest {

    private static final String GOOD = "table: t\nkey: [id]\ncolumns:\n  id: { expr: id, type: text }\n";

    @TempDir
    Path dir;

    private final DefaultCamelContext camel = new DefaultCamelContext();
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private Path file;
    private Mappings mappings;

    @BeforeEach
    void setUp() throws Exception {
        file = Files.createDirectories(dir.resolve("mappings/github")).resolve("x.yaml");
        Files.writeString(file, GOOD);
        mappings = Mappings.load(dir.resolve("mappings"));
        log.start();
        ((Logger) LoggerFactory.getLogger(Mappings.class)).addAppender(log);
        camel.start();
    }

    @AfterEach
    void tearDown() throws Exception {
        ((Logger) LoggerFactory.getLogger(Mappings.class)).detachAppender(log);
        camel.close();
    }

    private List<String> logged(Level level) {
        return log.list.stream().filter(e -> e.getLevel() == level).map(ILoggingEvent::getFormattedMessage).toList();
    }

    @Test
    void aBrokenEditInASubdirectoryIsReportedWithoutAnEventAndAGoodOneReloads() throws Exception {
        new MappingWatcher(mappings, true).afterApplicationStart(camel);
        Files.writeString(file, GOOD.replace("type: text", "type: huge"));
        await().atMost(Duration.ofSeconds(20)).until(() -> !logged(Level.ERROR).isEmpty());
        assertThat(logged(Level.ERROR)).singleElement().asString().contains("keeping the previous version")
                .contains("mappings/github/x.yaml:4:").contains("unknown type 'huge'");

        Files.writeString(file, GOOD.replace("id: { expr: id", "id: { expr: number"));
        await().atMost(Duration.ofSeconds(20)).until(() -> logged(Level.INFO).contains("Mapping github/x reloaded from " + file));
        assertThat(mappings.find("github/x")).hasValueSatisfying(m -> assertThat(m.columns().get("id").expr()).isEqualTo("number"));

        Files.writeString(dir.resolve("mappings/new.yaml"), GOOD);
        await().atMost(Duration.ofSeconds(20)).until(() -> logged(Level.INFO).stream().anyMatch(m -> m.startsWith("Mapping new added")));
    }

    @Test
    void withReloadOffNothingIsWatched() throws Exception {
        new MappingWatcher(mappings, false).afterApplicationStart(camel);
        assertThat(camel.hasService(org.apache.camel.support.FileWatcherResourceReloadStrategy.class)).isNull();
    }
}
