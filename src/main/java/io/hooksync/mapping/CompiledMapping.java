package io.hooksync.mapping;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.dashjoin.jsonata.Jsonata;
import io.hooksync.infra.ExpressionBounds;

/**
 * Evaluates one {@link Mapping} against event payloads. Expressions see the payload as input; inside
 * {@code rows} each item is the input and {@code $event} is the whole payload; {@code $meta} holds
 * the event's id, source, type, action and received_at. Not thread-safe: one per consumer.
 *
 * <p>A column whose expression is a plain name path ({@code issue.user.login}, most columns of most
 * mappings) is read by walking the payload's maps instead of running JSONata (about 6 µs per
 * evaluation, most of a mapping's cost). The walk only answers where the result cannot depend on
 * JSONata's sequence rules: through objects only, ending at a scalar, null or a missing field. When it
 * meets an array or the value is an object or array, JSONata evaluates the column as before.
 *
 * <p>Every JSONata evaluation is bounded in time and depth ({@link ExpressionBounds}); crossing a
 * bound, a stack overflow included, is a {@link MappingException} like any other mapping error, so the
 * event becomes a dead letter after the sink's retries.
 */
public final class CompiledMapping {

    /** Bounds when none are configured (tests, tools): one second and 200 levels per evaluation. */
    public static final ExpressionBounds DEFAULT_BOUNDS = new ExpressionBounds(Duration.ofSeconds(1), 200);

    private final Mapping mapping;
    private final Jsonata filter;
    private final Jsonata deleteWhen;
    private final Jsonata rows;
    private final List<Jsonata> columns = new ArrayList<>();
    /** Per column: the payload path when its expression is a plain name path read from the payload, else null. */
    private final List<String[]> plainPaths = new ArrayList<>();
    private final List<Mapping.Column> columnDefs;
    private final PayloadReader reader;
    private final ExpressionBounds bounds;

    CompiledMapping(Mapping mapping) {
        this(mapping, true);
    }

    /** {@code plainPathWalk} false: every column through JSONata (tests compare both). */
    CompiledMapping(Mapping mapping, boolean plainPathWalk) {
        this(mapping, plainPathWalk, DEFAULT_BOUNDS);
    }

    CompiledMapping(Mapping mapping, boolean plainPathWalk, ExpressionBounds bounds) {
        this.mapping = mapping;
        this.bounds = bounds;
        this.filter = compileOrNull(mapping.filter());
        this.deleteWhen = compileOrNull(mapping.deleteWhen());
        this.rows = compileOrNull(mapping.rows());
        this.columnDefs = List.copyOf(mapping.columns().values());
        columnDefs.forEach(c -> columns.add(compile(c.expr())));
        this.reader = PayloadReader.of(mapping, filter, deleteWhen, rows, columns);
        for (Jsonata column : columns) {
            plainPaths.add(plainPathWalk && rows == null ? plainPath(column) : null);
        }
    }

    /** The path a column expression names from its input, when it is nothing but a name path. */
    private static String[] plainPath(Jsonata column) {
        try {
            List<String> path = new ExpressionPaths(new PayloadPaths()).plainPath(column);
            return path.isEmpty() ? null : path.toArray(String[]::new);
        } catch (ExpressionPaths.Unsupported e) {
            return null;
        }
    }

    /** Marks "the walk cannot answer, ask JSONata". */
    private static final Object NOT_PLAIN = new Object();

    /**
     * The value at {@code path} when only objects lie on the way and it is a scalar, null or missing
     * (JSONata gives the same: the value, or undefined); {@link #NOT_PLAIN} otherwise.
     */
    static Object walk(Object input, String[] path) {
        Object current = input;
        for (String name : path) {
            if (current instanceof Map<?, ?> object) {
                current = object.get(name);
            } else if (current == null || current instanceof String || current instanceof Number
                    || current instanceof Boolean) {
                return null;   // a field of a missing value or of a scalar is undefined
            } else {
                return NOT_PLAIN;   // an array: JSONata maps over it
            }
        }
        return current instanceof Map || current instanceof List ? NOT_PLAIN : current;
    }

    /** One target row: values in the order of {@link Mapping#columns()}, and whether it is a delete. */
    public record Row(Object[] values, boolean deleted) {
    }

    public Mapping definition() {
        return mapping;
    }

    /**
     * The payload as {@link #apply} needs it: only the fields the expressions can read when the
     * analysis of the expressions succeeded, else all of it. Throws when it is not a JSON object.
     */
    public Map<String, Object> read(byte[] payload) throws IOException {
        return reader.read(payload);
    }

    /** The fields {@link #read} builds, e.g. {@code {action, issue{id, title}}}; {@code *} when all. */
    public String readFields() {
        return reader.fields();
    }

    /** The rows for one event; an empty list when the filter excludes it. */
    public List<Row> apply(Map<String, Object> payload, Map<String, Object> meta) throws MappingException {
        if (filter != null && !Jsonata.boolize(eval(filter, "filter", payload, payload, meta))) {
            return List.of();
        }
        boolean deleted = deleteWhen != null
                && Jsonata.boolize(eval(deleteWhen, "delete-when", payload, payload, meta));
        List<Object> inputs = new ArrayList<>();
        if (rows == null) {
            inputs.add(payload);
        } else {
            Object items = eval(rows, "rows", payload, payload, meta);
            if (items instanceof List<?> list) {
                inputs.addAll(list);
            } else if (items != null) {
                inputs.add(items);
            }
        }
        List<Row> result = new ArrayList<>(inputs.size());
        for (Object input : inputs) {
            Object[] values = new Object[columnDefs.size()];
            for (int i = 0; i < values.length; i++) {
                Mapping.Column column = columnDefs.get(i);
                String[] path = plainPaths.get(i);
                Object raw = path == null ? NOT_PLAIN : walk(input, path);
                if (raw == NOT_PLAIN) {
                    raw = eval(columns.get(i), "column " + column.name(), input, payload, meta);
                }
                try {
                    values[i] = column.type().convert(raw);
                } catch (MappingException e) {
                    throw new MappingException("column " + column.name() + ": " + e.getMessage());
                }
            }
            for (String key : mapping.key()) {
                if (values[indexOf(key)] == null) {
                    throw new MappingException("key column " + key + " evaluated to null");
                }
            }
            result.add(new Row(values, deleted));
        }
        return result;
    }

    /** How many columns are read by walking the payload instead of JSONata. */
    int plainPathColumns() {
        return (int) plainPaths.stream().filter(java.util.Objects::nonNull).count();
    }

    /** Position of a column in {@link Row#values()}. */
    public int indexOf(String column) {
        for (int i = 0; i < columnDefs.size(); i++) {
            if (columnDefs.get(i).name().equals(column)) {
                return i;
            }
        }
        throw new IllegalArgumentException("no column " + column);
    }

    private Object eval(Jsonata expr, String what, Object input, Map<String, Object> event,
                        Map<String, Object> meta) throws MappingException {
        try {
            Map<String, Object> bindings = new HashMap<>(4);
            bindings.put("event", event);
            bindings.put("meta", meta);
            return bounds.evaluate(expr, input, bindings);
        } catch (RuntimeException e) {
            throw new MappingException(what + ": " + e.getMessage(), e);
        }
    }

    private static Jsonata compileOrNull(String expr) {
        return expr == null ? null : compile(expr);
    }

    /** Input comes from Jackson (maps, lists, numbers, strings): skip the per-evaluation walk that re-checks it. */
    private static Jsonata compile(String expr) {
        Jsonata compiled = Jsonata.jsonata(expr);
        compiled.setValidateInput(false);
        return compiled;
    }
}
