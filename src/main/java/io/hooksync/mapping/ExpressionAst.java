package io.hooksync.mapping;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.dashjoin.jsonata.Jsonata;

/**
 * Read access to one node of dashjoin's syntax tree (package-private there: read by reflection), for
 * {@link ExpressionPaths}. Anything it cannot read is {@link ExpressionPaths.Unsupported}: the mapping then
 * parses payloads whole.
 */
record ExpressionAst(Object symbol) {

    private static final Class<?> SYMBOL;
    private static final Map<String, Field> FIELDS = new java.util.HashMap<>();
    private static final Field ROOT;
    /** Fields that hold sub-expressions or change how a node evaluates. */
    private static final List<String> STRUCTURE;

    static {
        try {
            SYMBOL = Class.forName("com.dashjoin.jsonata.Parser$Symbol");
            List<String> structure = new ArrayList<>();
            for (Field field : SYMBOL.getDeclaredFields()) {
                if (java.lang.reflect.Modifier.isStatic(field.getModifiers()) || field.isSynthetic()) {
                    continue;
                }
                field.setAccessible(true);
                FIELDS.put(field.getName(), field);
                boolean subExpression = field.getType() == SYMBOL || List.class.isAssignableFrom(field.getType());
                if (subExpression || Set.of("focus", "index", "tuple", "expr", "name", "slot").contains(field.getName())) {
                    structure.add(field.getName());
                }
            }
            STRUCTURE = List.copyOf(structure);
            ROOT = Jsonata.class.getDeclaredField("ast");
            ROOT.setAccessible(true);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    static ExpressionAst root(Jsonata expression) throws ExpressionPaths.Unsupported {
        try {
            return new ExpressionAst(ROOT.get(expression));
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            throw new ExpressionPaths.Unsupported("cannot read the syntax tree: " + e);
        }
    }

    String type() throws ExpressionPaths.Unsupported {
        return String.valueOf(get("type"));
    }

    String value() throws ExpressionPaths.Unsupported {
        return String.valueOf(get("value"));
    }

    ExpressionAst symbol(String field) throws ExpressionPaths.Unsupported {
        Object value = get(field);
        return value == null ? null : new ExpressionAst(value);
    }

    List<ExpressionAst> list(String field) throws ExpressionPaths.Unsupported {
        Object value = get(field);
        List<ExpressionAst> items = new ArrayList<>();
        if (value instanceof List<?> list) {
            for (Object item : list) {
                if (!SYMBOL.isInstance(item)) {
                    throw new ExpressionPaths.Unsupported(field + " holds " + item);
                }
                items.add(new ExpressionAst(item));
            }
        }
        return items;
    }

    boolean flag(String field) throws ExpressionPaths.Unsupported {
        return Boolean.TRUE.equals(get(field));
    }

    /** Throws unless every structural field other than {@code allowed} is empty. */
    void only(String... allowed) throws ExpressionPaths.Unsupported {
        List<String> permitted = List.of(allowed);
        for (String field : STRUCTURE) {
            Object value = get(field);
            boolean empty = value == null || value instanceof List<?> list && list.isEmpty()
                    || Boolean.FALSE.equals(value);
            if (!empty && !permitted.contains(field)) {
                throw new ExpressionPaths.Unsupported(type() + " with " + field);
            }
        }
    }

    private Object get(String field) throws ExpressionPaths.Unsupported {
        Field f = FIELDS.get(field);
        if (f == null || symbol == null || !SYMBOL.isInstance(symbol)) {
            throw new ExpressionPaths.Unsupported("no field " + field);
        }
        try {
            return f.get(symbol);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new ExpressionPaths.Unsupported("cannot read " + field + ": " + e);
        }
    }
}
