package io.hooksync.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.hooksync.support.Await;
import io.hooksync.support.ExternalDatabases;
import io.hooksync.support.Http;
import io.hooksync.support.TestData;
import io.hooksync.support.UsesMariaDb;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.health.HealthComponent;
import org.springframework.boot.actuate.health.HealthEndpoint;
import org.springframework.boot.actuate.health.Status;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * CDC end to end from MariaDB (the shared MariaDB 10.11 container, binlog in ROW format):
 * row changes -> Debezium's MariaDB connector -> Kafka -> the shipped example route and mapping ->
 * crm_customers and outbox rows in the engine's embedded PostgreSQL; two updates of one row in one
 * transaction are two changes; the engine stopped while rows change resumes with nothing missing and
 * nothing doubled; a user without replication privileges stops the start with the documented fix.
 */
@UsesMariaDb
class CdcMariaDbIT {

    private static final String DATABASE = "hooksync_cdc_shop";
    private static final String USER = "hooksync_cdc";
    private static final String PASSWORD = "cdc-Secret-1";
    private static String sourceUrl;

    @BeforeAll
    static void prepareSource() throws SQLException {
        sourceUrl = ExternalDatabases.freshMariaDb(DATABASE);
        root("DROP USER IF EXISTS '" + USER + "'@'%'", "DROP USER IF EXISTS 'hooksync_plain'@'%'",
                "CREATE USER '" + USER + "'@'%' IDENTIFIED BY '" + PASSWORD + "'",
                "GRANT SELECT ON " + DATABASE + ".* TO '" + USER + "'@'%'",
                "GRANT REPLICATION SLAVE, BINLOG MONITOR ON *.* TO '" + USER + "'@'%'",
                "CREATE USER 'hooksync_plain'@'%' IDENTIFIED BY '" + PASSWORD + "'",
                "GRANT SELECT ON " + DATABASE + ".* TO 'hooksync_plain'@'%'");
        source("CREATE TABLE customers (id bigint PRIMARY KEY, name varchar(100), email varchar(200), "
                        + "updated_at datetime(6))",
                "INSERT INTO customers VALUES (1, 'Ada', 'ada@example.com', '2026-01-02 03:04:05.123456')");
    }

    @Test
    void changesBecomeRowsAndOutboundEventsAndARestartResumesWithoutGapsOrDoubles() throws Exception {
        Path data = TestData.directory("cdc-mariadb");
        Path routes = routesWithTheMariaDbExample(data);
        Path password = Files.writeString(data.resolve("cdc-password"), PASSWORD);
        try {
            try (ConfigurableApplicationContext engine = start(data, routes, USER, password)) {
                JdbcTemplate jdbc = engine.getBean(JdbcTemplate.class);
                CdcEngines.awaitOutbox(jdbc, Map.of("customer.created", 1L));   // the existing row, from the initial snapshot
                assertThat(jdbc.queryForObject("SELECT name FROM crm_customers WHERE id = 1", String.class)).isEqualTo("Ada");
                assertThat(jdbc.queryForObject("SELECT updated_at FROM crm_customers WHERE id = 1",
                        java.time.OffsetDateTime.class)).isEqualTo(java.time.OffsetDateTime.parse("2026-01-02T03:04:05.123456Z"));

                source("INSERT INTO customers VALUES (2, 'Grace', 'grace@example.com', now(6))",
                        "INSERT INTO customers VALUES (3, 'Edsger', 'edsger@example.com', now(6))",
                        "UPDATE customers SET name = 'Ada Lovelace' WHERE id = 1",
                        "DELETE FROM customers WHERE id = 3");
                // two changes of one row in one transaction: two events, applied in order
                sourceTransaction("UPDATE customers SET name = 'Grace B.' WHERE id = 2",
                        "UPDATE customers SET name = 'Grace Hopper' WHERE id = 2");
                CdcEngines.awaitOutbox(jdbc, Map.of("customer.created", 3L, "customer.updated", 3L, "customer.deleted", 1L));
                assertThat(jdbc.queryForObject("SELECT name FROM crm_customers WHERE id = 1", String.class))
                        .isEqualTo("Ada Lovelace");
                assertThat(jdbc.queryForObject("SELECT name FROM crm_customers WHERE id = 2", String.class))
                        .isEqualTo("Grace Hopper");
                assertThat(jdbc.queryForObject("SELECT _hooksync_deleted FROM crm_customers WHERE id = 3", Boolean.class))
                        .isTrue();

                HealthComponent health = Await.until(Duration.ofSeconds(30),
                        () -> engine.getBean(HealthEndpoint.class).healthForPath("cdc", "shop"),
                        h -> h.toString().contains("lagBytes"));
                assertThat(health.getStatus()).as(health.toString()).isEqualTo(Status.UP);
            }

            // engine down: the binlog keeps the changes, Debezium's offset and the DDL history are in Kafka
            source("INSERT INTO customers VALUES (4, 'Barbara', 'barbara@example.com', now(6))",
                    "UPDATE customers SET email = 'grace@navy.example' WHERE id = 2",
                    "DELETE FROM customers WHERE id = 1",
                    "UPDATE customers SET name = 'Barbara Liskov' WHERE id = 4");

            try (ConfigurableApplicationContext engine = start(data, routes, USER, password)) {
                JdbcTemplate jdbc = engine.getBean(JdbcTemplate.class);
                Map<String, Long> expected = Map.of("customer.created", 4L, "customer.updated", 5L, "customer.deleted", 2L);
                CdcEngines.awaitOutbox(jdbc, expected);
                Thread.sleep(3000);   // anything replayed twice would arrive by now
                assertThat(CdcEngines.outboxCounts(jdbc)).isEqualTo(expected);
                assertThat(jdbc.queryForObject("SELECT count(*) FROM hooksync_ledger WHERE consumer = 'cdc-shop-customers'",
                        Long.class)).as("ledger rows = distinct changes (1 snapshot row + 6 + 4 changes)").isEqualTo(11L);
                assertThat(jdbc.queryForList("SELECT id FROM crm_customers WHERE NOT _hooksync_deleted ORDER BY id",
                        Long.class)).containsExactly(2L, 4L);
                assertThat(jdbc.queryForObject("SELECT name FROM crm_customers WHERE id = 4", String.class))
                        .isEqualTo("Barbara Liskov");
                assertThat(jdbc.queryForObject("SELECT email FROM crm_customers WHERE id = 2", String.class))
                        .isEqualTo("grace@navy.example");
            }
        } finally {
            TestData.delete(data);
        }
    }

    /**
     * Two instances configured with one source: the first holds the capture lease, the second stands by
     * (healthy, capturing nothing, so no second replica with the same server id) and takes over when the
     * first stops. Each instance here has its own embedded Kafka, so the one taking over snapshots anew.
     */
    @Test
    void aSecondInstanceStandsByAndTakesOverWhenTheFirstStops() throws Exception {
        String database = "hooksync_cdc_standby";
        ExternalDatabases.freshMariaDb(database);
        root("GRANT SELECT ON " + database + ".* TO '" + USER + "'@'%'",
                "CREATE TABLE " + database + ".customers (id bigint PRIMARY KEY, name varchar(100), email varchar(200), "
                        + "updated_at datetime(6))",
                "INSERT INTO " + database + ".customers VALUES (1, 'Ada', 'ada@example.com', now(6))");
        Path first = TestData.directory("cdc-mariadb-first");
        Path second = TestData.directory("cdc-mariadb-second");
        Path password = Files.writeString(first.resolve("cdc-password"), PASSWORD);
        ConfigurableApplicationContext a = null;
        try {
            a = start(first, routesWithTheMariaDbExample(first, database), USER, password, database);
            JdbcTemplate jdbcA = a.getBean(JdbcTemplate.class);
            CdcEngines.awaitOutbox(jdbcA, Map.of("customer.created", 1L));
            try (ConfigurableApplicationContext b = start(second, routesWithTheMariaDbExample(second, database), USER,
                    password, database)) {
                JdbcTemplate jdbcB = b.getBean(JdbcTemplate.class);
                Await.until(Duration.ofSeconds(30), () -> b.getBean(HealthEndpoint.class).healthForPath("cdc", "shop"),
                        h -> h.toString().contains("engine=standby") && h.getStatus().equals(Status.UP));

                root("INSERT INTO " + database + ".customers VALUES (2, 'Grace', 'grace@example.com', now(6))");
                CdcEngines.awaitOutbox(jdbcA, Map.of("customer.created", 2L));
                Thread.sleep(2000);
                assertThat(CdcEngines.outboxCounts(jdbcB)).as("the standby captured nothing").isEmpty();

                a.close();
                a = null;
                // the standby takes the lease within its poll interval; with no offsets of its own it snapshots
                CdcEngines.awaitOutbox(jdbcB, Map.of("customer.created", 2L));
                assertThat(b.getBean(HealthEndpoint.class).healthForPath("cdc", "shop").toString()).contains("engine=running");
            }
        } finally {
            if (a != null) {
                a.close();
            }
            TestData.delete(first);
            TestData.delete(second);
        }
    }

    @Test
    void aUserWithoutReplicationPrivilegesStopsTheStartWithTheFix() throws Exception {
        Path data = TestData.directory("cdc-mariadb-plain");
        try {
            Path password = Files.writeString(data.resolve("cdc-password"), PASSWORD);
            String messages = CdcEngines.failedStart(baseArgs(data, Path.of("src/test/resources/routes-none"),
                    "hooksync_plain", password));
            assertThat(messages).contains("CDC source 'shop'")
                    .contains("user 'hooksync_plain' lacks REPLICATION SLAVE and BINLOG MONITOR")
                    .contains("GRANT REPLICATION SLAVE, BINLOG MONITOR ON *.* TO 'hooksync_plain'@'%'")
                    .doesNotContain(PASSWORD);
        } finally {
            TestData.delete(data);
        }
    }

    private static ConfigurableApplicationContext start(Path data, Path routes, String user, Path password) {
        return start(data, routes, user, password, DATABASE);
    }

    private static ConfigurableApplicationContext start(Path data, Path routes, String user, Path password,
                                                        String database) {
        return CdcEngines.start(baseArgs(data, routes, user, password, database));
    }

    private static List<String> baseArgs(Path data, Path routes, String user, Path password) {
        return baseArgs(data, routes, user, password, DATABASE);
    }

    private static List<String> baseArgs(Path data, Path routes, String user, Path password, String database) {
        return List.of("--hooksync.data-dir=" + data, "--hooksync.kafka.embedded.port=0",
                "--hooksync.kafka.embedded.controller-port=0", "--hooksync.database.embedded.port=0", "--server.port=0",
                "--hooksync.routes-dir=" + routes, "--hooksync.routes-reload=false", "--spring.main.banner-mode=off",
                "--hooksync.management.admin-password=" + Http.ADMIN_PASSWORD, "--spring.jmx.unique-names=true",
                "--GITHUB_WEBHOOK_SECRET=x", "--STRIPE_WEBHOOK_SECRET=whsec_x",
                "--hooksync.cdc.sources.shop.enabled=true", "--hooksync.cdc.sources.shop.kind=mariadb",
                "--hooksync.cdc.sources.shop.url=" + ExternalDatabases.mariaDbUrl() + database,
                "--hooksync.cdc.sources.shop.user=" + user, "--hooksync.cdc.sources.shop.password=file:" + password,
                "--hooksync.cdc.sources.shop.tables=" + database + ".customers",
                "--hooksync.cdc.sources.shop.heartbeat=1s");
    }

    /** A routes directory holding only the MariaDB example, pointed at this test's database. */
    private static Path routesWithTheMariaDbExample(Path data) throws IOException {
        return routesWithTheMariaDbExample(data, DATABASE);
    }

    private static Path routesWithTheMariaDbExample(Path data, String database) throws IOException {
        Path routes = Files.createDirectories(data.resolve("routes"));
        String example = Files.readString(Path.of("examples/routes/cdc-shop-customers.yaml"));
        Files.writeString(routes.resolve("cdc-shop-customers.yaml"),
                example.replace("types: shop.customers", "types: " + database + ".customers"));
        return routes;
    }



    private static void root(String... statements) throws SQLException {
        run(ExternalDatabases.mariaDbUrl(), false, statements);
    }

    private static void source(String... statements) throws SQLException {
        run(sourceUrl, false, statements);
    }

    private static void sourceTransaction(String... statements) throws SQLException {
        run(sourceUrl, true, statements);
    }

    private static void run(String url, boolean oneTransaction, String... statements) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, "root", ""); Statement s = c.createStatement()) {
            c.setAutoCommit(!oneTransaction);
            for (String sql : statements) {
                s.execute(sql);
            }
            if (oneTransaction) {
                c.commit();
            }
        }
    }
}
