package io.hooksync.sink;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hooksync.mapping.CompiledMapping;
import io.hooksync.mapping.Mapping;
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
    private static final ObjectMapper JSON = new ObjectMapper();

    private final DataSource dataSource;
    private final SqlDialect dialect;
    private final DeadLetters deadLetters;
    private final int maxAttempts;

    SinkWriter(DataSource dataSource, SqlDialect dialect, DeadLetters deadLetters, int maxAttempts) {
        this.dataSource = dataSource;
        this.dialect = dialect;
        this.deadLetters = deadLetters;
        this.maxAttempts = maxAttempts;
    }

    /** The per-route things the writer needs besides the batch. */
    record Target(String consumer, CompiledMapping mapping, String upsertSql, String emit) {
    }

    BatchResult apply(Target target, List<InboundEvent> batch) {
        List<InboundEvent> unique = uniqueById(batch);
        int inBatchDuplicates = batch.size() - unique.size();
        try {
            return inTransaction(c -> write(c, target, unique)).plus(duplicates(inBatchDuplicates));
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

    private BatchResult applyAlone(Target target, InboundEvent event) {
        SQLException last = null;
        for (int attempt = 1; attempt <= maxAttempts; attempt++) {
            try {
                return inTransaction(c -> write(c, target, List.of(event)));
            } catch (SQLException e) {
                if (SqlFailures.isOutage(e)) {
                    throw new DatabaseUnavailableException("database unavailable: " + e.getMessage(), e);
                }
                last = e;
                sleep(100L * attempt);
            }
        }
        String error = "database refused the row: " + last.getMessage();
        log.warn("Route {}: event {}/{} dead-lettered after {} attempts: {}", target.consumer(), event.source(),
                event.id(), maxAttempts, error);
        try {
            return inTransaction(c -> {
                if (!seen(c, target.consumer(), List.of(event)).isEmpty()) {
                    return duplicates(1);
                }
                deadLetters.write(c, target.consumer(), target.mapping().definition().name(), event, error, maxAttempts);
                return new BatchResult(0, 0, 0, 0, 0, 1, 0);
            });
        } catch (SQLException e) {
            throw new DatabaseUnavailableException("cannot write dead letter: " + e.getMessage(), e);
        }
    }

    private BatchResult write(Connection c, Target target, List<InboundEvent> events) throws SQLException {
        Set<String> seen = seen(c, target.consumer(), events);
        Mapping mapping = target.mapping().definition();
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
                deadLetters.write(c, target.consumer(), mapping.name(), event, error, maxAttempts);
                deadLettered++;
                continue;
            }
            @SuppressWarnings("unchecked")
            List<CompiledMapping.Row> rows = (List<CompiledMapping.Row>) mapped;
            applied.add(event);
            rowsOf.add(rows);
        }
        int[] counts = upsert(c, target, applied, rowsOf);
        int appliedCount = 0;
        int stale = 0;
        int deleted = 0;
        int filtered = 0;
        int rowsWritten = 0;
        List<LedgerRow> ledger = new ArrayList<>(applied.size());
        List<OutboxRow> outbox = new ArrayList<>();
        int next = 0;
        for (int i = 0; i < applied.size(); i++) {
            InboundEvent event = applied.get(i);
            List<CompiledMapping.Row> rows = rowsOf.get(i);
            int changed = 0;
            for (CompiledMapping.Row row : rows) {
                int count = counts[next++];
                if (count != 0) {
                    changed++;
                    if (target.emit() != null) {
                        outbox.add(outboxRow(target, event, row));
                    }
                }
            }
            String outcome;
            if (rows.isEmpty()) {
                outcome = "filtered";
                filtered++;
            } else if (changed == 0) {
                outcome = "stale";
                stale++;
                log.debug("Route {}: event {}/{} is older than the stored rows; ignored", target.consumer(),
                        event.source(), event.id());
            } else if (rows.get(0).deleted()) {
                outcome = "deleted";
                deleted++;
            } else {
                outcome = "applied";
                appliedCount++;
            }
            rowsWritten += changed;
            ledger.add(new LedgerRow(target.consumer(), event.source(), event.id(), outcome, changed, event.topic(),
                    event.partition(), event.offset()));
        }
        if (dialect == SqlDialect.POSTGRESQL) {
            PostgresRows.insertLedger(c, ledger);
            PostgresRows.insertOutbox(c, outbox);
        } else {
            insertLedger(c, ledger);
            insertOutbox(c, outbox);
        }
        return new BatchResult(appliedCount, stale, deleted, filtered, duplicates, deadLettered, rowsWritten);
    }

    /** A ledger row: what happened to one event for one consumer, and where it was read from. */
    record LedgerRow(String consumer, String source, String eventId, String outcome, int rowCount, String topic,
                     int partition, long offset) {
    }

    /** An outbox row: one changed row announced as {@code eventType}. */
    record OutboxRow(String eventType, String entityKey, String payload, String source, String sourceEventId) {
    }

    private void insertLedger(Connection c, List<LedgerRow> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        try (PreparedStatement ledger = c.prepareStatement(dialect.insertLedger())) {
            for (LedgerRow row : rows) {
                ledger.setString(1, row.consumer());
                ledger.setString(2, row.source());
                ledger.setString(3, row.eventId());
                ledger.setString(4, row.outcome());
                ledger.setInt(5, row.rowCount());
                ledger.setString(6, row.topic());
                ledger.setInt(7, row.partition());
                ledger.setLong(8, row.offset());
                ledger.addBatch();
            }
            ledger.executeBatch();
        }
    }

    private static void insertOutbox(Connection c, List<OutboxRow> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        try (PreparedStatement outbox = c.prepareStatement("INSERT INTO hooksync_outbox (event_type, entity_key,"
                + " payload, source, source_event_id) VALUES (?, ?, ?, ?, ?)")) {
            for (OutboxRow row : rows) {
                outbox.setString(1, row.eventType());
                outbox.setString(2, row.entityKey());
                outbox.setString(3, row.payload());
                outbox.setString(4, row.source());
                outbox.setString(5, row.sourceEventId());
                outbox.addBatch();
            }
            outbox.executeBatch();
        }
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

    private int[] upsert(Connection c, Target target, List<InboundEvent> events, List<List<CompiledMapping.Row>> rowsOf)
            throws SQLException {
        List<Mapping.Column> columns = List.copyOf(target.mapping().definition().columns().values());
        int total = rowsOf.stream().mapToInt(List::size).sum();
        if (total == 0) {
            return new int[0];
        }
        if (dialect == SqlDialect.POSTGRESQL) {
            List<Object[]> values = new ArrayList<>(total);
            List<Boolean> deleted = new ArrayList<>(total);
            List<String> eventIds = new ArrayList<>(total);
            for (int e = 0; e < rowsOf.size(); e++) {
                for (CompiledMapping.Row row : rowsOf.get(e)) {
                    values.add(row.values());
                    deleted.add(row.deleted());
                    eventIds.add(events.get(e).id());
                }
            }
            int[] keyIndexes = target.mapping().definition().key().stream().mapToInt(target.mapping()::indexOf).toArray();
            return PostgresRows.upsert(c, target.upsertSql(), values, deleted, eventIds, keyIndexes);
        }
        try (PreparedStatement upsert = c.prepareStatement(target.upsertSql())) {
            for (int e = 0; e < rowsOf.size(); e++) {
                for (CompiledMapping.Row row : rowsOf.get(e)) {
                    Object[] values = row.values();
                    for (int i = 0; i < values.length; i++) {
                        dialect.bind(upsert, i + 1, values[i], columns.get(i).type());
                    }
                    upsert.setBoolean(values.length + 1, row.deleted());
                    upsert.setString(values.length + 2, events.get(e).id());
                    upsert.addBatch();
                }
            }
            int[] counts = upsert.executeBatch();
            for (int i = 0; i < counts.length; i++) {
                counts[i] = counts[i] == Statement.SUCCESS_NO_INFO ? 1 : counts[i];
            }
            return counts;
        }
    }

    private static OutboxRow outboxRow(Target target, InboundEvent event, CompiledMapping.Row row) {
        Mapping mapping = target.mapping().definition();
        Map<String, Object> data = new LinkedHashMap<>();
        List<String> names = List.copyOf(mapping.columns().keySet());
        for (int i = 0; i < names.size(); i++) {
            Object value = row.values()[i];
            data.put(names.get(i), value instanceof java.time.temporal.Temporal ? value.toString() : value);
        }
        StringBuilder key = new StringBuilder(mapping.table());
        for (String k : mapping.key()) {
            key.append(':').append(data.get(k));
        }
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("table", mapping.table());
        payload.put("deleted", row.deleted());
        payload.put("data", data);
        payload.put("cause", Map.of("source", event.source(), "id", event.id(), "type", event.type()));
        try {
            String type = target.emit().replace("{type}", event.type() == null ? "unknown" : event.type());
            return new OutboxRow(type, key.length() > 500 ? key.substring(0, 500) : key.toString(),
                    JSON.writeValueAsString(payload), event.source(), event.id());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Keys "source\0id" of the events already in the ledger for this consumer. */
    private Set<String> seen(Connection c, String consumer, List<InboundEvent> events) throws SQLException {
        Set<String> seen = new HashSet<>();
        Map<String, List<String>> idsBySource = new HashMap<>();
        events.forEach(e -> idsBySource.computeIfAbsent(e.source(), s -> new ArrayList<>()).add(e.id()));
        for (Map.Entry<String, List<String>> entry : idsBySource.entrySet()) {
            List<String> ids = entry.getValue();
            if (dialect == SqlDialect.POSTGRESQL) {
                PostgresRows.seen(c, consumer, entry.getKey(), ids).forEach(id -> seen.add(entry.getKey() + '\u0000' + id));
                continue;
            }
            for (int from = 0; from < ids.size(); from += 500) {
                List<String> chunk = ids.subList(from, Math.min(ids.size(), from + 500));
                String sql = "SELECT event_id FROM hooksync_ledger WHERE consumer = ? AND source = ? AND event_id IN ("
                        + "?, ".repeat(chunk.size() - 1) + "?)";
                try (PreparedStatement select = c.prepareStatement(sql)) {
                    select.setString(1, consumer);
                    select.setString(2, entry.getKey());
                    for (int i = 0; i < chunk.size(); i++) {
                        select.setString(i + 3, chunk.get(i));
                    }
                    try (ResultSet rs = select.executeQuery()) {
                        while (rs.next()) {
                            seen.add(entry.getKey() + '\u0000' + rs.getString(1));
                        }
                    }
                }
            }
        }
        return seen;
    }

    /**
     * Backfill's seam (see {@link ReplaySink}): the version-guarded upserts of rows already mapped and, when
     * {@code target.emit()} is set, their outbox rows, in the caller's transaction; no ledger rows, no dead
     * letters. Returns per row 1 when it was written, 0 when the guard kept the stored row (older, or unchanged).
     */
    int[] writeMapped(Connection c, Target target, List<InboundEvent> events, List<List<CompiledMapping.Row>> rowsOf)
            throws SQLException {
        int[] counts = upsert(c, target, events, rowsOf);
        if (target.emit() == null) {
            return counts;
        }
        List<OutboxRow> outbox = new ArrayList<>();
        int next = 0;
        for (int e = 0; e < events.size(); e++) {
            for (CompiledMapping.Row row : rowsOf.get(e)) {
                if (counts[next++] != 0) {
                    outbox.add(outboxRow(target, events.get(e), row));
                }
            }
        }
        if (dialect == SqlDialect.POSTGRESQL) {
            PostgresRows.insertOutbox(c, outbox);
        } else {
            insertOutbox(c, outbox);
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
