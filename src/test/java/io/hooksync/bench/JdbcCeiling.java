package io.hooksync.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import org.postgresql.PGStatement;

/**
 * The database ceiling for the sink benchmark: the rows the engine wrote into {@code from} (default
 * github_issues) are read into memory, then upserted with plain JDBC into a fresh copy table
 * ({@code INSERT ... ON CONFLICT (id) DO UPDATE ... WHERE version <= EXCLUDED.version}, the engine's
 * shape), {@code batch} rows per executeBatch and one transaction per batch. Only the upserts are timed.
 * {@code shape=engine} also does, in the same transaction per batch, what the engine's sink adds per
 * event: the ledger lookup (SELECT ... IN), a ledger row, an outbox row and its relay queue entry (into copy tables
 * made {@code LIKE} the engine's, with every index of theirs: until issue 15's fourteenth session the outbox copy had
 * only the primary key and (relayed_at, id), not the cause and unrelayed indexes the engine's outbox had gained since,
 * so it wrote less);
 * {@code shape=engine-analyzed} the same with one ANALYZE of the copy ledger after 10 batches.
 * {@code shape=engine-arrays} does the same writes as {@code engine} with one statement per table and batch, the
 * values bound as arrays and unnested ({@code = ANY(?)} for the lookup, planned at each execution): the statement
 * shape the engine's sink uses on PostgreSQL, written here by hand; {@code shape=engine-claims} the same without the
 * lookup, the ledger insert skipping known events, as the engine writes a batch. The same-writes ceiling the sink is
 * compared with is the best of the {@code engine*} shapes.
 * Usage: {@code JdbcCeiling jdbc=jdbc:postgresql://... [from=github_issues] [batch=500] [shape=plain|engine|engine-analyzed|engine-arrays|engine-claims]}
 */
public final class JdbcCeiling {

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = BenchArgs.parse(args, 0);
        String jdbc = opts.get("jdbc");
        String from = opts.getOrDefault("from", "github_issues");
        int batch = Integer.parseInt(opts.getOrDefault("batch", "500"));
        String shape = opts.getOrDefault("shape", "plain");
        boolean engineShape = shape.startsWith("engine");
        // engine-claims: as engine-arrays without the lookup, the ledger insert skipping known events (ON CONFLICT DO
        // NOTHING), as the engine's sink writes a batch on PostgreSQL (it looks up only after a batch met a known event)
        boolean claims = shape.equals("engine-claims");
        boolean arrays = claims || shape.equals("engine-arrays");
        // engine-analyzed: ANALYZE the copy ledger once after 10 batches, as autovacuum eventually would; without
        // statistics the planner runs the ledger lookup as a filter over every row of the consumer (see the report).
        boolean analyzeOnce = shape.equals("engine-analyzed");
        String copy = "bench_" + from + "_copy";

        String indexes;
        try (Connection c = DriverManager.getConnection(jdbc)) {
            List<String> columns = new ArrayList<>();
            List<String> types = new ArrayList<>();
            List<Object[]> rows = new ArrayList<>();
            List<String[]> texts = new ArrayList<>();
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT * FROM " + from + " ORDER BY id")) {
                ResultSetMetaData md = rs.getMetaData();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    columns.add(md.getColumnName(i));
                    types.add(md.getColumnTypeName(i));
                }
                while (rs.next()) {
                    Object[] row = new Object[columns.size()];
                    String[] text = new String[columns.size()];
                    for (int i = 0; i < row.length; i++) {
                        row[i] = rs.getObject(i + 1);
                        text[i] = rs.getString(i + 1);
                    }
                    rows.add(row);
                    texts.add(text);
                }
            }
            if (rows.isEmpty()) {
                throw new IllegalStateException(from + " is empty: run the drain first");
            }
            try (Statement s = c.createStatement()) {
                indexes = createCopies(s, from, copy);
            }
            String quoted = columns.stream().map(n -> "\"" + n + "\"").collect(Collectors.joining(", "));
            String set = columns.stream().filter(n -> !n.equals("id") && !n.equals("updated_at"))
                    .map(n -> "\"" + n + "\" = EXCLUDED.\"" + n + "\"").collect(Collectors.joining(", "))
                    + ", \"updated_at\" = EXCLUDED.\"updated_at\"";
            String upsert = "INSERT INTO " + copy + " (" + quoted + ") VALUES (" + "?, ".repeat(columns.size() - 1) + "?)"
                    + " ON CONFLICT (\"id\") DO UPDATE SET " + set
                    + " WHERE " + copy + ".\"updated_at\" IS NULL OR " + copy + ".\"updated_at\" <= EXCLUDED.\"updated_at\"";
            int eventIdColumn = columns.indexOf("_hooksync_event_id");

            long[] phases = new long[4];  // lookup, upsert, ledger + outbox, commit
            long started = System.nanoTime();
            c.setAutoCommit(false);
            for (int from0 = 0, n = 0; from0 < rows.size(); from0 += batch, n++) {
                if (analyzeOnce && n == 10) {
                    try (Statement s = c.createStatement()) {
                        s.execute("ANALYZE bench_ledger_copy");
                    }
                    c.commit();
                }
                List<Object[]> chunk = rows.subList(from0, Math.min(rows.size(), from0 + batch));
                long t0 = System.nanoTime();
                if (claims) {
                    // no lookup: the ledger insert below claims the events
                } else if (arrays) {
                    ledgerLookupArray(c, chunk, eventIdColumn);
                } else if (engineShape) {
                    ledgerLookup(c, chunk, eventIdColumn);
                }
                long t1 = System.nanoTime();
                if (arrays) {
                    upsertArrays(c, copy, columns, types, texts.subList(from0, Math.min(texts.size(), from0 + batch)));
                } else {
                    try (PreparedStatement ps = c.prepareStatement(upsert)) {
                        for (Object[] row : chunk) {
                            for (int i = 0; i < row.length; i++) {
                                ps.setObject(i + 1, row[i]);
                            }
                            ps.addBatch();
                        }
                        ps.executeBatch();
                    }
                }
                long t2 = System.nanoTime();
                if (arrays) {
                    ledgerAndOutboxArrays(c, chunk, columns, eventIdColumn, claims ? " ON CONFLICT DO NOTHING" : "");
                } else if (engineShape) {
                    ledgerAndOutbox(c, chunk, columns, eventIdColumn);
                }
                long t3 = System.nanoTime();
                c.commit();
                phases[0] += t1 - t0;
                phases[1] += t2 - t1;
                phases[2] += t3 - t2;
                phases[3] += System.nanoTime() - t3;
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            c.setAutoCommit(true);
            long count;
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM " + copy)) {
                rs.next();
                count = rs.getLong(1);
            }
            try (Statement s = c.createStatement()) {
                dropCopies(s, copy);
            }
            System.out.printf(Locale.ROOT, "RESULT shape=%s rows=%d copied=%d batch=%d seconds=%.2f rows_per_s=%.0f"
                            + " lookup_s=%.2f upsert_s=%.2f ledger_outbox_s=%.2f commit_s=%.2f outbox_indexes=%s%n",
                    shape, rows.size(), count, batch, seconds, rows.size() / seconds,
                    phases[0] / 1e9, phases[1] / 1e9, phases[2] / 1e9, phases[3] / 1e9, indexes);
        }
    }

    /**
     * Fresh copies of {@code from}, the ledger, the outbox and its relay queue ({@code bench_ledger_copy},
     * {@code bench_outbox_copy}, {@code bench_outbox_queue_copy}), each with the engine table's indexes; returns
     * "copy/engine" outbox index counts for the report.
     */
    static String createCopies(Statement s, String from, String copy) throws SQLException {
        s.execute("DROP TABLE IF EXISTS " + copy);
        s.execute("CREATE TABLE " + copy + " (LIKE " + from + " INCLUDING ALL)");
        s.execute("DROP TABLE IF EXISTS bench_ledger_copy");
        s.execute("CREATE TABLE bench_ledger_copy (LIKE hooksync_ledger INCLUDING ALL)");
        s.execute("DROP TABLE IF EXISTS bench_outbox_copy");
        s.execute("DROP SEQUENCE IF EXISTS bench_outbox_copy_id");
        // the engine's outbox as its migrations made it, every index included (primary key, cause, created);
        // its own id sequence, not the engine's
        s.execute("CREATE TABLE bench_outbox_copy (LIKE hooksync_outbox INCLUDING ALL EXCLUDING DEFAULTS)");
        s.execute("DROP TABLE IF EXISTS bench_outbox_queue_copy");
        s.execute("CREATE TABLE bench_outbox_queue_copy (LIKE hooksync_outbox_queue INCLUDING ALL)");
        s.execute("CREATE SEQUENCE bench_outbox_copy_id OWNED BY bench_outbox_copy.id");
        s.execute("ALTER TABLE bench_outbox_copy ALTER id SET DEFAULT nextval('bench_outbox_copy_id'),"
                + " ALTER created_at SET DEFAULT now()");
        s.execute("CHECKPOINT");
        return indexCount(s, "bench_outbox_copy") + "/" + indexCount(s, "hooksync_outbox");
    }

    static void dropCopies(Statement s, String copy) throws SQLException {
        s.execute("DROP TABLE " + copy);
        s.execute("DROP TABLE bench_ledger_copy");
        s.execute("DROP TABLE bench_outbox_copy");
        s.execute("DROP TABLE bench_outbox_queue_copy");
    }

    static long indexCount(Statement s, String table) throws SQLException {
        try (ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_indexes WHERE tablename = '" + table + "'")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void ledgerLookup(Connection c, List<Object[]> chunk, int eventIdColumn) throws SQLException {
        String sql = "SELECT event_id FROM bench_ledger_copy WHERE consumer = ? AND source = ? AND event_id IN ("
                + "?, ".repeat(chunk.size() - 1) + "?)";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, "github-issues");
            ps.setString(2, "github");
            for (int i = 0; i < chunk.size(); i++) {
                ps.setString(i + 3, String.valueOf(chunk.get(i)[eventIdColumn]));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rs.getString(1);
                }
            }
        }
    }

    private static void ledgerLookupArray(Connection c, List<Object[]> chunk, int eventIdColumn) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT event_id FROM bench_ledger_copy WHERE consumer = ?"
                + " AND source = ? AND event_id = ANY(?::text[])")) {
            ps.unwrap(PGStatement.class).setPrepareThreshold(0);
            ps.setString(1, "github-issues");
            ps.setString(2, "github");
            ps.setArray(3, c.createArrayOf("text", chunk.stream().map(r -> String.valueOf(r[eventIdColumn])).toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rs.getString(1);
                }
            }
        }
    }

    /** One INSERT ... SELECT FROM unnest(text arrays) ... ON CONFLICT for the chunk, each value cast to its column's type. */
    static void upsertArrays(Connection c, String copy, List<String> columns, List<String> types,
                             List<String[]> chunk) throws SQLException {
        List<String> aliases = new ArrayList<>();
        List<String> casts = new ArrayList<>();
        for (int i = 0; i < columns.size(); i++) {
            aliases.add("v" + i);
            casts.add("u.v" + i + "::" + types.get(i));
        }
        String set = columns.stream().filter(n -> !n.equals("id"))
                .map(n -> "\"" + n + "\" = EXCLUDED.\"" + n + "\"").collect(Collectors.joining(", "));
        String sql = "INSERT INTO " + copy + " (" + columns.stream().map(n -> "\"" + n + "\"").collect(Collectors.joining(", "))
                + ") SELECT " + String.join(", ", casts) + " FROM unnest(" + "?::text[], ".repeat(columns.size() - 1)
                + "?::text[]) WITH ORDINALITY AS u(" + String.join(", ", aliases) + ", ord) ORDER BY ord"
                + " ON CONFLICT (\"id\") DO UPDATE SET " + set + " WHERE " + copy + ".\"updated_at\" IS NULL OR "
                + copy + ".\"updated_at\" <= EXCLUDED.\"updated_at\"";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < columns.size(); i++) {
                String[] column = new String[chunk.size()];
                for (int r = 0; r < chunk.size(); r++) {
                    column[r] = chunk.get(r)[i];
                }
                ps.setArray(i + 1, c.createArrayOf("text", column));
            }
            ps.executeUpdate();
        }
    }

    private static void ledgerAndOutboxArrays(Connection c, List<Object[]> chunk, List<String> columns,
                                              int eventIdColumn, String onConflict) throws SQLException {
        int n = chunk.size();
        String[] eventIds = new String[n];
        String[] keys = new String[n];
        String[] payloads = new String[n];
        for (int r = 0; r < n; r++) {
            Object[] row = chunk.get(r);
            eventIds[r] = String.valueOf(row[eventIdColumn]);
            keys[r] = "github_issues:" + row[columns.indexOf("id")];
            payloads[r] = outboxPayload(row, columns, eventIds[r]);
        }
        ledgerAndOutboxArrays(c, eventIds, keys, payloads, onConflict);
    }

    /**
     * The ledger rows and the outbox rows of a batch, a statement each, values bound as arrays; the outbox statement
     * queues its rows as the engine's does (a data-modifying WITH).
     */
    static void ledgerAndOutboxArrays(Connection c, String[] eventIds, String[] keys, String[] payloads,
                                      String onConflict) throws SQLException {
        Long[] offsets = new Long[eventIds.length];
        for (int r = 0; r < offsets.length; r++) {
            offsets[r] = (long) r;
        }
        try (PreparedStatement ledger = c.prepareStatement("INSERT INTO bench_ledger_copy (consumer, source, event_id,"
                + " outcome, row_count, topic, kafka_partition, kafka_offset) SELECT ?, ?, e, 'applied', 1,"
                + " 'hooksync.events.github', 0, o FROM unnest(?::text[], ?::int8[]) AS u(e, o)" + onConflict);
             PreparedStatement outbox = c.prepareStatement("WITH written AS (INSERT INTO bench_outbox_copy (event_type,"
                     + " entity_key, payload, source, source_event_id, writer_version) SELECT 'issue.synced', k, p, 'github', e, 2"
                     + " FROM unnest(?::text[], ?::text[], ?::text[]) WITH ORDINALITY AS u(k, p, e, ord) ORDER BY ord"
                     + " RETURNING id) INSERT INTO bench_outbox_queue_copy (outbox_id) SELECT id FROM written")) {
            ledger.setString(1, "github-issues");
            ledger.setString(2, "github");
            ledger.setArray(3, c.createArrayOf("text", eventIds));
            ledger.setArray(4, c.createArrayOf("int8", offsets));
            ledger.executeUpdate();
            outbox.setArray(1, c.createArrayOf("text", keys));
            outbox.setArray(2, c.createArrayOf("text", payloads));
            outbox.setArray(3, c.createArrayOf("text", eventIds));
            outbox.executeUpdate();
        }
    }

    /** The outbox payload of one row: its table, the row's values and the cause, as the engine's sink writes it. */
    static String outboxPayload(Object[] row, List<String> columns, String eventId) {
        StringBuilder json = new StringBuilder("{\"table\":\"github_issues\",\"deleted\":false,\"data\":{");
        for (int i = 0; i < columns.size(); i++) {
            json.append(i == 0 ? "" : ",").append('"').append(columns.get(i)).append("\":\"")
                    .append(String.valueOf(row[i]).replace("\"", "\\\"")).append('"');
        }
        return json.append("},\"cause\":{\"source\":\"github\",\"id\":\"").append(eventId).append("\"}}").toString();
    }

    private static void ledgerAndOutbox(Connection c, List<Object[]> chunk, List<String> columns, int eventIdColumn)
            throws SQLException {
        try (PreparedStatement ledger = c.prepareStatement("INSERT INTO bench_ledger_copy (consumer, source, event_id,"
                + " outcome, row_count, topic, kafka_partition, kafka_offset) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
             PreparedStatement outbox = c.prepareStatement("INSERT INTO bench_outbox_copy (event_type, entity_key,"
                     + " payload, source, source_event_id, writer_version) VALUES (?, ?, ?, ?, ?, 2)", new String[]{"id"});
             PreparedStatement queue = c.prepareStatement("INSERT INTO bench_outbox_queue_copy (outbox_id) VALUES (?)")) {
            long offset = 0;
            for (Object[] row : chunk) {
                String eventId = String.valueOf(row[eventIdColumn]);
                ledger.setString(1, "github-issues");
                ledger.setString(2, "github");
                ledger.setString(3, eventId);
                ledger.setString(4, "applied");
                ledger.setInt(5, 1);
                ledger.setString(6, "hooksync.events.github");
                ledger.setInt(7, 0);
                ledger.setLong(8, offset++);
                ledger.addBatch();
                outbox.setString(1, "issue.synced");
                outbox.setString(2, "github_issues:" + row[columns.indexOf("id")]);
                outbox.setString(3, outboxPayload(row, columns, eventId));
                outbox.setString(4, "github");
                outbox.setString(5, eventId);
                outbox.addBatch();
            }
            ledger.executeBatch();
            outbox.executeBatch();
            try (ResultSet ids = outbox.getGeneratedKeys()) {   // each row's queue entry, as the engine writes one
                while (ids.next()) {
                    queue.setLong(1, ids.getLong("id"));
                    queue.addBatch();
                }
            }
            queue.executeBatch();
        }
    }
}
