package io.hooksync.mapping;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.dashjoin.jsonata.Jsonata;

/**
 * Evaluates one {@link Mapping} against event payloads. Expressions see the payload as input; inside
 * {@code rows} each item is the input and {@code $event} is the whole payload; {@code $meta} holds
 * the event's id, source, type, action and received_at. Not thread-safe: one per consumer.
 */
public final class CompiledMapping {

    private final Mapping mapping;
    private final Jsonata filter;
    private final Jsonata deleteWhen;
    private final Jsonata rows;
    private final List<Jsonata> columns = new ArrayList<>();
    private final List<Mapping.Column> columnDefs;
    private final PayloadReader reader;

    CompiledMapping(Mapping mapping) {
        this.mapping = mapping;
        this.filter = compileOrNull(mapping.filter());
        this.deleteWhen = compileOrNull(mapping.deleteWhen());
        this.rows = compileOrNull(mapping.rows());
        this.columnDefs = List.copyOf(mapping.columns().values());
        columnDefs.forEach(c -> columns.add(compile(c.expr())));
        this.reader = PayloadReader.of(mapping, filter, deleteWhen, rows, columns);
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
                Object raw = eval(columns.get(i), "column " + column.name(), input, payload, meta);
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

    /** Position of a column in {@link Row#values()}. */
    public int indexOf(String column) {
        for (int i = 0; i < columnDefs.size(); i++) {
            if (columnDefs.get(i).name().equals(column)) {
                return i;
            }
        }
        throw new IllegalArgumentException("no column " + column);
    }

    private static Object eval(Jsonata expr, String what, Object input, Map<String, Object> event,
                               Map<String, Object> meta) throws MappingException {
        try {
            Jsonata.Frame frame = expr.createFrame();
            frame.bind("event", event);
            frame.bind("meta", meta);
            Object value = expr.evaluate(input, frame);
            return value == Jsonata.NULL_VALUE ? null : value;
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
