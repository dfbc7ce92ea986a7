package io.hooksync.outbound;

import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hooksync.infra.outbox.OutboxWriter;
import io.hooksync.infra.sql.SqlDialect;
import io.hooksync.infra.sql.SqlDialect.Column;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.PreparedStatementCreator;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Messages, deliveries and attempts in the engine's database. A delivery is one (endpoint, message)
 * pair; instances claim due deliveries with {@code FOR UPDATE SKIP LOCKED} plus a lease
 * ({@code locked_until}), so two instances never send the same delivery at once and a crashed
 * instance's claims come back when the lease ends. Results are written in batches, one transaction each.
 */
final class DeliveryStore {

    private static final List<Column> MESSAGE_COLUMNS = List.of(Column.text("id"), Column.text("event_type"),
            Column.text("entity_key"), Column.text("payload"), Column.bigint("created_at"));
    private static final List<Column> DELIVERY_COLUMNS = List.of(Column.text("endpoint_id"), Column.text("message_id"),
            Column.text("entity_key"), Column.text("status"), Column.integer("attempts"),
            Column.bigint("next_attempt_at"), Column.bigint("locked_until"), Column.bigint("created_at"),
            Column.bigint("updated_at"));
    private static final List<Column> ATTEMPT_COLUMNS = List.of(Column.text("endpoint_id"), Column.text("message_id"),
            Column.bigint("attempted_at"), Column.text("outcome"), Column.integer("status_code"),
            Column.integer("latency_ms"), Column.text("response_body"), Column.text("error"));
    /** What a result sets on its delivery ({@link ResultBatch#updates}), by id; the claim is released too. */
    private static final List<Column> RESULT_COLUMNS = List.of(Column.text("status"), Column.integer("attempts"),
            Column.bigint("next_attempt_at"), Column.integer("last_status_code"), Column.text("last_error"),
            Column.bigint("updated_at"));
    private static final String RELEASED = "locked_until = 0, locked_by = NULL";
    /**
     * A result is written only to a delivery still under the claim it came from (its lease, {@link ResultBatch#updates}
     * after the id): one resent while its attempt was under way (the resend releases the claim) keeps the fresh
     * schedule the resend gave it, and its next claim, instead of the old attempt's result overwriting them and the
     * resend being lost (seen in DeliveryMariaDbIT on a loaded machine); so does a delivery another instance claimed
     * after this one's lease ran out.
     */
    private static final Column CLAIM = Column.bigint("locked_until");
    /*
     * The statements below name the status as a literal, never a parameter: the indexes they read hold only pending
     * (or only finished, or only failed) deliveries (migration V10), and PostgreSQL uses a partial index only for a
     * query whose own conditions imply the index's. DeliveryHistoryPlanIT checks their plans.
     */
    static final String DUE_ENDPOINTS = "SELECT e.id FROM hooksync_endpoints e WHERE EXISTS (SELECT 1 FROM hooksync_deliveries d"
            + " WHERE d.endpoint_id = e.id AND d.status = 'pending' AND d.next_attempt_at <= ? AND d.locked_until <= ?)";
    /** What {@link #prune} deletes, at most a batch at a time: finished deliveries, attempts, messages without deliveries. */
    static final String PRUNABLE_DELIVERIES = "status <> 'pending' AND updated_at < ?";
    static final String PRUNABLE_ATTEMPTS = "attempted_at < ?";
    static final String PRUNABLE_MESSAGES = "created_at < ? AND NOT EXISTS (SELECT 1 FROM hooksync_deliveries d"
            + " WHERE d.message_id = hooksync_messages.id)";
    static final String RECOVERABLE = "endpoint_id = ? AND status = 'failed' AND created_at >= ?";

    /** Due, unclaimed deliveries of one endpoint, oldest due first (for an ordered endpoint, the oldest of each key). */
    static String claimable(boolean ordered) {
        return "SELECT id, attempts, message_id FROM hooksync_deliveries d"
                + " WHERE endpoint_id = ? AND status = 'pending' AND next_attempt_at <= ? AND locked_until <= ?"
                + (ordered ? " AND NOT EXISTS (SELECT 1 FROM hooksync_deliveries e WHERE e.endpoint_id = d.endpoint_id"
                + " AND e.entity_key = d.entity_key AND e.status = 'pending' AND e.id < d.id)" : "")
                + " ORDER BY next_attempt_at, id LIMIT ? FOR UPDATE SKIP LOCKED";
    }

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final SqlDialect dialect;
    private final OutboxWriter outbox;
    private final ObjectMapper json;

    DeliveryStore(JdbcTemplate jdbc, TransactionTemplate tx, SqlDialect dialect, OutboxWriter outbox, ObjectMapper json) {
        this.json = json;
        this.jdbc = jdbc;
        this.tx = tx;
        this.dialect = dialect;
        this.outbox = outbox;
    }

    /**
     * One polled batch: the messages (once each, whatever the redeliveries) and their deliveries, in one transaction,
     * one statement per table where the database allows (a statement per row cost the dispatcher a round trip each).
     */
    void dispatch(List<Delivery.Message> messages, Map<String, List<String>> endpointsByMessage, long firstAttemptAt, long now) {
        List<Object[]> messageRows = messages.stream().map(m -> new Object[]{m.id(), m.type(), truncate(m.entityKey(), 500),
                m.payload(), m.createdAt()}).toList();
        // in message order: ordered endpoints deliver a key's messages in delivery id order
        List<Object[]> deliveries = new ArrayList<>();
        for (Delivery.Message m : messages) {
            for (String endpoint : endpointsByMessage.getOrDefault(m.id(), List.of())) {
                deliveries.add(new Object[]{endpoint, m.id(), truncate(m.entityKey(), 200), "pending", 0,
                        firstAttemptAt, 0L, now, now});
            }
        }
        tx.executeWithoutResult(status -> jdbc.execute((ConnectionCallback<Void>) c -> {
            dialect.insertRowsIgnoring(c, "hooksync_messages", MESSAGE_COLUMNS, messageRows);
            dialect.insertRowsIgnoring(c, "hooksync_deliveries", DELIVERY_COLUMNS, deliveries);
            return null;
        }));
    }

    /**
     * Endpoints with at least one delivery due at {@code now} and not claimed. Asked per endpoint (an index probe
     * that stops at the first due row), not as a DISTINCT over the deliveries: with a backlog that read every pending
     * row, and under load it ran nearly without pause (136 of 150 samples of the active queries at 1,000 webhooks/s,
     * docs/benchmarks.md). Deliveries of a deleted endpoint are not due: there is nowhere to send them.
     */
    List<String> dueEndpoints(long now) {
        return jdbc.query(planned(DUE_ENDPOINTS, now, now), (rs, n) -> rs.getString(1));
    }

    /**
     * A statement the database plans at each execution ({@link SqlDialect#planEachExecution}): delivered rows pile
     * up in hooksync_deliveries, and a plan made while it was empty would scan them all on every claim.
     */
    private PreparedStatementCreator planned(String sql, Object... args) {
        return connection -> {
            PreparedStatement statement = connection.prepareStatement(sql);
            dialect.planEachExecution(statement);
            for (int i = 0; i < args.length; i++) {
                statement.setObject(i + 1, args[i]);
            }
            return statement;
        };
    }

    /**
     * Claims up to {@code limit} due deliveries of one endpoint until {@code leaseUntil}, oldest due first.
     * For an ordered endpoint only the oldest pending delivery of each entity key qualifies, so a key's
     * next message waits until the one before it is delivered or has failed for good.
     */
    List<Delivery.Claimed> claim(String endpointId, boolean ordered, long now, int limit, String instance, long leaseUntil) {
        return tx.execute(status -> {
            record Picked(long id, int attempts, String messageId) {
            }
            List<Picked> picked = jdbc.query(planned(claimable(ordered), endpointId, now, now, limit),
                    (rs, n) -> new Picked(rs.getLong(1), rs.getInt(2), rs.getString(3)));
            if (picked.isEmpty()) {
                return List.of();
            }
            List<Object> args = new ArrayList<>(List.of(leaseUntil, instance));
            picked.forEach(p -> args.add(p.id()));
            jdbc.update("UPDATE hooksync_deliveries SET locked_until = ?, locked_by = ? WHERE id IN ("
                    + "?, ".repeat(picked.size() - 1) + "?)", args.toArray());
            Map<String, Delivery.Message> messages = messages(picked.stream().map(Picked::messageId).toList());
            return picked.stream().map(p -> new Delivery.Claimed(p.id(), endpointId, messages.get(p.messageId()), p.attempts(),
                    leaseUntil))
                    .toList();
        });
    }

    private Map<String, Delivery.Message> messages(Collection<String> ids) {
        Map<String, Delivery.Message> found = new HashMap<>();
        List<String> distinct = ids.stream().distinct().toList();
        jdbc.query("SELECT id, event_type, entity_key, payload, created_at FROM hooksync_messages WHERE id IN ("
                        + "?, ".repeat(distinct.size() - 1) + "?)",
                rs -> {
                    found.put(rs.getString(1), new Delivery.Message(rs.getString(1), rs.getString(2), rs.getString(3),
                            rs.getString(4), rs.getLong(5)));
                }, distinct.toArray());
        return found;
    }

    /** Operational events ({@code endpoint.disabled}, ...) written by {@link #record}. */
    record Operational(String type, String key, Map<String, Object> data, String causeId) {
    }

    /**
     * Writes a batch of results in one transaction: attempts, delivery states, endpoint health
     * ({@code failing_since}, disabling after 410 or {@code disableAfterMs} of failures) and the
     * operational events that follow, as outbox rows, so they reach subscribers like any other message.
     * Returns the endpoints this batch disabled.
     */
    List<String> record(List<Delivery.Result> results, long disableAfterMs) {
        return tx.execute(status -> {
            ResultBatch batch = ResultBatch.of(results);
            jdbc.execute((ConnectionCallback<Void>) c -> {
                dialect.insertRows(c, "hooksync_attempts", ATTEMPT_COLUMNS, batch.attempts);
                dialect.updateRows(c, "hooksync_deliveries", RESULT_COLUMNS, RELEASED, Column.bigint("id"), CLAIM,
                        batch.updates);
                return null;
            });
            for (String endpoint : batch.succeeded.keySet()) {
                if (!batch.failedAt.containsKey(endpoint)) {
                    jdbc.update("UPDATE hooksync_endpoints SET failing_since = NULL WHERE id = ? AND failing_since IS NOT NULL",
                            endpoint);
                }
            }
            List<String> disabled = disableFailing(batch, disableAfterMs);
            writeOperational(batch.events);
            return disabled;
        });
    }

    /**
     * Marks when each failing endpoint began to fail and disables those that answered 410 or have failed longer
     * than {@code disableAfterMs}, each with an {@code endpoint.disabled} event; returns the endpoints disabled now.
     */
    private List<String> disableFailing(ResultBatch batch, long disableAfterMs) {
        List<String> disabled = new ArrayList<>();
        String failingTooLong = "failing continuously for more than " + java.time.Duration.ofMillis(disableAfterMs);
        for (Map.Entry<String, Long> failure : batch.failedAt.entrySet()) {
            String endpoint = failure.getKey();
            long at = failure.getValue();
            jdbc.update("UPDATE hooksync_endpoints SET failing_since = ? WHERE id = ? AND failing_since IS NULL", at, endpoint);
            String reason = batch.gone.get(endpoint);
            int changed = reason != null
                    ? jdbc.update("UPDATE hooksync_endpoints SET enabled = ?, disabled_reason = ?, updated_at = ?"
                    + " WHERE id = ? AND enabled = ?", false, reason, at, endpoint, true)
                    : jdbc.update("UPDATE hooksync_endpoints SET enabled = ?, disabled_reason = ?, updated_at = ?"
                            + " WHERE id = ? AND enabled = ? AND failing_since <= ?", false, failingTooLong, at,
                    endpoint, true, at - disableAfterMs);
            if (changed == 1) {
                disabled.add(endpoint);
                Map<String, Object> data = new LinkedHashMap<>();
                data.put("endpointId", endpoint);
                data.put("reason", reason != null ? reason : failingTooLong);
                batch.events.add(new Operational("endpoint.disabled", endpoint, data, endpoint + ":" + at));
            }
        }
        return disabled;
    }

    private void writeOperational(List<Operational> events) {
        if (events.isEmpty()) {
            return;
        }
        List<OutboxWriter.Row> rows = events.stream().map(e -> new OutboxWriter.Row(e.type(), truncate(e.key(), 500),
                json(e.data()), "hooksync", truncate(e.causeId(), 256))).toList();
        jdbc.execute((ConnectionCallback<Void>) c -> {
            outbox.write(c, rows);
            return null;
        });
    }

    /** Gives back what this instance claimed and did not finish (at shutdown), so another instance need not wait for the lease. */
    int release(String instance) {
        return jdbc.update("UPDATE hooksync_deliveries SET locked_until = 0, locked_by = NULL WHERE locked_by = ?"
                + " AND status = 'pending'", instance);
    }

    /** A message created here rather than from the topic (a test event), delivered to one endpoint. */
    void insertDirect(Delivery.Message message, String endpointId, long now) {
        dispatch(List.of(message), Map.of(message.id(), List.of(endpointId)), now, now);
    }

    /** Sends a message again to an endpoint now (creating the delivery if the endpoint did not exist when it came). */
    boolean resend(String endpointId, String messageId, long now) {
        return Boolean.TRUE.equals(tx.execute(status -> {
            Integer exists = jdbc.queryForObject("SELECT COUNT(*) FROM hooksync_messages WHERE id = ?", Integer.class, messageId);
            if (exists == null || exists == 0) {
                return false;
            }
            // releases a claim too: an attempt under way does not overwrite this schedule with its result (CLAIM)
            int changed = jdbc.update("UPDATE hooksync_deliveries SET status = 'pending', next_attempt_at = ?, attempts = 0,"
                    + " updated_at = ?, " + RELEASED + " WHERE endpoint_id = ? AND message_id = ?", now, now, endpointId,
                    messageId);
            if (changed == 0) {
                String key = jdbc.queryForObject("SELECT entity_key FROM hooksync_messages WHERE id = ?", String.class,
                        messageId);
                List<Object[]> delivery = List.<Object[]>of(new Object[]{endpointId, messageId, truncate(key, 200),
                        "pending", 0, now, 0L, now, now});
                jdbc.execute((ConnectionCallback<Void>) c -> {
                    dialect.insertRowsIgnoring(c, "hooksync_deliveries", DELIVERY_COLUMNS, delivery);
                    return null;
                });
            }
            return true;
        }));
    }

    /** Every failed delivery of an endpoint created since {@code since} gets a fresh schedule, starting now. */
    int recover(String endpointId, long since, long now) {
        return jdbc.update("UPDATE hooksync_deliveries SET status = 'pending', next_attempt_at = ?, attempts = 0, updated_at = ?"
                + " WHERE " + RECOVERABLE, now, now, endpointId, since);
    }

    /**
     * Deletes at most {@code batch} rows per table that are older than {@code before}: attempts, finished
     * deliveries, messages no delivery refers to any more, and outbox rows written before it and relayed since (a
     * row still queued for the relay stays, however old). Small batches in short transactions, so pruning never holds long locks; returns
     * how many rows went.
     */
    int prune(long before, int batch) {
        return delete("hooksync_attempts", PRUNABLE_ATTEMPTS, before, batch)
                + delete("hooksync_deliveries", PRUNABLE_DELIVERIES, before, batch)
                + delete("hooksync_messages", PRUNABLE_MESSAGES, before, batch)
                + outbox.pruneRelayed(jdbc, before, batch);
    }

    private int delete(String table, String condition, long before, int batch) {
        return jdbc.update(dialect.deleteAtMost(table, condition), before, batch);
    }

    static String truncate(String text, int max) {
        return text == null || text.length() <= max ? text : text.substring(0, max);
    }

    private String json(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
