package io.hooksync.outbound;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import io.hooksync.infra.envelope.EventEnvelope;
import io.hooksync.infra.outbox.OutboxWriter;
import io.hooksync.infra.sql.SqlDialect;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polling outbox relay, for every database: takes a batch of the oldest queued outbox rows
 * ({@code hooksync_outbox_queue}), publishes them with acks=all, deletes their queue entries and commits.
 * Instances relay one at a time ({@link #TURN}): two relays taking the queue's next batches side by side published
 * an entity's later rows while its earlier ones still waited for their acknowledgement (per-entity order, which
 * ordered endpoints rely on, broke with a second instance). A crash after publishing and before the commit
 * publishes the batch again; the message id ({@code ce_id}, see {@link MessageIds}) is stable, so consumers
 * deduplicate. Nothing is lost: a row leaves the queue only in the commit that follows Kafka's acknowledgement.
 * The outbox row itself is never updated (the timeline and the pruner tell a relayed row by its absence from the
 * queue): marking it relayed rewrote the row, payload and index entries included, and was the biggest statement of a
 * drain (docs/benchmarks.md, issue 15).
 *
 * <p>On PostgreSQL one statement locks the batch's queue entries, deletes them and returns their outbox rows
 * ({@link #TAKE_QUEUED}); the delete is rolled back with the transaction when publishing fails. MariaDB's multi-table
 * DELETE returns nothing: it locks the batch's entries ({@link #QUEUED}), reads their outbox rows, then deletes the
 * entries by id after the acknowledgements.
 */
final class OutboxRelay {

    /** The outbox columns a message is made of, in {@link Row}'s order after the queue entry's id. */
    private static final String COLUMNS = "o.event_type, o.entity_key, o.payload, o.source, o.source_event_id,"
            + " o.created_at";

    /**
     * The oldest queue entries, locked (MariaDB; {@code SKIP LOCKED}: an entry a sink's transaction is still writing
     * is passed over, not waited for; {@link #rows} then reads their outbox rows
     * without locking them: joined into this statement, an outbox row another transaction had locked, the pruner's
     * say, would be skipped too and look deleted). The queue's primary key, read in order, serves it: the queue holds
     * only what is still to relay, so its cost follows the batch, not the history.
     */
    static final String QUEUED = "SELECT outbox_id FROM hooksync_outbox_queue ORDER BY outbox_id LIMIT ?"
            + " FOR UPDATE SKIP LOCKED";

    /**
     * {@link #QUEUED}'s batch, taken off the queue in the same statement (PostgreSQL) and joined to its outbox rows
     * (a plain read: only the queue entries are locked), returned in no particular order. An entry whose outbox row
     * is gone (deleted by hand: the pruner never deletes a queued row) comes with nulls, so it is taken off too
     * instead of holding the head of the queue.
     * The delete finds the locked entries by their physical address ({@code ctid = ANY(ARRAY(...))}, a TID scan):
     * with {@code IN (...)} the planner hashed the batch and read the whole queue's heap, every entry deleted since
     * the last vacuum included (a drain's worth; {@code OutboxRelayPlanIT}).
     */
    static final String TAKE_QUEUED = "WITH taken AS (DELETE FROM hooksync_outbox_queue WHERE ctid = ANY(ARRAY("
            + "SELECT ctid FROM hooksync_outbox_queue ORDER BY outbox_id LIMIT ? FOR UPDATE SKIP LOCKED))"
            + " RETURNING outbox_id) SELECT taken.outbox_id, " + COLUMNS + " FROM taken"
            + " LEFT JOIN hooksync_outbox o ON o.id = taken.outbox_id";

    /**
     * The relay's turn, held by the transaction that relays a batch: another instance's relay skips it and waits for
     * its next round, so batches go out one after the other whatever the number of instances. One relay then serves
     * every instance's output: it kept up with one engine's with room to spare (docs/benchmarks.md); several engines'
     * together are not measured. The lock dies with its transaction or connection, so a crashed instance's turn
     * passes at once.
     */
    static final String TURN = "SELECT id FROM hooksync_relay_turn WHERE id = 1 FOR UPDATE SKIP LOCKED";

    static final String TOPIC = "hooksync.outbound";
    private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);

    private final DataSource dataSource;
    private final Producer<byte[], byte[]> producer;
    private final int batchSize;
    private final String idPrefix;
    private final OutboxWriter outbox;
    private final SqlDialect dialect;

    OutboxRelay(DataSource dataSource, Producer<byte[], byte[]> producer, int batchSize, String idPrefix,
                OutboxWriter outbox, SqlDialect dialect) {
        this.dataSource = dataSource;
        this.dialect = dialect;
        this.outbox = outbox;
        this.producer = producer;
        this.batchSize = batchSize;
        this.idPrefix = idPrefix;
    }

    /** A queue entry and its outbox row; {@code type} and the rest are null when the outbox row is gone. */
    private record Row(long id, String type, String key, String payload, String source, String sourceEventId,
                       Timestamp created) {

        boolean orphaned() {
            return type == null;
        }
    }

    /**
     * Relays one batch; returns how many queue entries it took (0 when the queue is empty or another instance is
     * relaying).
     */
    int relayOnce() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                if (!takeTurn(c)) {
                    c.commit();
                    return 0;
                }
                boolean taken = dialect.deletesInWith();
                List<Row> rows = taken ? take(c) : rows(c, queued(c));
                if (rows.isEmpty()) {
                    c.commit();
                    return 0;
                }
                publish(rows);
                if (!taken) {
                    dequeue(c, rows);
                }
                c.commit();
                return rows.size();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    /**
     * Takes the relay's turn ({@link #TURN}) for this transaction; false when another instance holds it. A turn row
     * deleted by hand would stop every relay without a word, so it is written again (a second instance doing the same
     * at that moment fails on the key and retries after its back-off).
     */
    private static boolean takeTurn(Connection c) throws SQLException {
        try (PreparedStatement turn = c.prepareStatement(TURN); ResultSet rs = turn.executeQuery()) {
            if (rs.next()) {
                return true;
            }
        }
        try (PreparedStatement count = c.prepareStatement("SELECT count(*) FROM hooksync_relay_turn");
             ResultSet rs = count.executeQuery()) {
            rs.next();
            if (rs.getLong(1) > 0) {
                return false;   // another instance is relaying
            }
        }
        log.warn("Outbox relay: hooksync_relay_turn had no row (deleted outside the engine?); written again");
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO hooksync_relay_turn (id) VALUES (1)")) {
            insert.executeUpdate();
        }
        return true;
    }

    /** The batch, taken off the queue by {@link #TAKE_QUEUED}, in outbox order (PostgreSQL). */
    private List<Row> take(Connection c) throws SQLException {
        List<Row> rows = new ArrayList<>();
        dialect.readQueuesInIndexOrder(c);   // the transaction's own setting: the relay's batch stops at its limit
        try (PreparedStatement select = c.prepareStatement(TAKE_QUEUED)) {
            dialect.planEachExecution(select);   // the queue swings between empty and a burst's backlog
            select.setInt(1, batchSize);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    rows.add(row(rs));
                }
            }
        }
        rows.sort(Comparator.comparingLong(Row::id));   // RETURNING keeps no order; an entity's events go out in order
        return rows;
    }

    /** The oldest queue entries, locked by {@link #QUEUED}, in order (MariaDB). */
    private List<Long> queued(Connection c) throws SQLException {
        List<Long> ids = new ArrayList<>();
        try (PreparedStatement select = c.prepareStatement(QUEUED)) {
            select.setInt(1, batchSize);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                }
            }
        }
        return ids;
    }

    /** The outbox rows of {@code ids}, read without locks, in their order; an id without a row comes as an orphan. */
    private static List<Row> rows(Connection c, List<Long> ids) throws SQLException {
        if (ids.isEmpty()) {
            return List.of();
        }
        Map<Long, Row> found = new HashMap<>();
        try (PreparedStatement select = c.prepareStatement("SELECT o.id, " + COLUMNS + " FROM hooksync_outbox o"
                + " WHERE o.id IN (" + String.join(", ", Collections.nCopies(ids.size(), "?")) + ")")) {
            for (int i = 0; i < ids.size(); i++) {
                select.setLong(i + 1, ids.get(i));
            }
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    Row row = row(rs);
                    found.put(row.id(), row);
                }
            }
        }
        return ids.stream().map(id -> found.getOrDefault(id, new Row(id, null, null, null, null, null, null))).toList();
    }

    private static Row row(ResultSet rs) throws SQLException {
        return new Row(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getString(6), rs.getTimestamp(7));
    }

    /** Takes the published batch off the queue (one statement: N single-row deletes cost a parse, plan and execute each). */
    private static void dequeue(Connection c, List<Row> rows) throws SQLException {
        String ids = String.join(", ", Collections.nCopies(rows.size(), "?"));
        try (PreparedStatement dequeue = c.prepareStatement(
                "DELETE FROM hooksync_outbox_queue WHERE outbox_id IN (" + ids + ")")) {
            for (int i = 0; i < rows.size(); i++) {
                dequeue.setLong(i + 1, rows.get(i).id());
            }
            dequeue.executeUpdate();
        }
    }

    private void publish(List<Row> rows) {
        List<Future<RecordMetadata>> acks = new ArrayList<>(rows.size());
        for (Row row : rows) {
            if (row.orphaned()) {
                log.warn("Outbox relay: queue entry {} has no outbox row (deleted outside the engine?); taken off the"
                        + " queue, nothing to publish", row.id());
                continue;
            }
            RecordHeaders headers = new RecordHeaders();
            new EventEnvelope(MessageIds.of(idPrefix, row.id()), "hooksync/" + row.source(), row.type(),
                    row.created().toInstant().toString()).withCauseId(row.sourceEventId()).writeTo(headers);
            acks.add(producer.send(new ProducerRecord<>(TOPIC, null, row.key().getBytes(StandardCharsets.UTF_8),
                    row.payload().getBytes(StandardCharsets.UTF_8), headers)));
        }
        try {
            for (Future<RecordMetadata> ack : acks) {
                ack.get(30, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while relaying the outbox", e);
        } catch (Exception e) {
            throw new IllegalStateException("outbound topic did not acknowledge: " + e.getMessage(), e);
        }
    }

    /**
     * Relays until interrupted: at once while rows are waiting, else when this instance commits outbox rows
     * ({@link OutboxWriter#committed}) or every {@code idle} (other instances' rows); backs off on failure.
     */
    void run(Duration idle) {
        long backoff = 0;
        while (!Thread.currentThread().isInterrupted()) {
            try {
                int relayed = relayOnce();
                backoff = 0;
                if (relayed == 0) {
                    outbox.awaitCommitted(idle);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                backoff = Math.min(30_000, Math.max(500, backoff * 2));
                log.warn("Outbox relay failed, retrying in {} ms: {}", backoff, e.getMessage());
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }
}
