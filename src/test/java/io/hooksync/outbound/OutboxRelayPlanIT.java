package io.hooksync.outbound;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.hooksync.infra.sql.SqlDialect;
import io.hooksync.support.ExternalDatabases;
import io.hooksync.support.UsesPostgres;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * The relay's batch query reads the pending rows, not the history: with 40,000 outbox rows of which 10 are pending,
 * and statistics taken while 5% were pending (as after any burst, until the next ANALYZE), PostgreSQL walked the
 * primary key from the first row and filtered out every relayed one (22 ms here, 700 ms with 200,000 rows in the sink
 * benchmark). Seen from the server with EXPLAIN ANALYZE of the relay's own statement.
 */
@UsesPostgres
class OutboxRelayPlanIT {

    private static final Pattern REMOVED = Pattern.compile("Rows Removed by Filter: (\\d+)");

    @Test
    void theRelayReadsThePendingRowsWhateverTheHistoryAndTheStatistics() {
        DriverManagerDataSource ds = ExternalDatabases.migrated(new DriverManagerDataSource(
                ExternalDatabases.freshPostgres("hooksync_outbox_plan_it"), "postgres", ""), "postgresql");
        JdbcTemplate jdbc = new JdbcTemplate(ds);
        jdbc.execute("INSERT INTO hooksync_outbox (event_type, entity_key, payload, source, source_event_id, relayed_at)"
                + " SELECT 'issue.synced', 'k' || g, repeat('x', 300), 'github', 'e' || g,"
                + " CASE WHEN g <= 38000 THEN now() END FROM generate_series(1, 40000) g");
        jdbc.execute("ANALYZE hooksync_outbox");
        jdbc.update("UPDATE hooksync_outbox SET relayed_at = now() WHERE id <= 39990 AND relayed_at IS NULL");

        List<String> plan = jdbc.queryForList("EXPLAIN (ANALYZE, BUFFERS) "
                + OutboxRelay.PENDING.replace("LIMIT ?", "LIMIT 500"), String.class);
        long removed = 0;
        for (String line : plan) {
            Matcher m = REMOVED.matcher(line);
            if (m.find()) {
                removed += Long.parseLong(m.group(1));
            }
        }
        assertThat(removed).as(String.join("\n", plan)).isLessThan(100);
        assertThat(String.join("\n", plan)).contains("rows=10 loops");
    }

    /**
     * Statistics taken while 200 rows were pending of 100,000, then 100,000 more rows relayed 500 at a time with no
     * vacuum between (a drain), 600 pending: the estimate (about 400) is below the batch limit, and PostgreSQL
     * collected the pending rows with the (relayed_at, id) index or a bitmap scan (in the sink benchmark: every dead
     * entry's heap page visited at each batch, 350 ms) and sorted them. In the relay's transaction it reads the
     * partial index in order and stops at the limit.
     */
    @Test
    void theRelayReadsTheIndexInOrderWhenTheStatisticsPromiseFewerRowsThanItsLimit() throws Exception {
        String plan = relayPlanAfterADrain("hooksync_outbox_order_it", OutboxRelay.PENDING);
        assertThat(plan).contains("Index Scan using hooksync_outbox_unrelayed").doesNotContain("Bitmap")
                .doesNotContain("Sort").contains("rows=500 loops");
    }

    /**
     * The statement that locks, marks and returns a batch in one (PostgreSQL's relay) in the same state: its batch
     * comes from the partial index in order, and it updates those rows by key, never scanning the outbox's history
     * (a hash join over a sequential scan would read every relayed row at each batch).
     */
    @Test
    void theRelaysMarkingStatementReadsTheIndexInOrderAndUpdatesItsBatchByKey() throws Exception {
        String plan = relayPlanAfterADrain("hooksync_outbox_mark_it", OutboxRelay.MARK_PENDING);
        assertThat(plan).contains("Index Scan using hooksync_outbox_unrelayed").contains("hooksync_outbox_pkey")
                .doesNotContain("Seq Scan").doesNotContain("Bitmap").doesNotContain("Sort")
                .contains("rows=500 loops");
    }

    /** EXPLAIN ANALYZE of {@code sql} (LIMIT 500) in the relay's transaction settings, rolled back, after a drain. */
    private static String relayPlanAfterADrain(String database, String sql) throws Exception {
        DriverManagerDataSource ds = ExternalDatabases.migrated(new DriverManagerDataSource(
                ExternalDatabases.freshPostgres(database), "postgres", ""), "postgresql");
        JdbcTemplate jdbc = new JdbcTemplate(ds);
        jdbc.execute("ALTER TABLE hooksync_outbox SET (autovacuum_enabled = false)");   // dead entries stay, as in a drain
        String pending = "INSERT INTO hooksync_outbox (event_type, entity_key, payload, source, source_event_id)"
                + " SELECT 'issue.synced', 'k' || g, repeat('x', 200), 'github', 'e' || g FROM generate_series(1, %d) g";
        String relayRounds = "DO $$ BEGIN FOR i IN 1..200 LOOP " + pending.formatted(500) + ";"
                + " UPDATE hooksync_outbox SET relayed_at = now() WHERE id IN (SELECT id FROM hooksync_outbox"
                + " WHERE relayed_at IS NULL ORDER BY id LIMIT 500); END LOOP; END $$";
        jdbc.execute(relayRounds);
        jdbc.execute(pending.formatted(200));
        jdbc.execute("ANALYZE hooksync_outbox");
        jdbc.execute(relayRounds);
        jdbc.execute(pending.formatted(600));

        String plan;
        try (Connection c = ds.getConnection(); Statement explain = c.createStatement()) {
            c.setAutoCommit(false);
            SqlDialect.of("postgresql").readQueuesInIndexOrder(c);
            List<String> lines = new ArrayList<>();
            try (ResultSet rs = explain.executeQuery("EXPLAIN (ANALYZE) " + sql.replace("LIMIT ?", "LIMIT 500"))) {
                while (rs.next()) {
                    lines.add(rs.getString(1));
                }
            }
            c.rollback();
            plan = String.join("\n", lines);
        }
        return plan;
    }
}
