package io.hooksync.outbound;

import static io.hooksync.outbound.DeliveryHistoryPlanIT.CUTOFF;
import static io.hooksync.outbound.DeliveryHistoryPlanIT.NOW;
import static io.hooksync.outbound.DeliveryHistoryPlanIT.withLiterals;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.hooksync.infra.outbox.OutboxWriter;
import io.hooksync.infra.sql.SqlDialect;
import io.hooksync.support.ExternalDatabases;
import io.hooksync.support.UsesMariaDb;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * On MariaDB too the pruner's statements and one message's deliveries use an index, not a scan of the history
 * (see {@link DeliveryHistoryPlanIT}): EXPLAIN names the key each table is read by, and {@code ALL} for a full scan.
 */
@UsesMariaDb
class DeliveryHistoryPlanMariaDbIT {

    private static JdbcTemplate jdbc;

    @BeforeAll
    static void history() {
        jdbc = new JdbcTemplate(ExternalDatabases.migrated(new DriverManagerDataSource(
                ExternalDatabases.freshMariaDb("hooksync_delivery_history_plan_it"), "root", ""), "mariadb"));
        jdbc.execute("INSERT INTO hooksync_messages (id, event_type, entity_key, payload, created_at)"
                + " SELECT concat('msg_', seq), 'issue.synced', concat('github_issues:', seq % 5000), '{}',"
                + " IF(seq <= 50, " + (CUTOFF - 60_000) + ", " + NOW + " - seq) FROM seq_1_to_20000");
        jdbc.execute("INSERT INTO hooksync_deliveries (endpoint_id, message_id, entity_key, status, attempts, next_attempt_at,"
                + " locked_until, created_at, updated_at)"
                + " SELECT IF(seq % 2 = 0, 'ep_a', 'ep_b'), m.id, m.entity_key,"
                + " IF(seq > 19500, 'pending', IF(seq > 19000, 'failed', 'delivered')), 1, " + NOW + ", 0, m.created_at,"
                + " m.created_at FROM seq_1_to_20000 JOIN hooksync_messages m ON m.id = concat('msg_', seq)");
        jdbc.execute("INSERT INTO hooksync_attempts (endpoint_id, message_id, attempted_at, outcome, status_code, latency_ms)"
                + " SELECT endpoint_id, message_id, updated_at, 'delivered', 200, 3 FROM hooksync_deliveries");
        // outbox rows of the same messages, 10 still queued for the relay
        jdbc.execute("INSERT INTO hooksync_outbox (event_type, entity_key, payload, source, source_event_id, created_at,"
                + " writer_version) SELECT event_type, entity_key, '{}', 'github', concat('e', id),"
                + " FROM_UNIXTIME(created_at / 1000), 2"
                + " FROM hooksync_messages ORDER BY created_at");
        jdbc.execute("INSERT INTO hooksync_outbox_queue (outbox_id) SELECT id FROM hooksync_outbox ORDER BY id DESC LIMIT 10");
        jdbc.execute("ANALYZE TABLE hooksync_messages, hooksync_deliveries, hooksync_attempts, hooksync_outbox,"
                + " hooksync_outbox_queue");
    }

    @Test
    void thePrunerAndTheTimelineReadTheHistoryByIndex() {
        SqlDialect mariadb = SqlDialect.of("mariadb");
        assertThat(keys(mariadb.deleteAtMost("hooksync_deliveries", DeliveryStore.PRUNABLE_DELIVERIES), CUTOFF, 1000))
                .containsEntry("hooksync_deliveries", "hooksync_deliveries_finished");
        assertThat(keys(mariadb.deleteAtMost("hooksync_attempts", DeliveryStore.PRUNABLE_ATTEMPTS), CUTOFF, 1000))
                .containsEntry("hooksync_attempts", "hooksync_attempts_attempted");
        assertThat(keys(mariadb.deleteAtMost("hooksync_messages", DeliveryStore.PRUNABLE_MESSAGES), CUTOFF, 1000))
                .containsEntry("hooksync_messages", "hooksync_messages_created")
                .containsEntry("d", "hooksync_deliveries_message_endpoint");
        assertThat(keys(mariadb.deleteAtMost("hooksync_outbox", OutboxWriter.PRUNABLE),
                java.time.LocalDateTime.ofEpochSecond(CUTOFF / 1000, 0, java.time.ZoneOffset.UTC).toString(), 1000))
                .containsEntry("hooksync_outbox", "hooksync_outbox_created").containsEntry("q", "PRIMARY");
        assertThat(keys("SELECT endpoint_id, status FROM hooksync_deliveries WHERE message_id = ? ORDER BY id", "msg_19999"))
                .containsEntry("hooksync_deliveries", "hooksync_deliveries_message_endpoint");
    }

    /** Table (or alias) -> the key EXPLAIN says it is read by ({@code ALL} for a full scan). */
    private static Map<String, String> keys(String sql, Object... args) {
        List<Map<String, Object>> rows = jdbc.queryForList("EXPLAIN " + withLiterals(sql, args));
        Map<String, String> keys = new LinkedHashMap<>();
        rows.forEach(row -> keys.put(String.valueOf(row.get("table")),
                "ALL".equals(row.get("type")) ? "ALL" : String.valueOf(row.get("key"))));
        return keys;
    }
}
