package io.hooksync.sink;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hooksync.infra.PlainJson;
import io.hooksync.mapping.CompiledMapping;
import io.hooksync.mapping.Mapping;
import io.hooksync.mapping.MappingException;
import io.hooksync.mapping.Mappings;

/** What a mapping would write for one payload file: its rows as JSON, one per line, or the mapping error. */
final class PayloadPreview {

    /** The validate command runs without a Spring context; row values are shown as text, numbers or booleans. */
    private static final ObjectMapper JSON = PlainJson.MAPPER;

    private PayloadPreview() {
    }

    /** Prints the rows; returns the problems (an unknown mapping, an unreadable payload, a mapping error). */
    static List<String> print(Mappings mappings, Map<String, String> options, PrintStream out) {
        String name = options.get("mapping");
        Path payload = Path.of(options.get("payload"));
        Mapping mapping = mappings.find(name).orElse(null);
        if (mapping == null) {
            return List.of(payload + ": no mapping '" + name + "' in " + mappings.directory().getFileName() + "/");
        }
        try {
            CompiledMapping compiled = mapping.compile();
            byte[] bytes = Files.readAllBytes(payload);
            List<CompiledMapping.Row> rows = compiled.apply(compiled.read(bytes), meta(options, JSON.readValue(bytes, Map.class)));
            out.println(payload + " -> " + mapping.table() + ": " + rows.size() + " row(s)"
                    + (rows.isEmpty() ? " (the mapping's filter skips this event)" : ""));
            for (CompiledMapping.Row row : rows) {
                out.println(JSON.writeValueAsString(row(mapping, row)));
            }
            return List.of();
        } catch (MappingException e) {
            return List.of(payload + ": mapping " + name + " cannot map it: " + e.getMessage());
        } catch (IOException e) {
            return List.of(payload + ": cannot be read as a JSON object (" + e.getMessage() + ")");
        }
    }

    private static Map<String, Object> row(Mapping mapping, CompiledMapping.Row row) {
        Map<String, Object> shown = new LinkedHashMap<>();
        int i = 0;
        for (String column : mapping.columns().keySet()) {
            Object value = row.values()[i++];
            shown.put(column, value == null || value instanceof Number || value instanceof Boolean ? value
                    : value.toString());
        }
        if (row.deleted()) {
            shown.put("_hooksync_deleted", true);
        }
        return shown;
    }

    private static Map<String, Object> meta(Map<String, String> options, Map<?, ?> data) {
        Map<String, Object> meta = new HashMap<>();
        meta.put("id", "validate");
        meta.put("source", "validate");
        meta.put("type", options.get("type"));
        meta.put("action", data.get("action") instanceof String action ? action : null);
        return meta;
    }
}
