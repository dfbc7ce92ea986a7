package io.hooksync.crash;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import io.hooksync.support.Await;
import io.hooksync.support.EngineProcess;
import io.hooksync.support.LogicalPostgres;
import io.hooksync.support.TestData;
import org.junit.jupiter.api.Test;

/**
 * Guarantee: a change committed in the source database takes effect once, even when the engine is
 * SIGKILLed while changes stream (Debezium's offset and the sink's Kafka offsets both lag behind what
 * was done, so changes are replayed and the ledger must absorb them). The packaged engine runs the
 * shipped CDC example against a throw-away PostgreSQL that keeps running while the engine is dead.
 */
class CdcKillIT {

    private static final int ROWS = 1_500;
    private static final int UPDATED = ROWS / 5;
    /** The sentinel row (snapshot or create) + the inserts + the renames. */
    private static final long CHANGES = 1 + ROWS + UPDATED;

    @Test
    void killedMidStreamEveryChangeArrivesOnce() throws Exception {
        try (LogicalPostgres postgres = LogicalPostgres.start("logical")) {
            LogicalPostgres.sql(postgres.url("postgres"), "CREATE DATABASE hooksync");
            String url = postgres.url("hooksync");
            LogicalPostgres.sql(url, "CREATE TABLE customers (id bigint PRIMARY KEY, name text, email text, "
                    + "updated_at timestamp)");
            Path routes = Files.createDirectories(TestData.directory("cdc-kill-routes"));
            Files.copy(Path.of("routes/cdc-customers.yaml"), routes.resolve("cdc-customers.yaml"));
            try (EngineProcess engine = EngineProcess.builder("cdc-kill").routesDir(routes.toString())
                    .arg("--spring.datasource.url=" + url).arg("--spring.datasource.username=postgres")
                    .arg("--HOOKSYNC_CDC_CRM_ENABLED=true").arg("--hooksync.cdc.sources.crm.heartbeat=1s").start()) {
                // the initial snapshot reads rows as they are, not their history: start changing rows only once
                // the snapshot is done, i.e. once the sentinel row (snapshotted or streamed) has arrived
                LogicalPostgres.sql(url, "INSERT INTO customers VALUES (0, 'sentinel', null, now())");
                Await.until(Duration.ofSeconds(180), () -> crmRows(url), n -> n >= 1);
                CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> write(url));
                Await.until(Duration.ofSeconds(180), () -> crmRows(url), n -> n >= ROWS / 4);
                engine.kill();
                writer.get();   // the rest changes while the engine is dead
                engine.start();
                Await.until(Duration.ofSeconds(240), () -> ledgerRows(url), n -> n >= CHANGES);
                Thread.sleep(3000);   // a late replay would land now
                assertThat(ledgerRows(url)).as("ledger rows = distinct changes").isEqualTo(CHANGES);
                assertThat(LogicalPostgres.count(url, "SELECT count(*) FROM hooksync_outbox")).isEqualTo(CHANGES);
                assertThat(LogicalPostgres.count(url, "SELECT count(DISTINCT source_event_id) FROM hooksync_outbox"))
                        .isEqualTo(CHANGES);
                assertThat(LogicalPostgres.count(url, "SELECT count(*) FROM hooksync_outbox "
                        + "WHERE event_type = 'customer.updated'")).isEqualTo(UPDATED);
                assertThat(LogicalPostgres.count(url, "SELECT count(*) FROM crm_customers c JOIN customers s "
                        + "USING (id) WHERE c.name = s.name AND NOT c._hooksync_deleted")).isEqualTo(ROWS + 1);
            } finally {
                TestData.delete(routes);
            }
        }
    }

    /** ROWS inserts in transactions of 10, every fifth row renamed in a later transaction. */
    private static void write(String url) {
        try (Connection c = DriverManager.getConnection(url, "postgres", ""); Statement s = c.createStatement()) {
            for (int first = 1; first <= ROWS; first += 10) {
                s.execute("INSERT INTO customers SELECT i, 'customer ' || i, i || '@example.com', now() "
                        + "FROM generate_series(" + first + ", " + (first + 9) + ") i");
                s.execute("UPDATE customers SET name = name || ' (renamed)' WHERE id BETWEEN " + first + " AND "
                        + (first + 9) + " AND id % 5 = 0");
                Thread.sleep(5);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static long crmRows(String url) {
        try {
            return LogicalPostgres.count(url, "SELECT count(*) FROM crm_customers");
        } catch (SQLException e) {
            return 0;   // the table appears when the engine starts
        }
    }

    private static long ledgerRows(String url) {
        try {
            return LogicalPostgres.count(url, "SELECT count(*) FROM hooksync_ledger WHERE consumer = 'cdc-customers'");
        } catch (SQLException e) {
            return 0;
        }
    }
}
