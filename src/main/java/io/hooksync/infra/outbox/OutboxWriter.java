package io.hooksync.infra.outbox;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.List;

import io.hooksync.infra.sql.SqlDialect;
import io.hooksync.infra.sql.SqlDialect.Column;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Inserts {@code hooksync_outbox} rows on the caller's connection, so they commit or roll back with what
 * caused them (the upserts of a sink batch, a batch of delivery results), in the given order (the relay
 * publishes them by id), each with its entry in {@code hooksync_outbox_queue}, the list of rows still to relay
 * (migration V11). An outbox row is written once and never updated: the relay deletes the queue entry.
 * PostgreSQL: one statement for the whole list and its queue entries; MariaDB: a JDBC batch each. Also the one to
 * delete outbox rows once relayed and old ({@link #pruneRelayed}).
 */
@Component
public final class OutboxWriter {

    private static final String TABLE = "hooksync_outbox";
    /** The ids of the outbox rows not relayed yet; the relay takes its batches from here. */
    public static final String QUEUE = "hooksync_outbox_queue";
    /**
     * Written into every row ({@code writer_version}, migration V11, no default): 2 = queued in {@link #QUEUE}. An
     * instance of an older version does not name the column, so its insert is refused instead of writing a row that
     * no relay would publish.
     */
    private static final int WRITER_VERSION = 2;
    private static final List<Column> COLUMNS = List.of(Column.text("event_type"), Column.text("entity_key"),
            Column.text("payload"), Column.text("source"), Column.text("source_event_id"), Column.integer("writer_version"));

    private final SqlDialect dialect;

    public OutboxWriter(SqlDialect dialect) {
        this.dialect = dialect;
    }

    /**
     * One outbox row: a message of {@code eventType} about {@code entityKey} (the relay's Kafka key, so one
     * entity's messages stay in order), its JSON {@code payload}, and the event that caused it.
     */
    public record Row(String eventType, String entityKey, String payload, String source, String sourceEventId) {
    }

    private final Object signal = new Object();
    private boolean committed;   // guarded by signal

    /**
     * Says that rows written through this writer have committed, so a relay waiting in {@link #awaitCommitted}
     * looks now instead of at its next idle poll. Rows committed by other instances are found by that poll.
     */
    public void committed() {
        synchronized (signal) {
            committed = true;
            signal.notifyAll();
        }
    }

    /** Waits until {@link #committed} was called since the last wait, or {@code max} passed. */
    public void awaitCommitted(Duration max) throws InterruptedException {
        synchronized (signal) {
            if (!committed) {
                signal.wait(Math.max(1, max.toMillis()));
            }
            committed = false;
        }
    }

    /**
     * Deletes at most {@code batch} rows written before {@code before} (epoch milliseconds) and relayed since; a row
     * not relayed yet stays however old. Returns how many went.
     */
    public int pruneRelayed(JdbcTemplate jdbc, long before, int batch) {
        return jdbc.update(dialect.deleteAtMost(TABLE, PRUNABLE), new Timestamp(before), batch);
    }

    /**
     * The outbox rows {@link #pruneRelayed} deletes: written before the cutoff (the parameter; found by the
     * {@code created_at} index) and no longer queued (a lookup in the queue's key).
     */
    public static final String PRUNABLE = "created_at < ? AND NOT EXISTS (SELECT 1 FROM " + QUEUE
            + " q WHERE q.outbox_id = " + TABLE + ".id)";

    /** Writes {@code rows} and queues each for the relay, in the caller's transaction. */
    public void write(Connection c, List<Row> rows) throws SQLException {
        dialect.insertRowsQueued(c, TABLE, COLUMNS, rows.stream()
                .map(r -> new Object[]{r.eventType(), r.entityKey(), r.payload(), r.source(), r.sourceEventId(),
                        WRITER_VERSION})
                .toList(), QUEUE, "outbox_id");
    }
}
