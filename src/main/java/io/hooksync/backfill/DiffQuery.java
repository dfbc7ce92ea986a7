package io.hooksync.backfill;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import io.hooksync.mapping.Mapping;
import io.hooksync.sink.ReplaySink;

/**
 * Compares a preview's shadow table with the real table in one streamed query (shadow LEFT JOIN real on the key),
 * the comparisons done by the database ({@code IS DISTINCT FROM} on PostgreSQL, {@code <=>} on MariaDB), so column
 * types compare as the database compares them. A shadow row is then
 * <ul>
 *   <li>inserted: no real row, and the history does not end with a delete;</li>
 *   <li>deleted: the history ends with a delete of a real row that is not deleted;</li>
 *   <li>changed: the version guard would let it through and a column or the deleted flag differs;</li>
 *   <li>unchanged: otherwise (equal, the real row is newer than anything replayed, or a row that never existed
 *   ends deleted: apply stores its tombstone, nothing visible changes).</li>
 * </ul>
 * Real rows the replayed history never touched are not part of the difference. A column the real table lacks yet
 * (a new mapping column) counts as null there.
 */
final class DiffQuery {

    private static final int MAX_VALUE = 200;

    private final ReplaySink sink;

    DiffQuery(ReplaySink sink) {
        this.sink = sink;
    }

    ReplayDiff compute(Connection c, Mapping real, String shadowTable, int sampleLimit) throws SQLException {
        Set<String> present = columns(c, real.table());
        List<String> keys = real.key();
        List<String> compared = real.columns().keySet().stream().filter(k -> !keys.contains(k)).toList();
        ReplayDiff.Builder diff = new ReplayDiff.Builder(sampleLimit);
        try (PreparedStatement select = c.prepareStatement(sql(real, shadowTable, present, compared))) {
            select.setFetchSize(500);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    classify(rs, keys, compared, diff);
                }
            }
        }
        return diff.build();
    }

    private String sql(Mapping real, String shadowTable, Set<String> present, List<String> compared) {
        boolean realExists = !present.isEmpty();
        String deleted = ReplaySink.DELETED_COLUMN;
        List<String> select = new ArrayList<>();
        real.key().forEach(k -> select.add("s." + q(k)));
        select.add(flag("s." + q(deleted)) + " AS s_del");
        select.add(realExists ? "CASE WHEN r." + q(real.key().get(0)) + " IS NULL THEN 1 ELSE 0 END" : "1");
        select.add(realExists && present.contains(deleted) ? flag("r." + q(deleted)) : "0");
        String version = real.version();
        select.add(version != null && realExists && present.contains(version) ? "CASE WHEN r." + q(version)
                + " IS NULL OR r." + q(version) + " <= s." + q(version) + " THEN 1 ELSE 0 END" : "1");
        for (String column : compared) {
            boolean has = realExists && present.contains(column);
            String s = "s." + q(column);
            select.add("CASE WHEN " + (has ? sink.distinct(s, "r." + q(column)) : s + " IS NOT NULL")
                    + " THEN 1 ELSE 0 END");
            select.add(s);
            select.add(has ? "r." + q(column) : "NULL");
        }
        String from = " FROM " + q(shadowTable) + " s";
        if (realExists) {
            from += " LEFT JOIN " + q(real.table()) + " r ON " + String.join(" AND ",
                    real.key().stream().map(k -> "r." + q(k) + " = s." + q(k)).toList());
        }
        return "SELECT " + String.join(", ", select) + from + " ORDER BY "
                + String.join(", ", real.key().stream().map(k -> "s." + q(k)).toList());
    }

    private static void classify(ResultSet rs, List<String> keys, List<String> compared, ReplayDiff.Builder diff)
            throws SQLException {
        Map<String, String> key = new LinkedHashMap<>();
        int i = 1;
        for (String k : keys) {
            key.put(k, cut(rs.getString(i++)));
        }
        boolean shadowDeleted = rs.getInt(i++) == 1;
        boolean missing = rs.getInt(i++) == 1;
        boolean realDeleted = rs.getInt(i++) == 1;
        boolean guard = rs.getInt(i++) == 1;
        List<ReplayDiff.Column> differing = new ArrayList<>();
        for (String column : compared) {
            boolean differs = rs.getInt(i++) == 1;
            String after = cut(rs.getString(i++));
            String before = cut(rs.getString(i++));
            if (differs) {
                differing.add(new ReplayDiff.Column(column, before, after));
            }
        }
        if (missing) {
            diff.add(shadowDeleted ? "unchanged" : "inserted", key, List.of());
        } else if (!guard) {
            diff.add("unchanged", key, List.of());
        } else if (shadowDeleted && !realDeleted) {
            diff.add("deleted", key, List.of());
        } else if (shadowDeleted != realDeleted || !differing.isEmpty()) {
            if (shadowDeleted != realDeleted) {
                differing.add(new ReplayDiff.Column(ReplaySink.DELETED_COLUMN, "true", "false"));
            }
            diff.add("changed", key, differing);
        } else {
            diff.add("unchanged", key, List.of());
        }
    }

    private String flag(String column) {
        return "CASE WHEN " + column + " THEN 1 ELSE 0 END";
    }

    private String q(String identifier) {
        return sink.quote(identifier);
    }

    private static String cut(String value) {
        return value == null || value.length() <= MAX_VALUE ? value : value.substring(0, MAX_VALUE) + "…";
    }

    private static Set<String> columns(Connection c, String table) throws SQLException {
        DatabaseMetaData meta = c.getMetaData();
        Set<String> columns = new HashSet<>();
        try (ResultSet rs = meta.getColumns(c.getCatalog(), c.getSchema(), table, null)) {
            while (rs.next()) {
                columns.add(rs.getString("COLUMN_NAME").toLowerCase(Locale.ROOT));
            }
        }
        return columns;
    }
}
