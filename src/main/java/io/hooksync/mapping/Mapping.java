package io.hooksync.mapping;

import java.util.List;
import java.util.Map;

import io.hooksync.infra.ExpressionBounds;

/**
 * A validated mapping file: target table, key columns, typed columns with JSONata expressions, and
 * the optional version column, filter, delete condition, rows expression and outbound event type.
 * Names are lower-case SQL identifiers checked at load time, so they are safe to quote into SQL.
 */
public record Mapping(String name, String file, String table, List<String> key, Map<String, Column> columns,
                      String version, String filter, String deleteWhen, String rows, String emit) {

    /** A target column: its JSONata expression over the event (or over one item of {@code rows}). */
    public record Column(String name, String expr, ColumnType type) {
    }

    public Mapping {
        key = List.copyOf(key);
        columns = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(columns));
    }

    /** A fresh evaluator with the default bounds: compiled expressions are not shared between threads. */
    public CompiledMapping compile() {
        return compile(CompiledMapping.DEFAULT_BOUNDS);
    }

    /** A fresh evaluator whose JSONata evaluations are bounded by {@code bounds}. */
    public CompiledMapping compile(ExpressionBounds bounds) {
        return new CompiledMapping(this, true, bounds);
    }
}
