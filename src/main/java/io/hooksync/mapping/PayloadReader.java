package io.hooksync.mapping;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.dashjoin.jsonata.Jsonata;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.filter.FilteringParserDelegate;
import com.fasterxml.jackson.core.filter.TokenFilter;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a payload into the map a mapping's expressions evaluate, building only the fields they can
 * read. Building the whole ~12 kB GitHub payload was most of the sink's CPU; a mapping reads a
 * handful of fields. The fields come from {@link ExpressionPaths}; when any expression defeats that
 * analysis, every payload is parsed whole. The projection keeps every object and array on the way
 * to a read field (also when it ends up empty) and drops only properties no expression names, so a
 * name path evaluates to the same value on both.
 */
final class PayloadReader {

    private static final Logger log = LoggerFactory.getLogger(PayloadReader.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    /** The root filter, or null when the payload is parsed whole. */
    private final TokenFilter filter;
    private final String fields;

    private PayloadReader(PayloadPaths paths) {
        this.filter = paths == null || paths.whole() ? null : new PathFilter(paths);
        this.fields = paths == null ? "*" : paths.toString();
    }

    /** The reader for a mapping's compiled expressions (any of them may be null). */
    static PayloadReader of(Mapping mapping, Jsonata filter, Jsonata deleteWhen, Jsonata rows, List<Jsonata> columns) {
        PayloadPaths paths = new PayloadPaths();
        ExpressionPaths analysis = new ExpressionPaths(paths);
        try {
            for (Jsonata root : new Jsonata[] {filter, deleteWhen}) {
                if (root != null) {
                    analysis.add(root, List.of());
                }
            }
            List<String> context = List.of();
            if (rows != null) {
                context = analysis.pathOf(rows, List.of());
                paths.at(context);
            }
            for (Jsonata column : columns) {
                analysis.add(column, context);
            }
        } catch (ExpressionPaths.Unsupported | RuntimeException | LinkageError e) {
            log.debug("Mapping {}: payloads are parsed whole ({})", mapping.name(), e.getMessage());
            return new PayloadReader(null);
        }
        log.debug("Mapping {}: payloads are parsed for {}", mapping.name(), paths);
        return new PayloadReader(paths);
    }

    /** Whether only part of each payload is built. */
    boolean projects() {
        return filter != null;
    }

    /** The fields built, e.g. {@code {action, issue{id, title}}}; {@code *} for the whole payload. */
    String fields() {
        return fields;
    }

    Map<String, Object> read(byte[] payload) throws IOException {
        if (filter == null) {
            return JSON.readValue(payload, MAP);
        }
        try (JsonParser parser = new FilteringParserDelegate(JSON.createParser(payload), filter,
                TokenFilter.Inclusion.INCLUDE_ALL_AND_PATH, true)) {
            Map<String, Object> value = JSON.readValue(parser, MAP);
            if (value != null) {
                return value;
            }
        } catch (IOException e) {
            // not JSON or not an object: the plain parse gives the same answer and error as without projection
        }
        return JSON.readValue(payload, MAP);
    }

    /** Keeps the properties of the path tree; arrays are transparent, as they are for JSONata path steps. */
    private static final class PathFilter extends TokenFilter {
        private final PayloadPaths node;
        private final Map<String, TokenFilter> properties = new HashMap<>();

        PathFilter(PayloadPaths node) {
            this.node = node;
            node.children().forEach((name, child) ->
                    properties.put(name, child.whole() ? TokenFilter.INCLUDE_ALL : new PathFilter(child)));
        }

        @Override
        public TokenFilter includeProperty(String name) {
            return properties.get(name);
        }

        @Override
        public TokenFilter includeElement(int index) {
            return this;
        }

        @Override
        public TokenFilter includeRootValue(int index) {
            return this;
        }

        @Override
        public boolean includeEmptyObject(boolean contentsFiltered) {
            return true;
        }

        @Override
        public boolean includeEmptyArray(boolean contentsFiltered) {
            return true;
        }

        @Override
        public String toString() {
            return "PathFilter" + node;
        }
    }
}
