package io.hooksync.outbound;

import static org.assertj.core.api.Assertions.assertThat;

import io.hooksync.infra.outbox.OutboxWriter;
import io.hooksync.infra.sql.SqlDialect;
import io.hooksync.support.ExternalDatabases;
import io.hooksync.support.UsesPostgres;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * The delivery statements read indexes, not the history, as the history is in steady state: many finished deliveries
 * and attempts, a few pending, failed and old ones (40,000 deliveries, 50 older than the retention). Before migration
 * V10 the pruner's statements for attempts and deliveries read every row once a minute (320 ms per table per pass at
 * 200,000 rows, on the recorder's thread), and one message's deliveries (the event timeline) were a scan too.
 */
@UsesPostgres
class DeliveryHistoryPlanIT {

    /** The clock of the data: rows are created up to {@code NOW}, those before {@code CUTOFF} are past the retention. */
    static final long NOW = 1_800_000_000_000L;
    static final long CUTOFF = NOW - 14L * 86_400_000;
    private static JdbcTemplate jdbc;

    @BeforeAll
    static void history() {
        jdbc = new JdbcTemplate(ExternalDatabases.migrated(new DriverManagerDataSource(
                ExternalDatabases.freshPostgres("hooksync_delivery_history_plan_it"), "postgres", ""), "postgresql"));
        jdbc.execute("INSERT INTO hooksync_endpoints (id, url, event_types, headers, secret, enabled, ordered, managed_by,"
                + " created_at, updated_at) VALUES ('ep_a', 'http://127.0.0.1/a', '*', '{}', 's', true, false, 'api', 0, 0),"
                + " ('ep_b', 'http://127.0.0.1/b', '*', '{}', 's', true, true, 'api', 0, 0)");
        // rows 1..50 are older than the retention; 39,000 delivered, 500 pending, 500 failed (of two endpoints)
        jdbc.execute("INSERT INTO hooksync_messages (id, event_type, entity_key, payload, created_at)"
                + " SELECT 'msg_' || g, 'issue.synced', 'github_issues:' || (g % 5000), '{}',"
                + " CASE WHEN g <= 50 THEN " + (CUTOFF - 60_000) + " ELSE " + NOW + " - g END FROM generate_series(1, 40000) g");
        jdbc.execute("INSERT INTO hooksync_deliveries (endpoint_id, message_id, entity_key, status, attempts, next_attempt_at,"
                + " locked_until, created_at, updated_at)"
                + " SELECT CASE WHEN g % 2 = 0 THEN 'ep_a' ELSE 'ep_b' END, 'msg_' || g, 'github_issues:' || (g % 5000),"
                + " CASE WHEN g > 39500 THEN 'pending' WHEN g > 39000 THEN 'failed' ELSE 'delivered' END, 1, " + NOW + ", 0,"
                + " m.created_at, m.created_at FROM generate_series(1, 40000) g JOIN hooksync_messages m ON m.id = 'msg_' || g");
        jdbc.execute("INSERT INTO hooksync_attempts (endpoint_id, message_id, attempted_at, outcome, status_code, latency_ms)"
                + " SELECT endpoint_id, message_id, updated_at, 'delivered', 200, 3 FROM hooksync_deliveries");
        // outbox rows of the same messages, 10 still queued for the relay
        jdbc.execute("INSERT INTO hooksync_outbox (event_type, entity_key, payload, source, source_event_id, created_at,"
                + " writer_version) SELECT event_type, entity_key, '{}', 'github', 'e' || id, to_timestamp(created_at / 1000.0), 2"
                + " FROM hooksync_messages ORDER BY created_at");
        jdbc.execute("INSERT INTO hooksync_outbox_queue (outbox_id) SELECT id FROM hooksync_outbox ORDER BY id DESC LIMIT 10");
        jdbc.execute("ANALYZE");
    }

    @Test
    void thePrunerFindsOldHistoryByIndex() {
        SqlDialect postgres = SqlDialect.of("postgresql");
        assertThat(plan(postgres.deleteAtMost("hooksync_deliveries", DeliveryStore.PRUNABLE_DELIVERIES), CUTOFF, 1000))
                .contains("hooksync_deliveries_finished").doesNotContain("Seq Scan");
        assertThat(plan(postgres.deleteAtMost("hooksync_attempts", DeliveryStore.PRUNABLE_ATTEMPTS), CUTOFF, 1000))
                .contains("hooksync_attempts_attempted").doesNotContain("Seq Scan");
        assertThat(plan(postgres.deleteAtMost("hooksync_messages", DeliveryStore.PRUNABLE_MESSAGES), CUTOFF, 1000))
                .contains("hooksync_messages_created").contains("hooksync_deliveries_message_endpoint")
                .doesNotContain("Seq Scan");
        assertThat(plan(postgres.deleteAtMost("hooksync_outbox", OutboxWriter.PRUNABLE),
                java.time.Instant.ofEpochMilli(CUTOFF).toString(), 1000))
                // the outbox by its created_at index; the queue holds only what waits for the relay (read whole or by key)
                .contains("Index Scan using hooksync_outbox_created").doesNotContainPattern("Seq Scan on hooksync_outbox(?!_queue)");
    }

    @Test
    void claimsAndDueEndpointsReadOnlyThePendingDeliveries() {
        assertThat(plan(DeliveryStore.claimable(false), "ep_a", NOW, NOW, 68))
                .contains("hooksync_deliveries_due").doesNotContain("Seq Scan");
        assertThat(plan(DeliveryStore.claimable(true), "ep_a", NOW, NOW, 68))
                .contains("hooksync_deliveries_due").contains("hooksync_deliveries_key").doesNotContain("Seq Scan");
        // a probe per endpoint that stops at its first due row, in either index of pending deliveries (both lead
        // with the endpoint); a bitmap scan would visit every pending row of the endpoint at each poll
        assertThat(plan(DeliveryStore.DUE_ENDPOINTS, NOW, NOW))
                .containsAnyOf("Index Scan using hooksync_deliveries_due", "Index Scan using hooksync_deliveries_key")
                .doesNotContain("Seq Scan on hooksync_deliveries").doesNotContain("Bitmap");
    }

    @Test
    void recoverAndTheDeliveriesOfOneMessageAreLookups() {
        assertThat(plan("SELECT id FROM hooksync_deliveries WHERE " + DeliveryStore.RECOVERABLE, "ep_a", CUTOFF))
                .contains("hooksync_deliveries_failed").doesNotContain("Seq Scan");
        // the event timeline's statement (TimelineQueries, another package: the tables are the contract)
        assertThat(plan("SELECT endpoint_id, status, attempts, last_status_code, last_error FROM hooksync_deliveries"
                + " WHERE message_id = ? ORDER BY id", "msg_39999"))
                .contains("hooksync_deliveries_message_endpoint").doesNotContain("Seq Scan");
    }

    /** The planner's plan (EXPLAIN, not run) for {@code sql} with its parameters written in as literals. */
    private static String plan(String sql, Object... args) {
        return String.join("\n", jdbc.queryForList("EXPLAIN " + withLiterals(sql, args), String.class));
    }

    /**
     * {@code sql} with each {@code ?} replaced by the next argument as a literal: the planner then sees the values, as it
     * does for the engine's statements, which are planned at each execution ({@code SqlDialect.planEachExecution}).
     */
    static String withLiterals(String sql, Object... args) {
        String literal = sql;
        for (Object arg : args) {
            String value = arg instanceof String text ? "'" + text + "'" : String.valueOf(arg);
            literal = literal.replaceFirst("\\?", value);
        }
        return literal;
    }
}
