package io.hooksync.sink;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hooksync.infra.outbox.OutboxWriter;
import io.hooksync.infra.sql.LatestPerKey;
import io.hooksync.infra.sql.SqlDialect;
import io.hooksync.infra.sql.UpsertTable;
import io.hooksync.mapping.CompiledMapping;
import io.hooksync.mapping.MappingException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies a batch of events through one mapping in ONE transaction: ledger check, version-guarded
 * upserts, ledger rows, outbox rows and dead letters for events the mapping cannot handle. When the
 * database refuses the batch because of one event's data, the batch is rolled back and applied event
 * by event, each retried a bounded number of times before it becomes a dead letter. Outages are
 * thrown as {@link DatabaseUnavailableException} and nothing is dead-lettered for them.
 */
final class SinkWriter {

    private static final Logger log = LoggerFactory.getLogger(SinkWriter.class);

    private final DataSource dataSource;
    /** Routes (ledger consumers) whose last batch held events the ledger had: they look up before writing. */
    private final Set<String> lookingUp = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final SqlDialect dialect;
    private final Ledger ledger;
    private final OutboxWriter outbox;
    private final DeadLetters deadLetters;
    private final int maxAttempts;
    private final ObjectMapper json;
    private final SinkMetrics metrics;

    SinkWriter(DataSource dataSource, SqlDialect dialect, OutboxWriter outbox, DeadLetters deadLetters, int maxAttempts,
               ObjectMapper json, SinkMetrics metrics) {
        this.dataSource = dataSource;
        this.dialect = dialect;
        this.ledger = new Ledger(dialect);
        this.outbox = outbox;
        this.deadLetters = deadLetters;
        this.maxAttempts = maxAttempts;
        this.json = json;
        this.metrics = metrics;
    }

    /**
     * The per-route things the writer needs besides the batch. {@code conflate}: a row changed by several events of
     * one batch is written (and emitted) once, in its last state; off for change streams that emit per action
     * (created/updated/deleted), whose receivers expect every change.
     */
    record Target(String consumer, CompiledMapping mapping, String upsertSql, String emit, boolean conflate) {

        Target(String consumer, CompiledMapping mapping, String upsertSql, String emit) {
            this(consumer, mapping, upsertSql, emit, true);
        }
    }

    BatchResult apply(Target target, List<InboundEvent> batch) {
        List<InboundEvent> unique = uniqueById(batch);
        int inBatchDuplicates = batch.size() - unique.size();
        try {
            return emitted(target, writeBatch(target, unique)).plus(duplicates(inBatchDuplicates));
        } catch (SQLException e) {
            if (SqlFailures.isOutage(e)) {
                throw new DatabaseUnavailableException("database unavailable: " + e.getMessage(), e);
            }
            log.info("Route {}: batch of {} refused by the database ({}); applying event by event",
                    target.consumer(), unique.size(), e.getMessage());
        }
        BatchResult total = duplicates(inBatchDuplicates);
        for (InboundEvent event : unique) {
            total = total.plus(applyAlone(target, event));
        }
        return total;
    }

    /**
     * One transaction for the batch, where the ledger {@link Ledger#claims() claims} first without looking its events
     * up: the ledger insert then skips an event the ledger has, and the batch is rolled back and written again after
     * the lookup, as everywhere else. A redelivered batch (after a restart or a rebalance) costs a transaction more;
     * every other batch a statement less (the lookup took a fifth of the database's time in a drain, issue 15). After
     * such a batch the route looks up first until a batch holds no known event, so a replay of events it had applied
     * costs one transaction per batch, not two.
     */
    private BatchResult writeBatch(Target target, List<InboundEvent> events) throws SQLException {
        if (ledger.claims() && !lookingUp.contains(target.consumer())) {
            try {
                return inTransaction(c -> write(c, target, events, false));
            } catch (LookUpFirst e) {
                lookingUp.add(target.consumer());
                metrics.rewritten(target.consumer());
                log.debug("Route {}: {}; writing the batch again after a ledger lookup", target.consumer(),
                        e.getMessage());
            }
        }
        BatchResult result = inTransaction(c -> write(c, target, events, true));
        if (result.duplicates() == 0) {
            lookingUp.remove(target.consumer());
        }
        return result;
    }

    /** A batch written without a ledger lookup needs one: rolled back, and written again after the lookup. */
    private static final class LookUpFirst extends RuntimeException {

        LookUpFirst(String why) {
            super(why, null, false, false);
        }
    }

    private BatchResult applyAlone(Target target, InboundEvent event) {
        SQLException last = null;
        for (int attempt = 1; attempt <= maxAttempts; attempt++) {
            try {
                return emitted(target, inTransaction(c -> write(c, target, List.of(event), true)));
            } catch (SQLException e) {
                if (SqlFailures.isOutage(e)) {
                    throw new DatabaseUnavailableException("database unavailable: " + e.getMessage(), e);
                }
                last = e;
                sleep(100L * attempt);
            }
        }
        String error = "database refused the row: " + last.getMessage();
        return deadLetter(target.consumer(), target.mapping().definition().name(), event, error, maxAttempts);
    }

    /** After a commit that wrote outbox rows, wakes this instance's relay. */
    private BatchResult emitted(Target target, BatchResult committed) {
        if (target.emit() != null && committed.rows() > 0) {
            outbox.committed();
        }
        return committed;
    }

    /**
     * Sets one event aside as a dead letter for {@code consumer} (no mapping: a per-event route failed before or
     * around its upsert), unless the consumer's ledger already has it (then it is a duplicate). A database that
     * cannot take the dead letter is an outage: the event stays where it is.
     */
    BatchResult deadLetter(String consumer, String mapping, InboundEvent event, String error, int attempts) {
        try {
            return inTransaction(c -> {
                if (!ledger.seen(c, consumer, List.of(event)).isEmpty()) {
                    return duplicates(1);
                }
                deadLetters.write(c, consumer, mapping, event, error, attempts);
                return new BatchResult(0, 0, 0, 0, 0, 1, 0);
            });
        } catch (SQLException e) {
            throw new DatabaseUnavailableException("cannot write dead letter: " + e.getMessage(), e);
        }
    }

    /**
     * The batch's writes. {@code lookUp}: skip the events the ledger has before anything is written; without it the
     * ledger insert finds them, and {@link LookUpFirst} (also for an event that would be dead-lettered, which has no
     * ledger row to find) rolls the transaction back.
     */
    private BatchResult write(Connection c, Target target, List<InboundEvent> events, boolean lookUp)
            throws SQLException {
        Mapped mapped = map(c, target, events, lookUp);
        int[] counts = upsert(c, target, mapped);
        Outcomes outcomes = new Outcomes(target, json);
        int next = 0;
        for (int i = 0; i < mapped.events().size(); i++) {
            next = outcomes.add(mapped.events().get(i), mapped.rows().get(i), counts, next);
        }
        if (lookUp) {
            ledger.insert(c, outcomes.ledger());
        } else if (!ledger.insertNew(c, outcomes.ledger())) {
            throw new LookUpFirst("events of the batch are in the ledger already");
        }
        outbox.write(c, outcomes.outbox());
        return outcomes.result(mapped.duplicates(), mapped.deadLettered());
    }

    /** The events of a batch that are new to the ledger and mapped, each with its rows, and what became of the others. */
    private record Mapped(List<InboundEvent> events, List<List<CompiledMapping.Row>> rows, int duplicates,
                          int deadLettered) {
    }

    /** Skips the events already in the ledger ({@code lookUp}) and dead-letters those the mapping cannot handle. */
    private Mapped map(Connection c, Target target, List<InboundEvent> events, boolean lookUp) throws SQLException {
        Set<String> seen = lookUp ? ledger.seen(c, target.consumer(), events) : Set.of();
        List<InboundEvent> applied = new ArrayList<>();
        List<List<CompiledMapping.Row>> rowsOf = new ArrayList<>();
        int duplicates = 0;
        int deadLettered = 0;
        for (InboundEvent event : events) {
            if (seen.contains(event.source() + '\u0000' + event.id())) {
                duplicates++;
                continue;
            }
            Object mapped = map(target.mapping(), event);
            if (mapped instanceof String error) {
                if (!lookUp) {
                    throw new LookUpFirst("an event of the batch is a dead letter unless the ledger has it");
                }
                deadLetters.write(c, target.consumer(), target.mapping().definition().name(), event, error, maxAttempts);
                deadLettered++;
                continue;
            }
            @SuppressWarnings("unchecked")
            List<CompiledMapping.Row> rows = (List<CompiledMapping.Row>) mapped;
            applied.add(event);
            rowsOf.add(rows);
        }
        return new Mapped(applied, rowsOf, duplicates, deadLettered);
    }

    /** The rows of an event, or the error text after {@code maxAttempts} evaluations failed. */
    private Object map(CompiledMapping mapping, InboundEvent event) {
        String error = null;
        for (int attempt = 1; attempt <= maxAttempts; attempt++) {
            try {
                return mapping.apply(mapping.read(event.payload()), meta(event));
            } catch (MappingException e) {
                error = "mapping " + mapping.definition().name() + ": " + e.getMessage();
            } catch (java.io.IOException e) {
                error = "payload is not a JSON object: " + e.getMessage();
            }
        }
        return error;
    }

    private int[] upsert(Connection c, Target target, Mapped mapped) throws SQLException {
        List<UpsertTable.Row> rows = new ArrayList<>();
        List<String> emitted = new ArrayList<>();
        for (int e = 0; e < mapped.rows().size(); e++) {
            InboundEvent event = mapped.events().get(e);
            String type = Outcomes.emittedType(target, event);
            mapped.rows().get(e).forEach(row -> {
                rows.add(new UpsertTable.Row(row.values(), row.deleted(), event.id()));
                emitted.add(type);
            });
        }
        if (rows.isEmpty()) {
            return new int[0];
        }
        UpsertTable table = SinkTables.of(target.mapping().definition());
        // a row changed several times in one batch is written once, in its last state (unless its events would emit
        // different types); rows go in key order
        int[] survivors = target.conflate() ? LatestPerKey.survivors(table, rows, emitted)
                : LatestPerKey.inKeyOrder(table, rows);
        List<UpsertTable.Row> written = new ArrayList<>(survivors.length);
        for (int i : survivors) {
            written.add(rows.get(i));
        }
        int[] writtenCounts = dialect.upsert(c, target.upsertSql(), table, written);
        int[] counts = new int[rows.size()];
        for (int i = 0; i < survivors.length; i++) {
            counts[survivors[i]] = writtenCounts[i];
        }
        return counts;
    }

    /**
     * Backfill's seam (see {@link ReplaySink}): the version-guarded upserts of rows already mapped and, when
     * {@code target.emit()} is set, their outbox rows, in the caller's transaction; no ledger rows, no dead
     * letters. Returns per row 1 when it was written, 0 when the guard kept the stored row (older, or unchanged).
     */
    int[] writeMapped(Connection c, Target target, List<InboundEvent> events, List<List<CompiledMapping.Row>> rowsOf)
            throws SQLException {
        int[] counts = upsert(c, target, new Mapped(events, rowsOf, 0, 0));
        if (target.emit() != null) {
            Outcomes outcomes = new Outcomes(target, json);
            int next = 0;
            for (int i = 0; i < events.size(); i++) {
                next = outcomes.add(events.get(i), rowsOf.get(i), counts, next);
            }
            outbox.write(c, outcomes.outbox());
        }
        return counts;
    }

    static Map<String, Object> meta(InboundEvent event) {
        Map<String, Object> meta = new HashMap<>();
        meta.put("id", event.id());
        meta.put("source", event.source());
        meta.put("type", event.type());
        meta.put("action", event.action());
        meta.put("received_at", event.receivedAt());
        return meta;
    }

    private static List<InboundEvent> uniqueById(List<InboundEvent> batch) {
        Map<String, InboundEvent> unique = new LinkedHashMap<>();
        batch.forEach(e -> unique.putIfAbsent(e.source() + '\u0000' + e.id(), e));
        return new ArrayList<>(unique.values());
    }

    private static BatchResult duplicates(int n) {
        return new BatchResult(0, 0, 0, 0, n, 0, 0);
    }

    private interface TransactionWork {
        BatchResult run(Connection connection) throws SQLException;
    }

    private BatchResult inTransaction(TransactionWork work) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                BatchResult result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                try {
                    c.rollback();
                } catch (SQLException rollbackFailure) {
                    e.addSuppressed(rollbackFailure);
                }
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
