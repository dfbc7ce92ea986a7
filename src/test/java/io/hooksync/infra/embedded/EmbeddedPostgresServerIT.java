package io.hooksync.infra.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Properties;
import io.hooksync.infra.InvalidConfigurationException;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.postgresql.PGConnection;
import org.postgresql.PGProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded PostgreSQL keeps data across restarts, replaces a server left over by a killed JVM, and
 * accepts only its generated password, also on a data directory made before there was one.
 */
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

    /**
     * A port another server holds is a configuration problem naming the setting. Before, zonky's readiness check
     * reached whatever answered there and the engine went on with that server's database (a developer's own
     * PostgreSQL on 5432 got the engine's tables).
     */
    @Test
    void aPortInUseIsAProblemNamingTheSettingNotAnotherServersDatabase() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            assertThatThrownBy(() -> new EmbeddedPostgresServer(dataDir, port).start())
                    .isInstanceOf(InvalidConfigurationException.class)
                    .hasMessageContaining("hooksync.database.embedded.port: port " + port + " on 127.0.0.1 is in use");
        }
        assertThat(dataDir.resolve("postgres/postmaster.pid")).doesNotExist();
    }

    /** The check that the answering server is this one resolves links: a data directory under a link still starts. */
    @Test
    void aDataDirectoryReachedThroughASymbolicLinkStarts() throws Exception {
        Path link = Files.createSymbolicLink(dataDir.resolve("link"), Files.createDirectories(dataDir.resolve("real")));
        try (EmbeddedPostgresServer server = new EmbeddedPostgresServer(link, 0).start()) {
            assertThat(query(server, "SHOW wal_level")).isEqualTo("logical");
        } finally {
            StalePostmaster.stopIfRunning(link.resolve("postgres"));
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

    @Test
    void aNewDataDirectoryGetsAGeneratedPasswordKeptForTheOwnerOnly() throws Exception {
        String password;
        try (EmbeddedPostgresServer server = new EmbeddedPostgresServer(dataDir, 0).start()) {
            Path file = dataDir.resolve("postgres.password");
            assertThat(server.passwordFile()).isEqualTo(file);
            password = Files.readString(file).trim();
            assertThat(password).hasSizeGreaterThanOrEqualTo(43).isEqualTo(server.password());
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
            assertOnlyThePasswordLogsIn(server);
        }
        try (EmbeddedPostgresServer server = new EmbeddedPostgresServer(dataDir, 0).start()) {
            assertThat(server.password()).as("generated once").isEqualTo(password);
            assertOnlyThePasswordLogsIn(server);
        }
    }

    @Test
    void aDataDirectoryFromBeforePasswordsKeepsItsDataAndGetsAPasswordOnItsFirstStart() throws Exception {
        try (EmbeddedPostgres old = EmbeddedPostgres.builder().setDataDirectory(dataDir.resolve("postgres"))
                .setCleanDataDirectory(false).setServerConfig("listen_addresses", "127.0.0.1")
                .setServerConfig("unix_socket_directories", "").start();
             Connection trusted = old.getPostgresDatabase().getConnection();
             Statement statement = trusted.createStatement()) {
            statement.execute("CREATE TABLE survivor (id int PRIMARY KEY, note text)");
            statement.execute("INSERT INTO survivor VALUES (1, 'from the old setup')");
        }
        assertThat(dataDir.resolve("postgres.password")).doesNotExist();
        for (int start = 1; start <= 2; start++) {   // the first start migrates, the second starts password-only
            try (EmbeddedPostgresServer server = new EmbeddedPostgresServer(dataDir, 0).start()) {
                assertThat(query(server, "SELECT note FROM survivor WHERE id = 1")).as("start " + start)
                        .isEqualTo("from the old setup");
                assertOnlyThePasswordLogsIn(server);
            }
        }
    }

    /** No password or a wrong one is refused, for SQL and replication; the password allows both (CDC). */
    private static void assertOnlyThePasswordLogsIn(EmbeddedPostgresServer server) throws Exception {
        for (String wrong : new String[] {"", "wrong-password"}) {
            assertThatThrownBy(() -> DriverManager.getConnection(server.jdbcUrl(), "postgres", wrong).close())
                    .as("password '" + wrong + "'").isInstanceOf(SQLException.class)
                    .hasMessageContaining("password");
            assertThatThrownBy(() -> replication(server, wrong).close()).isInstanceOf(SQLException.class);
        }
        try (Connection replication = replication(server, server.password())) {
            replication.unwrap(PGConnection.class).getReplicationAPI().createReplicationSlot().logical()
                    .withSlotName("password_check").withOutputPlugin("pgoutput").make();
        }
        execute(server, "SELECT pg_drop_replication_slot('password_check')");
        assertThat(Files.readString(server.dataDirectory().resolve("pg_hba.conf"))).doesNotContain("trust")
                .contains("127.0.0.1/32  scram-sha-256");
    }

    private static Connection replication(EmbeddedPostgresServer server, String password) throws SQLException {
        Properties properties = new Properties();
        PGProperty.USER.set(properties, "postgres");
        PGProperty.PASSWORD.set(properties, password);
        PGProperty.REPLICATION.set(properties, "database");
        PGProperty.ASSUME_MIN_SERVER_VERSION.set(properties, "15");
        PGProperty.PREFER_QUERY_MODE.set(properties, "simple");
        return DriverManager.getConnection(server.jdbcUrl(), properties);
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
