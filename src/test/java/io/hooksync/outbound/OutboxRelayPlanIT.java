package io.hooksync.outbound;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import io.hooksync.infra.sql.SqlDialect;
import io.hooksync.support.ExternalDatabases;
import io.hooksync.support.UsesPostgres;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * The relay's statement on PostgreSQL ({@link OutboxRelay#TAKE_QUEUED}) reads its batch, not the history, seen from the
 * server with EXPLAIN ANALYZE in the relay's transaction settings: the queue's primary key in order, stopping at the
 * limit, the entries deleted by their address, and each taken row's outbox row by its key. With {@code IN (subquery)}
 * the delete hashed the batch and read the queue's whole heap, a drain's dead entries included (failed here). Before the queue (migration V11) the relay found its batch in the
 * outbox itself, and each planner mistake read the history: 700 ms per batch when it walked the outbox's primary key
 * from the first row ever written, 350 ms when a bitmap scan visited the heap page of every entry left by rows relayed
 * since the last vacuum (docs/benchmarks.md, issue 15).
 */
@UsesPostgres
class OutboxRelayPlanIT {

    /** Two drains' batches written and taken with no vacuum between; 10 rows queued among about 200,000 written. */
    @Test
    void theRelayReadsItsBatchWhateverTheOutboxHistory() throws Exception {
        String plan = relayPlan("hooksync_outbox_plan_it", 10);
        assertThat(plan).contains("Index Scan using hooksync_outbox_queue_pkey").contains("Tid Scan on hooksync_outbox_queue")
                .contains("Index Scan using hooksync_outbox_pkey")
                .doesNotContain("Seq Scan").doesNotContain("Bitmap").doesNotContain("Sort").contains("rows=10 loops");
    }

    /**
     * Statistics taken while 200 rows were queued, then 100,000 more written and taken 500 at a time (a drain), 600
     * queued: the estimate is below the batch limit, which made the old relay collect and sort; the queue's key is
     * read in order and the scan stops at 500.
     */
    @Test
    void theRelayReadsTheQueueInOrderWhenTheStatisticsPromiseFewerRowsThanItsLimit() throws Exception {
        String plan = relayPlan("hooksync_outbox_order_it", 600);
        assertThat(plan).contains("Index Scan using hooksync_outbox_queue_pkey").contains("Tid Scan on hooksync_outbox_queue")
                .contains("Index Scan using hooksync_outbox_pkey").doesNotContain("Seq Scan")
                .doesNotContain("Bitmap").doesNotContain("Sort").contains("rows=500 loops");
    }

    /**
     * EXPLAIN ANALYZE of the relay's statement (LIMIT 500) in its transaction settings, rolled back, after two drains
     * of 100,000 rows (statistics taken between them with 200 queued) and {@code queued} rows written last.
     */
    private static String relayPlan(String database, int queued) throws Exception {
        DriverManagerDataSource ds = ExternalDatabases.migrated(new DriverManagerDataSource(
                ExternalDatabases.freshPostgres(database), "postgres", ""), "postgresql");
        JdbcTemplate jdbc = new JdbcTemplate(ds);
        jdbc.execute("ALTER TABLE hooksync_outbox_queue SET (autovacuum_enabled = false)");   // dead entries stay
        jdbc.execute("ALTER TABLE hooksync_outbox SET (autovacuum_enabled = false)");
        String write = "WITH written AS (INSERT INTO hooksync_outbox (event_type, entity_key, payload, source,"
                + " source_event_id, writer_version) SELECT 'issue.synced', 'k' || g, repeat('x', 200), 'github', 'e' || g, 2"
                + " FROM generate_series(1, %d) g RETURNING id) INSERT INTO hooksync_outbox_queue SELECT id FROM written";
        String drain = "DO $$ BEGIN FOR i IN 1..200 LOOP " + write.formatted(500) + ";"
                + " DELETE FROM hooksync_outbox_queue WHERE outbox_id IN (SELECT outbox_id FROM hooksync_outbox_queue"
                + " ORDER BY outbox_id LIMIT 500); END LOOP; END $$";
        jdbc.execute(drain);
        jdbc.execute(write.formatted(200));
        jdbc.execute("ANALYZE hooksync_outbox_queue");
        jdbc.execute("ANALYZE hooksync_outbox");
        jdbc.execute(drain);
        jdbc.execute("DELETE FROM hooksync_outbox_queue");
        jdbc.execute(write.formatted(queued));

        try (Connection c = ds.getConnection(); Statement explain = c.createStatement()) {
            c.setAutoCommit(false);
            SqlDialect.of("postgresql").readQueuesInIndexOrder(c);
            List<String> lines = new ArrayList<>();
            try (ResultSet rs = explain.executeQuery("EXPLAIN (ANALYZE) "
                    + OutboxRelay.TAKE_QUEUED.replace("LIMIT ?", "LIMIT 500"))) {
                while (rs.next()) {
                    lines.add(rs.getString(1));
                }
            }
            c.rollback();
            return String.join("\n", lines);
        }
    }
}
