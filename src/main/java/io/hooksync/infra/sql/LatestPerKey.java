package io.hooksync.infra.sql;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Conflation of one batch: of the rows that share a key, only the one the version guard would leave in the
 * table is written. Applied one after the other, a later row replaces an earlier one when the earlier has no
 * version or the later's version is not older; so the survivor is found by folding the rows of a key in batch
 * order with that rule, and the table ends exactly as if every row had been upserted in turn. The rows it
 * passes over are never written and emit nothing (their events are recorded as stale): a busy row costs one
 * upsert and one outbound message per batch, not one per event. Rows whose events would emit different types
 * are not conflated (each of those events is sent).
 *
 * <p>Where two versions of a key cannot be compared in Java (different types), all rows of that key are kept
 * and written in turn, as before.
 */
public final class LatestPerKey {

    private LatestPerKey() {
    }

    /**
     * The positions of the rows to write, ordered by key (rows of one key that stay, text versions, keep their batch
     * order). Two consumer threads writing batches that share rows (a busy row's events are spread over partitions)
     * then lock those rows in the same order, so they wait for each other instead of deadlocking, which the
     * database would answer after a second by aborting one of them. {@code emitted} gives per row the type of the
     * outbound event it would emit (null for all: the route emits nothing): rows of a key that would emit different
     * types (customer.created, then customer.updated; invoice.finalized, then invoice.paid) are all kept and written
     * in turn, so each of those events is still sent. Only rows whose events would look alike to a receiver (one
     * type) are conflated.
     */
    public static int[] survivors(UpsertTable table, List<UpsertTable.Row> rows, List<String> emitted) {
        return ordered(table, rows, emitted, true);
    }

    /** Every position, in key order (rows of one key in batch order): nothing conflated. */
    public static int[] inKeyOrder(UpsertTable table, List<UpsertTable.Row> rows) {
        return ordered(table, rows, null, false);
    }

    private static int[] ordered(UpsertTable table, List<UpsertTable.Row> rows, List<String> emitted, boolean conflate) {
        int[] keyIndexes = table.keyIndexes();
        int version = table.version() == null ? -1 : table.columns().indexOf(table.version());
        Map<List<Object>, List<Integer>> byKey = new HashMap<>();
        for (int i = 0; i < rows.size(); i++) {
            byKey.computeIfAbsent(key(rows.get(i).values(), keyIndexes), k -> new ArrayList<>(1)).add(i);
        }
        List<Map.Entry<String, List<Integer>>> ordered = new ArrayList<>(byKey.size());
        for (Map.Entry<List<Object>, List<Integer>> entry : byKey.entrySet()) {
            Integer survivor = entry.getValue().size() == 1 ? entry.getValue().get(0)
                    : conflate && oneType(entry.getValue(), emitted) ? survivor(rows, entry.getValue(), version) : null;
            ordered.add(Map.entry(entry.getKey().toString(), survivor == null ? entry.getValue() : List.of(survivor)));
        }
        ordered.sort(Map.Entry.comparingByKey());
        return ordered.stream().flatMap(e -> e.getValue().stream()).mapToInt(Integer::intValue).toArray();
    }

    private static boolean oneType(List<Integer> same, List<String> emitted) {
        if (emitted == null) {
            return true;
        }
        String first = emitted.get(same.get(0));
        return same.stream().allMatch(i -> java.util.Objects.equals(emitted.get(i), first));
    }

    /** The row of {@code same} (positions in batch order) that would stay, or null when versions do not compare. */
    private static Integer survivor(List<UpsertTable.Row> rows, List<Integer> same, int version) {
        int survivor = same.get(0);
        for (int n = 1; n < same.size(); n++) {
            int next = same.get(n);
            if (version < 0) {
                survivor = next;
                continue;
            }
            Object held = rows.get(survivor).values()[version];
            Object incoming = rows.get(next).values()[version];
            if (held == null) {
                survivor = next;
            } else if (incoming != null) {
                Integer order = compare(held, incoming);
                if (order == null) {
                    return null;
                }
                if (order <= 0) {
                    survivor = next;
                }
            }
        }
        return survivor;
    }

    /**
     * Orders two versions as the database would (instants by their point in time, numbers by value), or null:
     * text is left to the database, whose collation may order it differently from Java.
     */
    static Integer compare(Object a, Object b) {
        if (a instanceof OffsetDateTime x && b instanceof OffsetDateTime y) {
            return x.toInstant().compareTo(y.toInstant());
        }
        if (a instanceof BigDecimal x && b instanceof BigDecimal y) {
            return x.compareTo(y);
        }
        if ((a instanceof Long || a instanceof Integer) && (b instanceof Long || b instanceof Integer)) {
            return Long.compare(((Number) a).longValue(), ((Number) b).longValue());
        }
        if (a instanceof Double x && b instanceof Double y) {
            return x.doubleValue() == y.doubleValue() ? 0 : Double.compare(x, y);   // -0.0 = 0.0, as in SQL
        }
        if (a instanceof LocalDate x && b instanceof LocalDate y) {
            return x.compareTo(y);
        }
        return null;
    }

    /** A key as a map key: numbers compare by value (1.0 and 1.00 are one key, as in the database). */
    static List<Object> key(Object[] values, int[] keyIndexes) {
        Object[] key = new Object[keyIndexes.length];
        for (int k = 0; k < keyIndexes.length; k++) {
            Object value = values[keyIndexes[k]];
            key[k] = value instanceof BigDecimal d ? d.stripTrailingZeros() : value;
        }
        return Arrays.asList(key);
    }
}
