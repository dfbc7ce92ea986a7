package io.hooksync.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** A changed mapping that the check refuses (its table cannot take it) is logged once and the previous version stays. */
class MappingsCheckTest {

    private static final String GOOD = "table: orders\nkey: [id]\ncolumns:\n  id: { expr: id, type: bigint }\n"
            + "  items: { expr: items, type: integer }\n";

    @TempDir
    Path dir;

    private final ListAppender<ILoggingEvent> log = new ListAppender<>();

    @BeforeEach
    void listen() {
        log.start();
        ((Logger) LoggerFactory.getLogger(Mappings.class)).addAppender(log);
    }

    @AfterEach
    void stopListening() {
        ((Logger) LoggerFactory.getLogger(Mappings.class)).detachAppender(log);
    }

    @Test
    void aRefusedChangeKeepsThePreviousVersionAndIsLoggedOnce() throws Exception {
        Path file = Files.createDirectories(dir.resolve("mappings")).resolve("orders.yaml");
        Files.writeString(file, GOOD);
        Mappings mappings = Mappings.load(dir.resolve("mappings"));
        List<Mapping> checked = new ArrayList<>();
        mappings.checkChangesWith(m -> {
            checked.add(m);
            return m.columns().get("items").type() == ColumnType.TEXT
                    ? List.of("mappings/orders.yaml: column items of table orders is integer") : List.of();
        });

        write(file, GOOD.replace("type: integer", "type: text"), 1);
        assertThat(mappings.find("orders").orElseThrow().columns().get("items").type()).isEqualTo(ColumnType.INTEGER);
        assertThat(mappings.find("orders").orElseThrow().columns().get("items").type()).isEqualTo(ColumnType.INTEGER);
        assertThat(checked).as("checked once per change").hasSize(1);
        List<String> errors = log.list.stream().filter(e -> e.getLevel() == Level.ERROR)
                .map(ILoggingEvent::getFormattedMessage).toList();
        assertThat(errors).singleElement().asString()
                .contains("refused", "keeping the previous version", "column items of table orders is integer");

        assertThat(mappings.refusedChange("orders")).containsExactly("mappings/orders.yaml: column items of table "
                + "orders is integer");
        assertThat(mappings.refusedChanges()).containsOnlyKeys("mappings/orders.yaml");

        write(file, GOOD.replace("type: integer", "type: bigint"), 2);
        assertThat(mappings.find("orders").orElseThrow().columns().get("items").type()).isEqualTo(ColumnType.BIGINT);
        assertThat(mappings.refusedChange("orders")).isEmpty();
        assertThat(mappings.refusedChanges()).isEmpty();
    }

    private static void write(Path file, String text, int seconds) throws Exception {
        Files.writeString(file, text);
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(seconds)));
    }
}
