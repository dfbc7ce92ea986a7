package io.hooksync.backfill;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a preview found: how many rows the replay would insert, change, leave unchanged or delete, how many changed
 * rows differ in each column, and up to a bound of example rows per kind with the values before and after.
 */
record ReplayDiff(long inserted, long changed, long unchanged, long deleted, Map<String, Long> changedColumns,
                  List<Row> sample, int sampleLimit) {

    /** One example row: its kind, its key, and for a change the columns that differ. */
    record Row(String kind, Map<String, String> key, List<Column> columns) {
    }

    /** A column of a changed row: stored value and the value the replay would write (as text). */
    record Column(String name, String before, String after) {
    }

    /** Adds up rows as {@link DiffQuery} classifies them. */
    static final class Builder {
        private final int sampleLimit;
        private final long[] counts = new long[4];
        private final Map<String, Long> changedColumns = new TreeMap<>();
        private final Map<String, Integer> sampled = new TreeMap<>();
        private final List<Row> sample = new ArrayList<>();

        Builder(int sampleLimit) {
            this.sampleLimit = sampleLimit;
        }

        void add(String kind, Map<String, String> key, List<Column> columns) {
            counts[switch (kind) {
                case "inserted" -> 0;
                case "changed" -> 1;
                case "unchanged" -> 2;
                default -> 3;
            }]++;
            if ("changed".equals(kind)) {
                columns.forEach(c -> changedColumns.merge(c.name(), 1L, Long::sum));
            }
            if (!"unchanged".equals(kind) && sampled.merge(kind, 1, Integer::sum) <= sampleLimit) {
                sample.add(new Row(kind, key, columns));
            }
        }

        ReplayDiff build() {
            return new ReplayDiff(counts[0], counts[1], counts[2], counts[3], changedColumns, sample, sampleLimit);
        }
    }
}
