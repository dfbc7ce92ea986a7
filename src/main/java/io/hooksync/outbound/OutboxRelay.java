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
import java.util.List;
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
 * Polling outbox relay, for every database: locks a batch of unrelayed rows
 * ({@code FOR UPDATE SKIP LOCKED}, so several instances share the work), publishes them with
 * acks=all, marks them relayed and commits. A crash after publishing and before the commit
 * publishes the batch again; the message id ({@code ce_id}, see {@link MessageIds}) is stable, so
 * consumers deduplicate. Nothing is lost: a row's mark commits only after Kafka acknowledged it.
 *
 * <p>On PostgreSQL one statement locks, marks and returns the batch ({@link #MARK_PENDING}); the mark is
 * rolled back with the transaction when publishing fails. MariaDB has no {@code UPDATE ... RETURNING}:
 * it selects the batch, then marks it by id after the acknowledgements.
 */
final class OutboxRelay {

    /**
     * The oldest rows not relayed yet, locked; other instances skip them. On PostgreSQL the partial index
     * {@code hooksync_outbox_unrelayed} (migration V9), read in order, serves it, so its cost follows the batch,
     * not the history nor the rows relayed since the last vacuum.
     */
    static final String PENDING = "SELECT id, event_type, entity_key, payload, source, source_event_id, created_at"
            + " FROM hooksync_outbox WHERE relayed_at IS NULL ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED";

    /**
     * {@link #PENDING}'s rows, marked relayed in the same statement (PostgreSQL): one statement per batch, planned
     * once, where the select and an {@code IN} list of the batch's ids were two, one text per batch size. The
     * returned rows are in no particular order.
     */
    static final String MARK_PENDING = "UPDATE hooksync_outbox SET relayed_at = CURRENT_TIMESTAMP"
            + " WHERE id IN (SELECT id FROM hooksync_outbox WHERE relayed_at IS NULL ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED)"
            + " RETURNING id, event_type, entity_key, payload, source, source_event_id, created_at";

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

    private record Row(long id, String type, String key, String payload, String source, String sourceEventId,
                       Timestamp created) {
    }

    /** Relays one batch; returns how many rows were relayed (0 when the outbox is empty). */
    int relayOnce() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                boolean marked = dialect.updatesReturning();
                List<Row> rows = lock(c, marked ? MARK_PENDING : PENDING);
                if (rows.isEmpty()) {
                    c.commit();
                    return 0;
                }
                publish(rows);
                if (!marked) {
                    mark(c, rows);
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

    /** The batch, locked by {@code sql} ({@link #PENDING} or {@link #MARK_PENDING}), in outbox order. */
    private List<Row> lock(Connection c, String sql) throws SQLException {
        List<Row> rows = new ArrayList<>();
        dialect.readQueuesInIndexOrder(c);   // the transaction's own setting: the relay's batch stops at its limit
        try (PreparedStatement select = c.prepareStatement(sql)) {
            dialect.planEachExecution(select);   // relayed rows pile up: a plan made on an empty outbox would scan them
            select.setInt(1, batchSize);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    rows.add(new Row(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getString(6), rs.getTimestamp(7)));
                }
            }
        }
        rows.sort(Comparator.comparingLong(Row::id));   // RETURNING keeps no order; an entity's events go out in order
        return rows;
    }

    /** Marks the published batch (one statement: N single-row updates cost a parse, plan and execute each). */
    private static void mark(Connection c, List<Row> rows) throws SQLException {
        String ids = String.join(", ", Collections.nCopies(rows.size(), "?"));
        try (PreparedStatement mark = c.prepareStatement(
                "UPDATE hooksync_outbox SET relayed_at = CURRENT_TIMESTAMP WHERE id IN (" + ids + ")")) {
            for (int i = 0; i < rows.size(); i++) {
                mark.setLong(i + 1, rows.get(i).id());
            }
            mark.executeUpdate();
        }
    }

    private void publish(List<Row> rows) {
        List<Future<RecordMetadata>> acks = new ArrayList<>(rows.size());
        for (Row row : rows) {
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
