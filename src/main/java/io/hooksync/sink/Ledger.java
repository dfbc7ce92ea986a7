package io.hooksync.sink;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.hooksync.infra.sql.SqlDialect;
import io.hooksync.infra.sql.SqlDialect.Column;

/**
 * {@code hooksync_ledger}: which events each consumer (route) has settled, read and written in the batch's
 * transaction. Its key (event id, source, consumer) makes a redelivered event a duplicate.
 */
final class Ledger {

    private static final List<Column> COLUMNS = List.of(Column.text("consumer"), Column.text("source"),
            Column.text("event_id"), Column.text("outcome"), Column.integer("row_count"), Column.text("topic"),
            Column.integer("kafka_partition"), Column.bigint("kafka_offset"));

    private final SqlDialect dialect;

    Ledger(SqlDialect dialect) {
        this.dialect = dialect;
    }

    /** A ledger row: what happened to one event for one consumer, and where it was read from. */
    record Row(String consumer, String source, String eventId, String outcome, int rowCount, String topic,
               int partition, long offset) {
    }

    void insert(Connection c, List<Row> rows) throws SQLException {
        dialect.insertRows(c, "hooksync_ledger", COLUMNS, values(rows));
    }

    /**
     * Whether {@link #insertNew} tells in the same statement that an event was in the ledger already, so a batch can
     * be written without looking its events up first (PostgreSQL).
     */
    boolean claims() {
        return dialect.countsIgnoredInserts();
    }

    /**
     * Inserts the rows of events not in the ledger yet ({@link #claims()} only); false when it skipped a row (an event
     * the ledger has), and then the caller rolls its transaction back.
     */
    boolean insertNew(Connection c, List<Row> rows) throws SQLException {
        return dialect.insertRowsIgnoring(c, "hooksync_ledger", COLUMNS, values(rows)) == rows.size();
    }

    private static List<Object[]> values(List<Row> rows) {
        return rows.stream().map(r -> new Object[]{r.consumer(), r.source(), r.eventId(), r.outcome(), r.rowCount(),
                r.topic(), r.partition(), r.offset()}).toList();
    }

    /** Keys "source\0id" of the events already in the ledger for this consumer. */
    Set<String> seen(Connection c, String consumer, List<InboundEvent> events) throws SQLException {
        Set<String> seen = new HashSet<>();
        Map<String, List<String>> idsBySource = new HashMap<>();
        events.forEach(e -> idsBySource.computeIfAbsent(e.source(), s -> new ArrayList<>()).add(e.id()));
        for (Map.Entry<String, List<String>> entry : idsBySource.entrySet()) {
            dialect.matching(c, "SELECT event_id FROM hooksync_ledger WHERE consumer = ? AND source = ? AND ",
                    List.of(consumer, entry.getKey()), "event_id", entry.getValue())
                    .forEach(id -> seen.add(entry.getKey() + '\u0000' + id));
        }
        return seen;
    }
}
