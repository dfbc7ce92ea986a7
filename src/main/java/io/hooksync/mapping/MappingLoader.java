package io.hooksync.mapping;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.hooksync.infra.BoundedFiles;
import io.hooksync.infra.ExpressionBounds;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads every {@code *.yaml} under the mappings directory and validates it completely: unknown keys,
 * identifiers, types, key and version columns, JSONata syntax. Problems are collected as
 * {@code file:line: what is wrong} so one start shows them all.
 */
final class MappingLoader {

    /** Longer expressions are refused: a column or condition is a short expression, and each runs per event. */
    static final int MAX_EXPRESSION_LENGTH = 8192;
    static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    private static final Pattern EVENT_TYPE = Pattern.compile("[A-Za-z0-9_.-]{1,100}");
    private static final Set<String> KEYS =
            Set.of("table", "key", "version", "filter", "delete-when", "rows", "columns", "emit", "description");

    private final List<String> problems = new ArrayList<>();
    private final Set<String> invalid = new TreeSet<>();

    /** Problems found so far by this loader. */
    List<String> problems() {
        return problems;
    }

    /** The names of the files {@link #load} found but could not load (their problems are in {@link #problems}). */
    Set<String> invalid() {
        return invalid;
    }

    /** Mappings by name (path under the directory without {@code .yaml}, e.g. {@code github/issues}). */
    Map<String, Mapping> load(Path dir, List<String> problemsOut) {
        Map<String, Mapping> mappings = new TreeMap<>();
        if (!Files.isDirectory(dir)) {
            problemsOut.add(dir + ": the mappings directory does not exist" + (Files.exists(dir) ? " (not a directory)"
                    : "") + "; create it or correct hooksync.mappings-dir (HOOKSYNC_MAPPINGS_DIR, validate --mappings)");
            return mappings;
        }
        List<Path> files;
        try (Stream<Path> walk = Files.walk(dir, java.nio.file.FileVisitOption.FOLLOW_LINKS)) {
            files = walk.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).sorted().toList();
        } catch (IOException e) {
            problemsOut.add(dir + ": cannot list mapping files (" + e.getMessage() + ")");
            return mappings;
        }
        for (Path file : files) {
            String relative = dir.relativize(file).toString().replace('\\', '/');
            String name = relative.replaceFirst("\\.ya?ml$", "");
            String shown = dir.getFileName() + "/" + relative;
            Mapping mapping = loadFile(file, name, shown);
            if (mapping != null) {
                mappings.put(name, mapping);
            } else {
                invalid.add(name);
            }
        }
        problemsOut.addAll(problems);
        return mappings;
    }

    Mapping loadFile(Path file, String name, String shown) {
        String text;
        try {
            text = BoundedFiles.readString(file, BoundedFiles.DEFINITION_MAX_BYTES);
        } catch (BoundedFiles.RefusedFileException e) {
            problems.add(shown + ": not read: " + e.getMessage());
            return null;
        } catch (IOException e) {
            problems.add(shown + ": cannot be read (" + e.getMessage() + ")");
            return null;
        }
        Node root;
        try {
            root = new Yaml(new LoaderOptions()).compose(new java.io.StringReader(text));
        } catch (MarkedYAMLException e) {
            problems.add(shown + ":" + (e.getProblemMark().getLine() + 1) + ": not valid YAML: " + e.getProblem());
            return null;
        }
        if (!(root instanceof MappingNode map)) {
            problems.add(shown + ":1: a mapping file must be a YAML map with table, key and columns");
            return null;
        }
        return new FileCheck(shown, name).check(map);
    }

    /** Validation of one file; records problems and returns null when any was found. */
    private final class FileCheck {
        private final String file;
        private final String name;
        private int before;

        FileCheck(String file, String name) {
            this.file = file;
            this.name = name;
        }

        Mapping check(MappingNode root) {
            before = problems.size();
            Map<String, NodeTuple> entries = new LinkedHashMap<>();
            for (NodeTuple tuple : root.getValue()) {
                String key = scalar(tuple.getKeyNode(), "key");
                if (key != null && !KEYS.contains(key)) {
                    problem(tuple.getKeyNode(), "unknown key '" + key + "' (expected one of " + new TreeMap<>(
                            Map.of("table", 1, "key", 1, "columns", 1, "version", 1, "filter", 1, "delete-when", 1,
                                    "rows", 1, "emit", 1)).keySet() + ")");
                } else if (key != null) {
                    entries.put(key, tuple);
                }
            }
            String table = identifier(entries, "table", root);
            if (table != null && table.startsWith("hooksync_")) {
                problem(entries.get("table").getValueNode(), "table names starting with hooksync_ are reserved");
            }
            Map<String, Mapping.Column> columns = columns(entries.get("columns"), root);
            List<String> key = keyColumns(entries.get("key"), root, columns);
            String version = optionalScalar(entries, "version");
            if (version != null && !columns.containsKey(version)) {
                problem(entries.get("version").getValueNode(), "version column '" + version + "' is not in columns");
            } else if (version != null && key.contains(version)) {
                problem(entries.get("version").getValueNode(), "the version column cannot be a key column");
            }
            String filter = expression(entries, "filter");
            String deleteWhen = expression(entries, "delete-when");
            String rows = expression(entries, "rows");
            String emit = optionalScalar(entries, "emit");
            if (emit != null && !EVENT_TYPE.matcher(emit.replace("{type}", "type")).matches()) {
                problem(entries.get("emit").getValueNode(), "emit '" + emit + "' is not a valid event type");
            }
            if (problems.size() > before) {
                return null;
            }
            return new Mapping(name, file, table, key, columns, version, filter, deleteWhen, rows, emit);
        }

        private Map<String, Mapping.Column> columns(NodeTuple entry, Node root) {
            Map<String, Mapping.Column> columns = new LinkedHashMap<>();
            if (entry == null) {
                problem(root, "columns is missing");
                return columns;
            }
            if (!(entry.getValueNode() instanceof MappingNode map) || map.getValue().isEmpty()) {
                problem(entry.getValueNode(), "columns must map column names to { expr, type }");
                return columns;
            }
            for (NodeTuple column : map.getValue()) {
                String columnName = scalar(column.getKeyNode(), "column name");
                if (columnName == null) {
                    continue;
                }
                if (!IDENTIFIER.matcher(columnName).matches() || columnName.startsWith("_hooksync")) {
                    problem(column.getKeyNode(), "column name '" + columnName + "' must be a lower-case SQL "
                            + "identifier ([a-z_][a-z0-9_]*, not _hooksync*" + tooLong(columnName) + ")");
                    continue;
                }
                if (!(column.getValueNode() instanceof MappingNode spec)) {
                    problem(column.getValueNode(), "column " + columnName + " must be { expr: ..., type: ... }");
                    continue;
                }
                String expr = null;
                ColumnType type = null;
                for (NodeTuple field : spec.getValue()) {
                    String fieldName = scalar(field.getKeyNode(), "field");
                    String value = scalar(field.getValueNode(), fieldName);
                    if ("expr".equals(fieldName)) {
                        expr = compiles(field.getValueNode(), value, "column " + columnName) ? value : null;
                    } else if ("type".equals(fieldName) && value != null) {
                        try {
                            type = ColumnType.parse(value);
                        } catch (IllegalArgumentException e) {
                            problem(field.getValueNode(), "column " + columnName + ": " + e.getMessage());
                        }
                    } else if (fieldName != null) {
                        problem(field.getKeyNode(), "column " + columnName + ": unknown field '" + fieldName
                                + "' (expected expr and type)");
                    }
                }
                if (expr == null || type == null) {
                    if (problems.size() == before) {
                        problem(spec, "column " + columnName + " needs both expr and type");
                    }
                    continue;
                }
                columns.put(columnName, new Mapping.Column(columnName, expr, type));
            }
            return columns;
        }

        private List<String> keyColumns(NodeTuple entry, Node root, Map<String, Mapping.Column> columns) {
            List<String> key = new ArrayList<>();
            if (entry == null) {
                problem(root, "key is missing: name the column(s) that identify a row, e.g. key: [id]");
                return key;
            }
            List<Node> nodes = entry.getValueNode() instanceof SequenceNode seq ? seq.getValue()
                    : List.of(entry.getValueNode());
            for (Node node : nodes) {
                String column = scalar(node, "key column");
                if (column != null && !columns.containsKey(column)) {
                    problem(node, "key column '" + column + "' is not in columns");
                } else if (column != null) {
                    key.add(column);
                }
            }
            if (key.isEmpty() && problems.size() == before) {
                problem(entry.getValueNode(), "key must name at least one column");
            }
            return key;
        }

        /** What a name too long for an identifier adds to the message (PostgreSQL cuts names at 63 bytes). */
        private static String tooLong(String name) {
            return name.length() > 63 ? ", at most 63 characters: this one has " + name.length() : "";
        }

        private String identifier(Map<String, NodeTuple> entries, String field, Node root) {
            NodeTuple entry = entries.get(field);
            if (entry == null) {
                problem(root, field + " is missing");
                return null;
            }
            String value = scalar(entry.getValueNode(), field);
            if (value != null && !IDENTIFIER.matcher(value).matches()) {
                problem(entry.getValueNode(), field + " '" + value + "' must be a lower-case SQL identifier"
                        + (tooLong(value).isEmpty() ? "" : " (" + tooLong(value).substring(2) + ")"));
                return null;
            }
            return value;
        }

        private String expression(Map<String, NodeTuple> entries, String field) {
            String value = optionalScalar(entries, field);
            return value != null && compiles(entries.get(field).getValueNode(), value, field) ? value : null;
        }

        private boolean compiles(Node node, String expr, String what) {
            if (expr == null || expr.isBlank()) {
                problem(node, what + ": the expression is empty");
                return false;
            }
            if (expr.length() > MAX_EXPRESSION_LENGTH) {
                problem(node, what + ": the expression has " + expr.length() + " characters; at most "
                        + MAX_EXPRESSION_LENGTH + " are allowed");
                return false;
            }
            try {
                ExpressionBounds.compile(expr);
                return true;
            } catch (IllegalArgumentException e) {
                problem(node, what + ": JSONata expression '" + expr + "' does not compile: " + e.getMessage());
                return false;
            }
        }

        private String optionalScalar(Map<String, NodeTuple> entries, String field) {
            NodeTuple entry = entries.get(field);
            return entry == null ? null : scalar(entry.getValueNode(), field);
        }

        private String scalar(Node node, String what) {
            if (node instanceof ScalarNode scalar) {
                return scalar.getValue();
            }
            problem(node, what + " must be a single value");
            return null;
        }

        private void problem(Node node, String message) {
            problems.add(file + ":" + (node.getStartMark().getLine() + 1) + ": " + message);
        }
    }
}
