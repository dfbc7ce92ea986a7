package io.hooksync.mapping;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.dashjoin.jsonata.Jsonata;

/**
 * Collects the payload fields a compiled JSONata expression can read, from its syntax tree, into a
 * {@link PayloadPaths}. Only a small, fully understood subset is accepted: name paths (from the
 * input, {@code $}, {@code $$} or {@code $event}), {@code $meta}, literals, arithmetic, comparison,
 * boolean and string operators, conditions, blocks, array constructors and the functions of
 * {@link #FUNCTIONS}. Anything else (wildcards, descendants, predicates, parent, variables,
 * bindings, lambdas, sorting, grouping, {@code ~>}, other functions) throws
 * {@link Unsupported}, and the caller then parses the whole payload: a wrong answer here would
 * silently change rows, so when in doubt the analysis gives up.
 *
 * <p>dashjoin's parser keeps its syntax tree ({@code Jsonata.ast}, {@code Parser.Symbol}) package
 * private, so it is read by reflection; if a later version changes it, the analysis fails and
 * every payload is parsed whole.
 */
final class ExpressionPaths {

    /** The analysis cannot prove which fields the expression reads. */
    static final class Unsupported extends Exception {
        Unsupported(String message) {
            super(message, null, false, false);
        }
    }

    /** How a function may read its context (the input) instead of an argument. */
    private enum Context {
        /** Never: the signature has no context parameter. */
        NONE,
        /** The first parameter accepts any value and is context-defaulted: only read when no argument is given. */
        ANY,
        /** The first parameter is typed (string or number) and context-defaulted. */
        TYPED
    }

    private record Function(int maxArgs, Context context) {
    }

    /**
     * Pure functions whose result depends only on their arguments (and, see {@link Context}, on the
     * context when an argument is left out). Signatures as in the JSONata function library.
     */
    private static final Map<String, Function> FUNCTIONS = Map.ofEntries(
            Map.entry("join", new Function(2, Context.NONE)),
            Map.entry("count", new Function(1, Context.NONE)),
            Map.entry("sum", new Function(1, Context.NONE)),
            Map.entry("max", new Function(1, Context.NONE)),
            Map.entry("min", new Function(1, Context.NONE)),
            Map.entry("average", new Function(1, Context.NONE)),
            Map.entry("exists", new Function(1, Context.NONE)),
            Map.entry("type", new Function(1, Context.NONE)),
            Map.entry("append", new Function(2, Context.NONE)),
            Map.entry("distinct", new Function(1, Context.NONE)),
            Map.entry("reverse", new Function(1, Context.NONE)),
            Map.entry("string", new Function(2, Context.ANY)),
            Map.entry("boolean", new Function(1, Context.ANY)),
            Map.entry("not", new Function(1, Context.ANY)),
            Map.entry("number", new Function(1, Context.TYPED)),
            Map.entry("length", new Function(1, Context.TYPED)),
            Map.entry("uppercase", new Function(1, Context.TYPED)),
            Map.entry("lowercase", new Function(1, Context.TYPED)),
            Map.entry("trim", new Function(1, Context.TYPED)),
            Map.entry("substring", new Function(3, Context.TYPED)),
            Map.entry("substringBefore", new Function(2, Context.TYPED)),
            Map.entry("substringAfter", new Function(2, Context.TYPED)),
            Map.entry("contains", new Function(2, Context.TYPED)),
            Map.entry("round", new Function(2, Context.TYPED)),
            Map.entry("floor", new Function(1, Context.TYPED)),
            Map.entry("ceil", new Function(1, Context.TYPED)),
            Map.entry("abs", new Function(1, Context.TYPED)),
            Map.entry("toMillis", new Function(2, Context.TYPED)),
            Map.entry("fromMillis", new Function(3, Context.TYPED)));

    private static final Set<String> BINARY = Set.of("=", "!=", "<", "<=", ">", ">=", "+", "-", "*", "/", "%", "&",
            "and", "or", "in");

    private final PayloadPaths paths;

    ExpressionPaths(PayloadPaths paths) {
        this.paths = paths;
    }

    /**
     * Adds what {@code expression} reads when its input is the payload node at {@code context}
     * (the empty list: the payload itself) and {@code $event} is the payload.
     */
    void add(Jsonata expression, List<String> context) throws Unsupported {
        walk(ExpressionAst.root(expression), context);
    }

    /** The payload path an expression names when it is nothing but a name path (used for {@code rows}), else throws. */
    List<String> pathOf(Jsonata expression, List<String> context) throws Unsupported {
        ExpressionAst node = ExpressionAst.root(expression);
        List<String> path = namePath(node, context);
        if (path == null) {
            throw new Unsupported("not a plain path: " + node.type());
        }
        return path;
    }

    /**
     * The payload path of an expression that is nothing but a name path read from its input, with no
     * step keeping arrays ({@code a.b[]} wraps a single value in an array), else throws.
     */
    List<String> plainPath(Jsonata expression) throws Unsupported {
        ExpressionAst node = ExpressionAst.root(expression);
        List<ExpressionAst> nodes = new ArrayList<>(List.of(node));
        if (node.type().equals("path")) {
            nodes.addAll(node.list("steps"));
        }
        for (ExpressionAst n : nodes) {
            if (n.flag("keepArray") || n.flag("keepSingletonArray")) {
                throw new Unsupported("keeps arrays");
            }
        }
        return pathOf(expression, List.of());
    }

    private void walk(ExpressionAst node, List<String> context) throws Unsupported {
        switch (node.type()) {
            case "string", "number", "value", "regex" -> node.only();
            case "name", "path" -> {
                if (readsMetaOnly(node)) {
                    return;
                }
                List<String> path = namePath(node, context);
                if (path == null) {
                    throw new Unsupported("path with " + node.type());
                }
                paths.readWhole(path);
            }
            case "variable" -> variable(node, context);
            case "binary" -> {
                node.only("lhs", "rhs");
                if (!BINARY.contains(node.value())) {
                    throw new Unsupported("operator " + node.value());
                }
                walk(node.symbol("lhs"), context);
                walk(node.symbol("rhs"), context);
            }
            case "unary" -> unary(node, context);
            case "condition" -> {
                node.only("condition", "then", "_else");
                walk(node.symbol("condition"), context);
                walk(node.symbol("then"), context);
                if (node.symbol("_else") != null) {
                    walk(node.symbol("_else"), context);
                }
            }
            case "block" -> walkAll(node, context);
            case "function" -> function(node, context);
            default -> throw new Unsupported("expression type " + node.type());
        }
    }

    /** {@code $} and {@code $$} read the context, {@code $event} the whole payload, {@code $meta} no payload. */
    private void variable(ExpressionAst node, List<String> context) throws Unsupported {
        node.only();
        String name = node.value();
        if (name.isEmpty() || name.equals("$")) {
            readContext(context);
        } else if (name.equals("event")) {
            paths.readWhole(List.of());
        } else if (!name.equals("meta")) {
            throw new Unsupported("variable $" + name);
        }
    }

    /** A negation or an array constructor. */
    private void unary(ExpressionAst node, List<String> context) throws Unsupported {
        if (node.value().equals("-")) {
            node.only("expression");
            walk(node.symbol("expression"), context);
        } else if (node.value().equals("[")) {
            walkAll(node, context);
        } else {
            throw new Unsupported("unary " + node.value());
        }
    }

    private void walkAll(ExpressionAst node, List<String> context) throws Unsupported {
        node.only("expressions");
        for (ExpressionAst item : node.list("expressions")) {
            walk(item, context);
        }
    }

    private void function(ExpressionAst node, List<String> context) throws Unsupported {
        node.only("procedure", "arguments");
        ExpressionAst procedure = node.symbol("procedure");
        procedure.only();
        Function function = procedure.type().equals("variable") ? FUNCTIONS.get(procedure.value()) : null;
        if (function == null) {
            throw new Unsupported("function " + procedure.value());
        }
        List<ExpressionAst> arguments = node.list("arguments");
        if (arguments.size() > function.maxArgs()) {
            throw new Unsupported("too many arguments for $" + procedure.value());
        }
        for (ExpressionAst argument : arguments) {
            walk(argument, context);
        }
        boolean readsContext = switch (function.context()) {
            case NONE -> false;
            case ANY -> arguments.isEmpty();
            // a typed first argument of the wrong type makes JSONata use the context instead
            case TYPED -> arguments.size() < function.maxArgs();
        };
        if (readsContext) {
            readContext(context);
        }
    }

    private void readContext(List<String> context) throws Unsupported {
        if (context.isEmpty()) {
            throw new Unsupported("the whole payload is read");
        }
        paths.readWhole(context);
    }

    /** {@code $meta} or {@code $meta.name}: event metadata, not the payload. */
    private static boolean readsMetaOnly(ExpressionAst node) throws Unsupported {
        if (!node.type().equals("path")) {
            return false;
        }
        node.only("steps");
        List<ExpressionAst> steps = node.list("steps");
        if (steps.isEmpty() || !steps.get(0).type().equals("variable") || !steps.get(0).value().equals("meta")) {
            return false;
        }
        for (ExpressionAst step : steps) {
            step.only();
            if (step != steps.get(0) && !step.type().equals("name")) {
                throw new Unsupported("$meta path with " + step.type());
            }
        }
        return true;
    }

    /** The payload path of a pure name path ({@code a.b}, {@code $event.a}, {@code $.a}), null for anything else. */
    private static List<String> namePath(ExpressionAst node, List<String> context) throws Unsupported {
        List<ExpressionAst> steps;
        if (node.type().equals("name")) {
            steps = List.of(node);
        } else if (node.type().equals("path")) {
            node.only("steps");
            steps = node.list("steps");
        } else {
            return null;
        }
        if (steps.isEmpty()) {
            return null;
        }
        List<String> path = new ArrayList<>(context);
        for (int i = 0; i < steps.size(); i++) {
            ExpressionAst step = steps.get(i);
            step.only();
            if (step.type().equals("name")) {
                path.add(step.value());
            } else if (i == 0 && step.type().equals("variable") && step.value().equals("event")) {
                path = new ArrayList<>();
            } else if (i == 0 && step.type().equals("variable") && (step.value().isEmpty() || step.value().equals("$"))) {
                path = new ArrayList<>(context);
            } else {
                return null;
            }
        }
        return path;
    }
}
