package io.hooksync.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.hooksync.infra.BoundedFiles;
import io.hooksync.infra.InvalidConfigurationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MappingLoaderTest {

    @TempDir
    Path dir;

    @Test
    void everyProblemOfABrokenFileIsReportedWithItsLine() throws IOException {
        Files.copy(Path.of("src/test/resources/fixtures/mapping/broken.yaml"), dir.resolve("broken.yaml"));
        List<String> problems = new ArrayList<>();
        new MappingLoader().load(dir, problems);
        String shown = dir.getFileName() + "/broken.yaml";
        assertThat(problems).anySatisfy(p -> assertThat(p).startsWith(shown + ":1:").contains("table 'Bad-Table'"));
        assertThat(problems).anySatisfy(p -> assertThat(p).startsWith(shown + ":2:").contains("key column 'missing'"));
        assertThat(problems).anySatisfy(p -> assertThat(p).startsWith(shown + ":3:").contains("version column 'nope'"));
        assertThat(problems).anySatisfy(p -> assertThat(p).startsWith(shown + ":4:").contains("unknown key 'colour'"));
        assertThat(problems).anySatisfy(p -> assertThat(p).startsWith(shown + ":7:").contains("does not compile"));
        assertThat(problems).anySatisfy(p -> assertThat(p).startsWith(shown + ":8:").contains("unknown type 'huge'"));
    }

    @Test
    void anOverlongOrTooDeeplyNestedExpressionIsAFileLineError() throws IOException {
        String overlong = "id" + " ".repeat(MappingLoader.MAX_EXPRESSION_LENGTH);
        String nested = "(".repeat(3_000) + "id" + ")".repeat(3_000);
        Files.writeString(dir.resolve("long.yaml"), "table: t\nkey: [id]\ncolumns:\n  id: { expr: id, type: text }\n"
                + "  name: { expr: \"" + overlong + "\", type: text }\n  deep: { expr: \"" + nested + "\", type: text }\n");
        List<String> problems = new ArrayList<>();
        new MappingLoader().load(dir, problems);
        assertThat(problems).containsExactly(
                "mappings/long.yaml:5: column name: the expression has 8194 characters; at most 8192 are allowed"
                        .replace("mappings/", dir.getFileName() + "/"),
                dir.getFileName() + "/long.yaml:6: column deep: JSONata expression '" + nested
                        + "' does not compile: nested too deeply to parse");
    }

    @Test
    void invalidYamlNamesTheLine() throws IOException {
        Files.writeString(dir.resolve("bad.yaml"), "table: t\nkey: [id\ncolumns: {}\n");
        List<String> problems = new ArrayList<>();
        new MappingLoader().load(dir, problems);
        assertThat(problems).singleElement().satisfies(p -> assertThat(p).contains("bad.yaml:").contains("not valid YAML"));
    }

    @Test
    void anOverlongNameSaysItsLength() throws IOException {
        String long73 = "c".repeat(73);
        Files.writeString(dir.resolve("long.yaml"), "table: t\nkey: [id]\ncolumns:\n  id: { expr: id, type: text }\n"
                + "  " + long73 + ": { expr: id, type: text }\n");
        List<String> problems = new ArrayList<>();
        new MappingLoader().load(dir, problems);
        assertThat(problems).singleElement().asString().contains("column name '" + long73 + "'")
                .contains("at most 63 characters: this one has 73");
    }

    /** A stray dump in mappings/ is refused by its size before it is read, next to the good files. */
    @Test
    void aFileOverTheBoundIsNotRead() throws IOException {
        Files.writeString(dir.resolve("ok.yaml"), "table: t\nkey: [id]\ncolumns:\n  id: { expr: id, type: text }\n");
        Files.write(dir.resolve("dump.yaml"), new byte[BoundedFiles.DEFINITION_MAX_BYTES + 1]);
        List<String> problems = new ArrayList<>();
        assertThat(new MappingLoader().load(dir, problems)).containsOnlyKeys("ok");
        assertThat(problems).containsExactly(dir.getFileName() + "/dump.yaml: not read: "
                + (BoundedFiles.DEFINITION_MAX_BYTES + 1) + " bytes, more than the 1048576 read at most");
    }

    @Test
    void loadRefusesToStartHalfConfigured() throws IOException {
        Files.writeString(dir.resolve("ok.yaml"), "table: t\nkey: [id]\ncolumns:\n  id: { expr: id, type: text }\n");
        Files.writeString(dir.resolve("broken.yaml"), "table: t2\nkey: [id]\n");
        assertThatThrownBy(() -> Mappings.load(dir)).isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("broken.yaml:1: columns is missing");
    }

    @Test
    void nestedFilesAreNamedByTheirPath() throws IOException {
        Files.createDirectories(dir.resolve("github"));
        Files.writeString(dir.resolve("github/issues.yaml"),
                "table: gi\nkey: [id]\nversion: v\ncolumns:\n  id: { expr: id, type: bigint }\n  v: { expr: v, type: bigint }\n");
        Mappings mappings = Mappings.load(dir);
        assertThat(mappings.find("github/issues")).get().satisfies(m -> {
            assertThat(m.table()).isEqualTo("gi");
            assertThat(m.version()).isEqualTo("v");
            assertThat(m.key()).containsExactly("id");
        });
    }

    @Test
    void everyShippedMappingLoads() {
        Mappings mappings = Mappings.load(Path.of("mappings"));
        assertThat(mappings.all()).extracting(Mapping::name).contains("github/issues", "github/pull_requests",
                "github/commits", "stripe/customers", "stripe/invoices", "stripe/payment_intents");
    }
}
