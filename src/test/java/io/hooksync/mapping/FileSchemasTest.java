package io.hooksync.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The schemas editors use (the {@code # yaml-language-server: $schema=...} modeline of every shipped file) accept
 * every shipped file and refuse broken copies; the Camel YAML DSL schema is the one of the Camel version in use.
 */
class FileSchemasTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path MAPPING_SCHEMA = Path.of("schemas/hooksync-mapping.schema.json");
    private static final Path CAMEL_SCHEMA = Path.of("schemas/camelYamlDsl.json");

    private static List<Path> yamlFiles(String... dirs) throws IOException {
        List<Path> files = new java.util.ArrayList<>();
        for (String dir : dirs) {
            if (!Files.isDirectory(Path.of(dir))) {
                continue;
            }
            try (Stream<Path> walk = Files.walk(Path.of(dir))) {
                walk.filter(p -> p.toString().endsWith(".yaml")).sorted().forEach(files::add);
            }
        }
        return files;
    }

    private static Schema schema(Path file, SpecificationVersion version) throws IOException {
        return SchemaRegistry.withDefaultDialect(version).getSchema(Files.readString(file), InputFormat.JSON);
    }

    private static JsonNode yaml(String text) {
        return JSON.valueToTree(new Yaml().load(text));
    }

    @Test
    void everyShippedMappingValidatesAgainstTheMappingSchema() throws IOException {
        Schema schema = schema(MAPPING_SCHEMA, SpecificationVersion.DRAFT_7);
        List<Path> mappings = yamlFiles("mappings", "examples/mappings");
        assertThat(mappings).hasSizeGreaterThanOrEqualTo(7);
        for (Path file : mappings) {
            assertThat(schema.validate(yaml(Files.readString(file)))).as(file.toString()).isEmpty();
        }
    }

    @Test
    void brokenCopiesOfAMappingDoNotValidate() throws IOException {
        Schema schema = schema(MAPPING_SCHEMA, SpecificationVersion.DRAFT_7);
        String issues = Files.readString(Path.of("mappings/github/issues.yaml"));
        assertThat(messages(schema, issues.replace("type: bigint", "type: huge"))).anyMatch(m -> m.contains("type"));
        assertThat(messages(schema, issues.replace("table: github_issues", "table: GitHub-Issues")))
                .anyMatch(m -> m.contains("table"));
        assertThat(messages(schema, issues + "colour: red\n")).anyMatch(m -> m.contains("colour"));
        assertThat(messages(schema, issues.replaceFirst("key: \\[id]\n", ""))).anyMatch(m -> m.contains("key"));
        assertThat(messages(schema, issues.replace("{ expr: issue.id, type: bigint }", "{ expr: issue.id }")))
                .anyMatch(m -> m.contains("type"));
        assertThat(messages(schema, issues.replace("table: github_issues", "table: hooksync_ledger"))).isNotEmpty();
    }

    @Test
    void everyShippedRouteValidatesAgainstTheCamelSchemaOfTheCamelInUse() throws IOException {
        try (InputStream inJar = getClass().getClassLoader().getResourceAsStream("schema/camelYamlDsl.json")) {
            assertThat(inJar).as("camel-yaml-dsl on the classpath").isNotNull();
            assertThat(Files.readAllBytes(CAMEL_SCHEMA)).as("schemas/camelYamlDsl.json is a copy of camel-yaml-dsl's; "
                    + "run scripts/update-camel-schema").isEqualTo(inJar.readAllBytes());
        }
        Schema schema = schema(CAMEL_SCHEMA, SpecificationVersion.DRAFT_4);
        for (Path file : yamlFiles("routes", "examples/routes")) {
            // Camel resolves {{property}} placeholders before it reads a value; its schema only knows the final type
            List<Error> errors = schema.validate(yaml(Files.readString(file))).stream()
                    .filter(e -> !(e.getInstanceNode() != null && e.getInstanceNode().asText().matches("\\{\\{.+}}")))
                    .toList();
            assertThat(errors).as(file.toString()).isEmpty();
        }
        String route = Files.readString(Path.of("routes/github-issues.yaml"));
        assertThat(schema.validate(yaml(route.replace("steps:", "stepz:")))).isNotEmpty();
    }

    @Test
    void everyShippedFileNamesItsSchemaWithARelativeModeline() throws IOException {
        for (Path file : yamlFiles("routes", "examples/routes", "mappings", "examples/mappings")) {
            String first = Files.readAllLines(file).get(0);
            String schemaName = file.toString().contains("mappings") ? MAPPING_SCHEMA.getFileName().toString()
                    : CAMEL_SCHEMA.getFileName().toString();
            assertThat(first).as(file.toString()).startsWith("# yaml-language-server: $schema=../").endsWith(schemaName);
            String relative = first.substring(first.indexOf('=') + 1);
            assertThat(file.getParent().resolve(relative).normalize()).as(file.toString()).isRegularFile();
        }
    }

    private static List<String> messages(Schema schema, String yaml) {
        return schema.validate(yaml(yaml)).stream().map(Error::toString).toList();
    }
}
