package io.hooksync.infra.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded PostgreSQL keeps data across restarts and replaces a server left over by a killed JVM. */
class EmbeddedPostgresServerIT {

    @TempDir
    Path dataDir;

    @BeforeAll
    static void quietLogs() {
        TestLogs.quiet();
    }

    /** Never leave a postmaster behind, whatever failed. */
    @AfterEach
    void stopLeftovers() throws Exception {
        StalePostmaster.stopIfRunning(dataDir.resolve("postgres"));
    }

    @Test
    void logicalWalAndDataSurviveRestart() throws Exception {
        try (EmbeddedPostgresServer server = new EmbeddedPostgresServer(dataDir, 0).start()) {
            assertThat(server.jdbcUrl()).startsWith("jdbc:postgresql://127.0.0.1:").endsWith("/postgres");
            assertThat(query(server, "SHOW wal_level")).isEqualTo("logical");
            assertThat(query(server, "SHOW max_replication_slots")).isEqualTo("10");
            assertThat(query(server, "SHOW listen_addresses")).isEqualTo("127.0.0.1");
            assertThat(query(server, "SHOW fsync")).isEqualTo("on");
            assertThat(query(server, "SHOW synchronous_commit")).isEqualTo("on");
            execute(server, "CREATE TABLE survivor (id int PRIMARY KEY, note text)");
            execute(server, "INSERT INTO survivor VALUES (1, 'kept')");
        }
        assertThat(dataDir.resolve("postgres/postmaster.pid")).doesNotExist();
        try (EmbeddedPostgresServer server = new EmbeddedPostgresServer(dataDir, 0).start()) {
            assertThat(query(server, "SELECT note FROM survivor WHERE id = 1")).isEqualTo("kept");
        }
    }

    @Test
    void stopsServerLeftByKilledJvm() throws Exception {
        ProcessHandle stale;
        try (ChildJvm child = new ChildJvm(StalePostgresMain.class, dataDir.toString())) {
            child.awaitReady();
            long pid = Long.parseLong(Files.readAllLines(dataDir.resolve("postgres/postmaster.pid")).get(0).trim());
            stale = ProcessHandle.of(pid).orElseThrow();
        }
        assertThat(StalePostmaster.running(stale)).as("postmaster outlives the SIGKILLed JVM").isTrue();

        ListAppender<ILoggingEvent> logs = TestLogs.capture(StalePostmaster.class);
        try (EmbeddedPostgresServer server = new EmbeddedPostgresServer(dataDir, 0).start()) {
            assertThat(StalePostmaster.running(stale)).as("stale postmaster is gone (or an unreaped zombie)").isFalse();
            assertThat(query(server, "SELECT note FROM survivor WHERE id = 1")).isEqualTo("written before SIGKILL");
            long pid = Long.parseLong(Files.readAllLines(dataDir.resolve("postgres/postmaster.pid")).get(0).trim());
            assertThat(pid).isNotEqualTo(stale.pid());
        } finally {
            TestLogs.release(StalePostmaster.class, logs);
        }
        assertThat(logs.list).filteredOn(event -> event.getLevel() == Level.WARN)
                .singleElement()
                .satisfies(event -> assertThat(event.getFormattedMessage())
                        .contains("pid " + stale.pid()).contains("left running"));
    }

    private static String query(EmbeddedPostgresServer server, String sql) throws Exception {
        try (Connection connection = server.dataSource().getConnection();
             Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery(sql)) {
            assertThat(result.next()).isTrue();
            return result.getString(1);
        }
    }

    private static void execute(EmbeddedPostgresServer server, String sql) throws Exception {
        try (Connection connection = server.dataSource().getConnection();
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
