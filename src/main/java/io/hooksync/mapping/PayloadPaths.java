package io.hooksync.mapping;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The tree of payload fields a mapping's expressions can read, as object property names from the
 * payload's root. A node marked {@code whole} is read entirely (its value may be used as a whole);
 * the other nodes are only walked through. JSONata path steps map over arrays, so arrays are not
 * part of the tree: a node applies to every element of an array found at its place.
 */
final class PayloadPaths {

    private final Map<String, PayloadPaths> children = new LinkedHashMap<>();
    private boolean whole;

    /** The node for {@code path} under this one, created (walked through, not whole) when missing. */
    PayloadPaths at(List<String> path) {
        PayloadPaths node = this;
        for (String name : path) {
            node = node.children.computeIfAbsent(name, n -> new PayloadPaths());
        }
        return node;
    }

    /** Marks {@code path} as read whole; the empty path means the whole payload. */
    void readWhole(List<String> path) {
        at(path).whole = true;
    }

    boolean whole() {
        return whole;
    }

    /** The properties read or walked through, by name. */
    Map<String, PayloadPaths> children() {
        return java.util.Collections.unmodifiableMap(children);
    }

    @Override
    public String toString() {
        if (whole) {
            return "*";
        }
        StringBuilder s = new StringBuilder("{");
        children.forEach((name, node) -> s.append(s.length() > 1 ? ", " : "").append(name)
                .append(node.whole ? "" : node.toString()));
        return s.append('}').toString();
    }
}
