package io.hooksync.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.ClassPathResource;
import org.yaml.snakeyaml.Yaml;

/**
 * Every {@code hooksync.*} key has its default in one place, a description, and a true line in application.yaml:
 * the configuration metadata generated from the records (spring-boot-configuration-processor) is compared with the
 * {@code hooksync:} section of application.yaml, where keys with a record default appear commented out with it.
 */
class ConfigurationDefaultsTest {

    private static final Pattern KEY = Pattern.compile("^( *)([a-z][a-z0-9-]*):(.*)$");
    private static final Pattern COMMENTED_KEY = Pattern.compile("^( *)# ( *)([a-z][a-z0-9-]*):(.*)$");

    /** A key written in application.yaml: its path, its value (null for a section) and whether it is set or only documented. */
    record YamlKey(String path, String value, boolean set, int line) {
    }

    @Test
    void everyDocumentedDefaultIsTheRecordsAndNoSetKeyRepeatsOne() throws IOException {
        Map<String, JsonNode> metadata = metadata();
        List<String> mapKeys = mapProperties(metadata);
        List<String> problems = new ArrayList<>();
        for (YamlKey key : yamlKeys()) {
            if (underMap(key.path(), mapKeys) || key.value() == null) {
                continue;
            }
            JsonNode property = metadata.get(key.path());
            if (property == null) {
                if (!metadata.keySet().stream().anyMatch(name -> name.startsWith(key.path() + "."))) {
                    problems.add("application.yaml:" + key.line() + ": " + key.path() + " is no property of any record");
                }
                continue;
            }
            JsonNode recordDefault = property.get("defaultValue");
            if (key.set() && recordDefault != null) {
                problems.add("application.yaml:" + key.line() + ": " + key.path() + " sets a value although its record"
                        + " has the default " + recordDefault + ": write the default in one place");
            } else if (!key.set() && !sameDefault(key.value(), recordDefault)) {
                problems.add("application.yaml:" + key.line() + ": " + key.path() + " documents the default "
                        + key.value() + " but the record's is " + recordDefault);
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void everyHooksyncPropertyIsDescribedAndWrittenInApplicationYaml() throws IOException {
        Map<String, JsonNode> metadata = metadata();
        List<String> mapKeys = mapProperties(metadata);
        List<String> documented = yamlKeys().stream().map(YamlKey::path).toList();
        List<String> problems = new ArrayList<>();
        metadata.forEach((name, property) -> {
            if (!name.startsWith("hooksync.") || underMap(name, mapKeys)) {
                return;
            }
            if (!property.hasNonNull("description") || property.get("description").asText().isBlank()) {
                problems.add(name + " has no description (javadoc @param of its record component)");
            }
            if (!documented.contains(name)) {
                problems.add(name + " is not in application.yaml");
            }
        });
        assertThat(metadata).containsKeys("hooksync.mode", "hooksync.routes-dir", "hooksync.mappings-dir",
                "hooksync.templates-dir", "hooksync.mail.host", "hooksync.routes-reload", "hooksync.sink.batch-size");
        assertThat(problems).isEmpty();
    }

    private static boolean sameDefault(String yamlValue, JsonNode recordDefault) {
        Object documented = new Yaml().load(yamlValue);
        if (recordDefault == null) {
            // a key without a record default is empty when unset
            return documented == null || "".equals(documented)
                    || documented instanceof Collection<?> c && c.isEmpty() || documented instanceof Map<?, ?> m && m.isEmpty();
        }
        Object expected = new ObjectMapper().convertValue(recordDefault, Object.class);
        return normalized(documented).equals(normalized(expected));
    }

    private static Object normalized(Object value) {
        if (value instanceof Collection<?> list) {
            return list.stream().map(ConfigurationDefaultsTest::normalized).toList();
        }
        String text = String.valueOf(value).trim();
        if (value instanceof String && text.startsWith("[") && text.endsWith("]")) {
            return normalized(new Yaml().load(text));   // the processor writes a list default as its text
        }
        try {
            return new BigDecimal(text).stripTrailingZeros();
        } catch (NumberFormatException e) {
            return text.toLowerCase(java.util.Locale.ROOT);
        }
    }

    private static boolean underMap(String path, List<String> mapKeys) {
        return mapKeys.stream().anyMatch(map -> path.startsWith(map + "."));
    }

    private static List<String> mapProperties(Map<String, JsonNode> metadata) {
        return metadata.entrySet().stream()
                .filter(e -> e.getValue().path("type").asText().startsWith("java.util.Map"))
                .map(Map.Entry::getKey).toList();
    }

    private static Map<String, JsonNode> metadata() throws IOException {
        Map<String, JsonNode> properties = new LinkedHashMap<>();
        try (InputStream in = new ClassPathResource("META-INF/spring-configuration-metadata.json").getInputStream()) {
            for (JsonNode property : new ObjectMapper().readTree(in).path("properties")) {
                properties.put(property.get("name").asText(), property);
            }
        }
        return properties;
    }

    private static List<YamlKey> yamlKeys() throws IOException {
        String[] lines = new ClassPathResource("application.yaml").getContentAsString(StandardCharsets.UTF_8).split("\n");
        List<YamlKey> keys = new ArrayList<>();
        Deque<Map.Entry<Integer, String>> parents = new ArrayDeque<>();
        boolean inHooksync = false;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (line.equals("hooksync:")) {
                inHooksync = true;
                parents.push(Map.entry(0, "hooksync"));
                continue;
            }
            if (!inHooksync) {
                continue;
            }
            Matcher set = KEY.matcher(line);
            Matcher commented = COMMENTED_KEY.matcher(line);
            int indent;
            String name;
            String rest;
            boolean isSet;
            if (set.matches()) {
                indent = set.group(1).length();
                name = set.group(2);
                rest = set.group(3);
                isSet = true;
            } else if (commented.matches()) {
                indent = commented.group(1).length() + commented.group(2).length();
                name = commented.group(3);
                rest = commented.group(4);
                isSet = false;
            } else {
                continue;
            }
            if (indent == 0) {
                break;   // the next top-level section
            }
            while (!parents.isEmpty() && parents.peek().getKey() >= indent) {
                parents.pop();
            }
            String path = parents.peek().getValue() + "." + name;
            String value = rest.replaceAll("\\s+#.*$", "").trim();
            keys.add(new YamlKey(path, value.isEmpty() ? null : value, isSet, i + 1));
            parents.push(Map.entry(indent, path));
        }
        assertThat(keys).isNotEmpty();
        return keys.stream().filter(Objects::nonNull).toList();
    }
}
