package io.hooksync.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.hooksync.support.Await;
import io.hooksync.support.ExternalDatabases;
import io.hooksync.support.Http;
import io.hooksync.support.LogicalPostgres;
import io.hooksync.support.UsesPostgres;
import io.hooksync.support.TestData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.health.HealthComponent;
import org.springframework.boot.actuate.health.HealthEndpoint;
import org.springframework.boot.actuate.health.Status;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * CDC end to end on a real PostgreSQL with wal_level=logical (a throw-away server from the same
 * Maven-shipped binaries as embedded mode, so the machine's shared PostgreSQL is not restarted):
 * row changes -> Debezium -> Kafka -> the shipped route and mapping -> crm_customers and outbox rows;
 * the engine stopped while rows change resumes with nothing missing and nothing doubled; a role
 * without REPLICATION and a server with wal_level=replica stop the start with the documented fix.
 */
class CdcPostgresIT {

    private static LogicalPostgres postgres;
    private static String engineUrl;

    @BeforeAll
    static void startPostgres() throws IOException, SQLException {
        postgres = LogicalPostgres.start("logical");
        sql(postgres.url("postgres"), "CREATE DATABASE hooksync");
        engineUrl = postgres.url("hooksync");
        sql(engineUrl, "CREATE TABLE customers (id bigint PRIMARY KEY, name text, email text, updated_at timestamp)",
                "INSERT INTO customers VALUES (1, 'Ada', 'ada@example.com', '2026-01-02 03:04:05.123456')");
    }

    @AfterAll
    static void stopPostgres() throws IOException, SQLException {
        if (postgres != null) {
            sql(engineUrl, "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE NOT active");
            postgres.close();
        }
    }

    @Test
    void changesBecomeRowsAndOutboundEventsAndARestartResumesWithoutGapsOrDoubles() throws Exception {
        Path data = TestData.directory("cdc-postgres");
        Path routes = routesWithTheShippedCdcExample(data);
        Map<String, Long> expected;
        try (ConfigurableApplicationContext engine = start(data, routes)) {
            JdbcTemplate jdbc = engine.getBean(JdbcTemplate.class);
            CdcEngines.awaitOutbox(jdbc, Map.of("customer.created", 1L));   // the existing row, from the initial snapshot
            assertThat(jdbc.queryForObject("SELECT name FROM crm_customers WHERE id = 1", String.class)).isEqualTo("Ada");
            assertThat(jdbc.queryForObject("SELECT updated_at FROM crm_customers WHERE id = 1", java.time.OffsetDateTime.class))
                    .isEqualTo(java.time.OffsetDateTime.parse("2026-01-02T03:04:05.123456Z"));

            sql(engineUrl, "INSERT INTO customers VALUES (2, 'Grace', 'grace@example.com', now())",
                    "INSERT INTO customers VALUES (3, 'Edsger', 'edsger@example.com', now())",
                    "UPDATE customers SET name = 'Ada Lovelace' WHERE id = 1",
                    "DELETE FROM customers WHERE id = 3");
            CdcEngines.awaitOutbox(jdbc, Map.of("customer.created", 3L, "customer.updated", 1L, "customer.deleted", 1L));
            assertThat(jdbc.queryForObject("SELECT name FROM crm_customers WHERE id = 1", String.class))
                    .isEqualTo("Ada Lovelace");
            assertThat(jdbc.queryForObject("SELECT _hooksync_deleted FROM crm_customers WHERE id = 3", Boolean.class))
                    .isTrue();

            HealthComponent health = engine.getBean(HealthEndpoint.class).healthForPath("cdc", "crm");
            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(health.toString()).contains("lagBytes").contains("hooksync_crm");
        }

        // engine down: the slot keeps the WAL, Debezium's offset is in Kafka
        sql(engineUrl, "INSERT INTO customers VALUES (4, 'Barbara', 'barbara@example.com', now())",
                "UPDATE customers SET email = 'grace@navy.example' WHERE id = 2",
                "DELETE FROM customers WHERE id = 1",
                "UPDATE customers SET name = 'Barbara Liskov' WHERE id = 4");

        try (ConfigurableApplicationContext engine = start(data, routes)) {
            JdbcTemplate jdbc = engine.getBean(JdbcTemplate.class);
            expected = Map.of("customer.created", 4L, "customer.updated", 3L, "customer.deleted", 2L);
            CdcEngines.awaitOutbox(jdbc, expected);
            Thread.sleep(3000);   // anything replayed twice would arrive by now
            assertThat(CdcEngines.outboxCounts(jdbc)).isEqualTo(expected);
            assertThat(jdbc.queryForObject("SELECT count(*) FROM hooksync_ledger WHERE consumer = 'cdc-customers'",
                    Long.class)).as("ledger rows = distinct changes (1 snapshot row + 4 + 4 changes)").isEqualTo(9L);
            assertThat(jdbc.queryForObject("SELECT count(DISTINCT source_event_id) FROM hooksync_outbox", Long.class))
                    .isEqualTo(9L);
            assertThat(jdbc.queryForList("SELECT id FROM crm_customers WHERE NOT _hooksync_deleted ORDER BY id",
                    Long.class)).containsExactly(2L, 4L);
            assertThat(jdbc.queryForObject("SELECT name FROM crm_customers WHERE id = 4", String.class))
                    .isEqualTo("Barbara Liskov");
            assertThat(jdbc.queryForObject("SELECT email FROM crm_customers WHERE id = 2", String.class))
                    .isEqualTo("grace@navy.example");
        } finally {
            TestData.delete(data);
        }
    }

    /**
     * The same capture from a PostgreSQL server outside the engine (the shared PostgreSQL 15 container with
     * wal_level=logical), the external mode's database: changes arrive as mapped rows and outbox events.
     * The slot is dropped afterwards so the shared server keeps no WAL for it.
     */
    @Test
    @UsesPostgres
    void changesFromAnExternalPostgresServiceArrive() throws Exception {
        String local = ExternalDatabases.postgresUrl() + "postgres";
        LogicalPostgres.sql(local, "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots "
                + "WHERE database = 'hooksync_cdc_local' AND NOT active");
        String sourceUrl = ExternalDatabases.freshPostgres("hooksync_cdc_local");
        sql(sourceUrl, "CREATE TABLE customers (id bigint PRIMARY KEY, name text, email text, updated_at timestamp)",
                "INSERT INTO customers VALUES (1, 'Ada', 'ada@example.com', now())");
        sql(postgres.url("postgres"), "CREATE DATABASE hooksync_local");
        Path data = TestData.directory("cdc-local-postgres");
        List<String> args = new ArrayList<>(baseArgs(data, routesWithTheShippedCdcExample(data)));
        args.replaceAll(a -> a.startsWith("--spring.datasource.url=") ? "--spring.datasource.url="
                + postgres.url("hooksync_local") : a);
        args.addAll(List.of("--hooksync.cdc.sources.crm.url=" + sourceUrl, "--hooksync.cdc.sources.crm.user=postgres",
                "--hooksync.cdc.sources.crm.password="));
        try (ConfigurableApplicationContext engine = CdcEngines.start(args)) {
            JdbcTemplate jdbc = engine.getBean(JdbcTemplate.class);
            CdcEngines.awaitOutbox(jdbc, Map.of("customer.created", 1L));
            sql(sourceUrl, "INSERT INTO customers VALUES (2, 'Grace', 'grace@example.com', now())",
                    "UPDATE customers SET name = 'Ada Lovelace' WHERE id = 1", "DELETE FROM customers WHERE id = 2");
            CdcEngines.awaitOutbox(jdbc, Map.of("customer.created", 2L, "customer.updated", 1L, "customer.deleted", 1L));
            assertThat(jdbc.queryForObject("SELECT name FROM crm_customers WHERE id = 1", String.class))
                    .isEqualTo("Ada Lovelace");
        } finally {
            // the walsender may need a moment to let go of the slot after the engine stopped
            Await.until(Duration.ofSeconds(20), () -> {
                try (java.sql.Connection c = java.sql.DriverManager.getConnection(local, "postgres", "");
                     java.sql.Statement st = c.createStatement()) {
                    st.execute("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots "
                            + "WHERE database = 'hooksync_cdc_local' AND NOT active");
                    try (java.sql.ResultSet rs = st.executeQuery(
                            "SELECT count(*) FROM pg_replication_slots WHERE database = 'hooksync_cdc_local'")) {
                        rs.next();
                        return rs.getLong(1);
                    }
                } catch (SQLException e) {
                    return -1L;
                }
            }, n -> n == 0);
            TestData.delete(data);
        }
    }

    /**
     * A row change larger than Kafka takes (2 MB of text, max.request.size is 1 MB) used to fail the batch
     * and restart the engine forever; now it is set aside (source position kept) and acknowledged, and the
     * changes after it arrive: from the snapshot and while streaming.
     */
    @Test
    void aChangeTooLargeForKafkaIsSetAsideAndTheCaptureGoesOn() throws Exception {
        String huge = "x".repeat(2_000_000);
        sql(engineUrl, "CREATE TABLE documents (id bigint PRIMARY KEY, body text)",
                "INSERT INTO documents VALUES (1, '" + huge + "')", "INSERT INTO documents VALUES (2, 'small')");
        Path data = TestData.directory("cdc-set-aside");
        List<String> args = new ArrayList<>(baseArgs(data, Path.of("src/test/resources/routes-none")));
        args.remove("--HOOKSYNC_CDC_CRM_ENABLED=true");
        args.addAll(List.of("--hooksync.cdc.sources.bulky.tables=public.documents",
                "--hooksync.cdc.sources.bulky.heartbeat=1s"));
        try (ConfigurableApplicationContext engine = CdcEngines.start(args)) {
            JdbcTemplate jdbc = engine.getBean(JdbcTemplate.class);
            String bootstrap = engine.getBean(io.hooksync.infra.KafkaBackbone.class).bootstrapServers();
            assertThat(publishedIds(bootstrap, 1)).containsExactly(2L);
            Await.until(Duration.ofSeconds(30), () -> setAside(jdbc), rows -> rows.size() == 1);

            sql(engineUrl, "INSERT INTO documents VALUES (3, '" + huge + "')", "INSERT INTO documents VALUES (4, 'tiny')");
            assertThat(publishedIds(bootstrap, 2)).containsExactly(2L, 4L);
            List<Map<String, Object>> rows = Await.until(Duration.ofSeconds(30), () -> setAside(jdbc), r -> r.size() == 2);
            assertThat(rows).allSatisfy(row -> {
                assertThat(row.get("topic")).isEqualTo("bulky.public.documents");
                assertThat((String) row.get("error")).contains("RecordTooLargeException");
                assertThat((Integer) row.get("value_bytes")).isGreaterThan(2_000_000);
                assertThat((String) row.get("source_position")).contains("lsn");
            });
            assertThat(rows).extracting(row -> row.get("record_key")).containsExactlyInAnyOrder("{\"id\":1}", "{\"id\":3}");
            HealthComponent health = engine.getBean(HealthEndpoint.class).healthForPath("consumers");
            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(health.toString()).contains("cdc-bulky");
        } finally {
            TestData.delete(data);
        }
    }

    private static List<Map<String, Object>> setAside(JdbcTemplate jdbc) {
        return jdbc.queryForList("SELECT * FROM hooksync_set_aside WHERE consumer = 'cdc-bulky' ORDER BY id");
    }

    /** The ids of the documents on the source's topic, once {@code expected} of them arrived. */
    private static List<Long> publishedIds(String bootstrap, int expected) {
        try (io.hooksync.support.KafkaProbe probe = new io.hooksync.support.KafkaProbe(bootstrap)) {
            return Await.until(Duration.ofSeconds(60), () -> probe.readAll("hooksync.events.bulky", expected), r -> r.size() >= expected)
                    .stream().map(r -> new String(r.key(), java.nio.charset.StandardCharsets.UTF_8))
                    .map(key -> Long.parseLong(key.replaceAll("\\D", ""))).sorted().toList();
        }
    }

    /** One instance captures a source; a second one's lease attempt fails until the first session ends. */
    @Test
    void theCaptureLeaseIsHeldByOneSessionAtATime() throws Exception {
        CdcSource source = new CdcSource(CdcSource.Kind.POSTGRESQL, "crm", "hooksync.events.crm", engineUrl, "127.0.0.1",
                0, "hooksync", "postgres", "", List.of("public.customers"), true, "initial", Duration.ofSeconds(10), 1);
        try (CaptureLease first = CaptureLease.tryAcquire(source)) {
            assertThat(first).isNotNull();
            assertThat(first.held()).isTrue();
            assertThat(CaptureLease.tryAcquire(source)).as("a second instance stands by").isNull();
        }
        try (CaptureLease next = CaptureLease.tryAcquire(source)) {
            assertThat(next).as("free again once the first session ended").isNotNull();
        }
    }

    @Test
    void aUserWithoutReplicationPermissionStopsTheStartWithTheFix() throws Exception {
        sql(engineUrl, "DROP ROLE IF EXISTS cdc_plain", "CREATE ROLE cdc_plain LOGIN");
        Path data = TestData.directory("cdc-noreplication");
        try {
            String messages = failedStart(data, "--hooksync.cdc.sources.crm.url=" + engineUrl,
                    "--hooksync.cdc.sources.crm.user=cdc_plain", "--hooksync.cdc.sources.crm.password=");
            assertThat(messages).contains("CDC source 'crm'")
                    .contains("user 'cdc_plain' has no REPLICATION permission")
                    .contains("ALTER ROLE \"cdc_plain\" REPLICATION");
        } finally {
            TestData.delete(data);
        }
    }

    /**
     * A table without a primary key or replica identity is refused before it is published: published, every
     * UPDATE and DELETE of the source's own application on it would fail. REPLICA IDENTITY FULL is accepted.
     */
    @Test
    void aTableWithoutReplicaIdentityStopsTheStartAndStaysWritable() throws Exception {
        sql(engineUrl, "CREATE TABLE notes (body text)", "INSERT INTO notes VALUES ('a')",
                "CREATE TABLE notes_full (body text)", "ALTER TABLE notes_full REPLICA IDENTITY FULL");
        Path data = TestData.directory("cdc-noidentity");
        try {
            String messages = failedStart(data, "--hooksync.cdc.sources.crm.url=" + engineUrl,
                    "--hooksync.cdc.sources.crm.user=postgres", "--hooksync.cdc.sources.crm.password=",
                    "--hooksync.cdc.sources.crm.tables=public.customers,public.notes,public.notes_full");
            assertThat(messages).contains("table(s) [public.notes] on ")
                    .contains("have no primary key or replica identity")
                    .contains("ALTER TABLE public.notes REPLICA IDENTITY FULL");
            sql(engineUrl, "UPDATE notes SET body = 'b'", "DELETE FROM notes");   // not published: still writable
        } finally {
            sql(engineUrl, "DROP TABLE notes", "DROP TABLE notes_full");
            TestData.delete(data);
        }
    }

    @Test
    void aServerWithoutLogicalWalStopsTheStartWithTheFix() throws Exception {
        Path data = TestData.directory("cdc-walreplica");
        try (LogicalPostgres replica = LogicalPostgres.start("replica")) {
            String url = replica.url("postgres");
            sql(url, "CREATE TABLE customers (id bigint PRIMARY KEY)");
            String messages = failedStart(data, "--hooksync.cdc.sources.crm.url=" + url,
                    "--hooksync.cdc.sources.crm.user=postgres", "--hooksync.cdc.sources.crm.password=");
            assertThat(messages).contains("wal_level is 'replica'")
                    .contains("ALTER SYSTEM SET wal_level = logical");
        } finally {
            TestData.delete(data);
        }
    }

    /**
     * Embedded mode: the source is the engine's own embedded PostgreSQL (url empty), which accepts only
     * its generated password; Debezium's replication connection logs in with it.
     */
    @Test
    void changesFromTheEmbeddedPostgresArriveThroughItsPasswordLogin() throws Exception {
        Path data = TestData.directory("cdc-embedded");
        List<String> embedded = new ArrayList<>(baseArgs(data, Path.of("src/test/resources/routes-none")));
        embedded.removeIf(a -> a.startsWith("--spring.datasource.") || a.startsWith("--HOOKSYNC_CDC_CRM_ENABLED"));
        embedded.add("--hooksync.database.embedded.port=0");
        try {
            try (ConfigurableApplicationContext engine = CdcEngines.start(embedded)) {   // first start: no table yet
                engine.getBean(JdbcTemplate.class).execute("CREATE TABLE customers (id bigint PRIMARY KEY, name text,"
                        + " email text, updated_at timestamp)");
            }
            assertThat(Files.readString(data.resolve("postgres/pg_hba.conf"))).doesNotContain("trust");
            Path routes = routesWithTheShippedCdcExample(data);
            List<String> withCdc = new ArrayList<>(embedded);
            withCdc.replaceAll(a -> a.startsWith("--hooksync.routes-dir=") ? "--hooksync.routes-dir=" + routes : a);
            withCdc.addAll(List.of("--HOOKSYNC_CDC_CRM_ENABLED=true"));
            try (ConfigurableApplicationContext engine = CdcEngines.start(withCdc)) {
                JdbcTemplate jdbc = engine.getBean(JdbcTemplate.class);
                jdbc.execute("INSERT INTO customers VALUES (7, 'Hedy', 'hedy@example.com', now())");
                CdcEngines.awaitOutbox(jdbc, Map.of("customer.created", 1L));
                assertThat(jdbc.queryForObject("SELECT name FROM crm_customers WHERE id = 7", String.class))
                        .isEqualTo("Hedy");
            }
        } finally {
            TestData.delete(data);
        }
    }

    private static String failedStart(Path data, String... extra) {
        List<String> args = new ArrayList<>(baseArgs(data, Path.of("src/test/resources/routes-none")));
        args.addAll(List.of(extra));
        return CdcEngines.failedStart(args);
    }

    private static ConfigurableApplicationContext start(Path data, Path routes) {
        return CdcEngines.start(baseArgs(data, routes));
    }

    private static List<String> baseArgs(Path data, Path routes) {
        return List.of("--hooksync.data-dir=" + data, "--hooksync.kafka.embedded.port=0",
                "--hooksync.kafka.embedded.controller-port=0", "--server.port=0",
                "--spring.datasource.url=" + engineUrl, "--spring.datasource.username=postgres",
                "--hooksync.routes-dir=" + routes, "--hooksync.routes-reload=false", "--spring.main.banner-mode=off",
                "--hooksync.management.admin-password=" + Http.ADMIN_PASSWORD,
                "--GITHUB_WEBHOOK_SECRET=x", "--STRIPE_WEBHOOK_SECRET=whsec_x",
                "--HOOKSYNC_CDC_CRM_ENABLED=true", "--hooksync.cdc.sources.crm.heartbeat=1s");
    }

    /** A routes directory holding only the shipped CDC example, so no webhook route runs beside it. */
    private static Path routesWithTheShippedCdcExample(Path data) throws IOException {
        Path routes = Files.createDirectories(data.resolve("routes"));
        Files.copy(Path.of("routes/cdc-customers.yaml"), routes.resolve("cdc-customers.yaml"),
                StandardCopyOption.REPLACE_EXISTING);
        return routes;
    }



    private static void sql(String url, String... statements) throws SQLException {
        LogicalPostgres.sql(url, statements);
    }
}
