package io.hooksync.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hooksync.infra.outbox.OutboxWriter;
import io.hooksync.infra.sql.SqlDialect;
import io.hooksync.mapping.Mapping;
import io.hooksync.mapping.Mappings;
import io.hooksync.support.ExternalDatabases;
import io.hooksync.support.UsesPostgres;
import io.hooksync.support.UsesMariaDb;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * A batch that touches the same rows several times (newer, older, delete, late update, undelete,
 * equal versions, in-batch duplicates, one push with many commits) must leave the tables exactly as the
 * same events applied one by one in order, while writing and emitting each row once: only the state
 * the row ends in is upserted and sent (conflation, {@link io.hooksync.infra.sql.LatestPerKey}); every
 * event still gets its ledger row, the ones passed over as stale. Run against PostgreSQL (multi-row
 * statements) and MariaDB.
 */
@UsesPostgres
@UsesMariaDb
class SinkWriterBatchIT {

    private static final Mappings MAPPINGS = Mappings.load(Path.of("mappings"));

    @Test
    void postgresBatchEqualsEventByEvent() throws Exception {
        compare(SqlDialect.of("PostgreSQL"), ExternalDatabases.freshPostgres("hooksync_batch_it_all"),
                ExternalDatabases.freshPostgres("hooksync_batch_it_one"), "postgres", "postgresql");
    }

    @Test
    void mariaDbBatchEqualsEventByEvent() throws Exception {
        compare(SqlDialect.of("MariaDB"), ExternalDatabases.freshMariaDb("hooksync_batch_it_all") + "?useAffectedRows=true",
                ExternalDatabases.freshMariaDb("hooksync_batch_it_one") + "?useAffectedRows=true", "root", "mariadb");
    }

    private void compare(SqlDialect dialect, String batchUrl, String oneByOneUrl, String user, String vendor)
            throws Exception {
        List<InboundEvent> issues = issueEvents();
        List<InboundEvent> pushes = pushEvents();
        DataSource batchDb = database(batchUrl, user, vendor);
        DataSource oneDb = database(oneByOneUrl, user, vendor);
        SinkWriter.Target issuesTarget = target(batchDb, dialect, "github/issues");
        SinkWriter.Target pushesTarget = target(batchDb, dialect, "github/commits");
        CountingDataSource counted = new CountingDataSource(batchDb);
        BatchResult batchIssues = writer(counted, dialect).apply(issuesTarget, issues);
        BatchResult batchPushes = writer(counted, dialect).apply(pushesTarget, pushes);
        assertThat(counted.connections).as("each batch in one transaction, not refused and retried event by event")
                .isEqualTo(2);
        BatchResult oneIssues = oneByOne(oneDb, dialect, "github/issues", issues);
        BatchResult onePushes = oneByOne(oneDb, dialect, "github/commits", pushes);

        assertThat(oneIssues).as("one by one").isEqualTo(new BatchResult(6, 4, 1, 0, 1, 0, 7));
        assertThat(batchIssues).as("one write per row: e7, e4, e9; the rest stale")
                .isEqualTo(new BatchResult(3, 8, 0, 0, 1, 0, 3));
        assertThat(onePushes.rows()).as("each push writes aaa and bbb once, though it lists aaa twice").isEqualTo(4);
        assertThat(batchPushes.rows()).as("aaa and bbb once each, as the second push left them").isEqualTo(2);
        for (String sql : List.of(
                "SELECT id, number, repository, title, state, author, labels, updated_at, _hooksync_deleted,"
                        + " _hooksync_event_id FROM github_issues ORDER BY id",
                "SELECT sha, repository, ref, message, author, committed_at, pusher, _hooksync_event_id"
                        + " FROM github_commits ORDER BY sha",
                "SELECT consumer, source, event_id, topic, kafka_partition, kafka_offset"
                        + " FROM hooksync_ledger ORDER BY kafka_offset, consumer")) {
            List<Map<String, Object>> batch = new JdbcTemplate(batchDb).queryForList(sql);
            assertThat(batch).as(sql).isNotEmpty().isEqualTo(new JdbcTemplate(oneDb).queryForList(sql));
        }
        String outbox = "SELECT event_type, entity_key, payload, source, source_event_id FROM hooksync_outbox ORDER BY id";
        Map<Object, Map<String, Object>> lastPerRow = new java.util.LinkedHashMap<>();
        new JdbcTemplate(oneDb).queryForList(outbox).forEach(row -> {
            lastPerRow.remove(row.get("entity_key"));
            lastPerRow.put(row.get("entity_key"), row);
        });
        assertThat(new JdbcTemplate(batchDb).queryForList(outbox)).as("the final state of each changed row, once")
                .isEqualTo(List.copyOf(lastPerRow.values())).hasSize(3);
        JdbcTemplate db = new JdbcTemplate(batchDb);
        assertThat(db.queryForObject("SELECT title FROM github_issues WHERE id = 1", String.class)).isEqualTo("A reopened");
        assertThat(db.queryForList("SELECT event_id FROM hooksync_ledger WHERE outcome = 'stale'"
                + " AND consumer = 'github-issues' ORDER BY kafka_offset", String.class))
                .containsExactly("e1", "e2", "e3", "e5", "e6", "e8", "e10", "e11");
        assertThat(db.queryForList("SELECT event_id FROM hooksync_ledger WHERE outcome <> 'stale' ORDER BY kafka_offset",
                String.class)).containsExactly("e4", "e7", "e9", "p2");
    }

    @Test
    void aChangeOfLetterCaseIsWrittenOnBothDatabases() throws Exception {
        onBothDatabases("hooksync_batch_it_case", this::caseOnlyChange);
    }

    /** A scenario on a fresh database of one vendor. */
    private interface Scenario {
        void run(SqlDialect dialect, String url, String user, String vendor) throws Exception;
    }

    private static void onBothDatabases(String database, Scenario scenario) throws Exception {
        scenario.run(SqlDialect.of("PostgreSQL"), ExternalDatabases.freshPostgres(database), "postgres", "postgresql");
        scenario.run(SqlDialect.of("MariaDB"), ExternalDatabases.freshMariaDb(database) + "?useAffectedRows=true", "root",
                "mariadb");
    }

    /** MariaDB's default collation finds 'title' = 'Title'; the upsert must still see a change. */
    private void caseOnlyChange(SqlDialect dialect, String url, String user, String vendor) {
        DataSource db = database(url, user, vendor);
        SinkWriter.Target target = target(db, dialect, "github/issues");
        writer(db, dialect).apply(target, List.of(event("c1", "issues", "opened", 0,
                issue(9, "lower case", "opened", "2024-01-01T10:00:00Z"))));
        BatchResult renamed = writer(db, dialect).apply(target, List.of(event("c2", "issues", "edited", 1,
                issue(9, "Lower Case", "edited", "2024-01-01T10:00:00Z"))));
        assertThat(renamed.rows()).as(vendor).isEqualTo(1);
        assertThat(new JdbcTemplate(db).queryForObject("SELECT title FROM github_issues WHERE id = 9", String.class))
                .as(vendor).isEqualTo("Lower Case");
    }

    @Test
    void aRedeliveredBatchAppliesOnlyItsNewEventsOnBothDatabases() throws Exception {
        onBothDatabases("hooksync_batch_it_again", this::redelivered);
    }

    /**
     * A batch read again after a crash before its offsets were committed, with one event more: the two the ledger has
     * are duplicates (no second ledger row, no second outbox row), the new one is applied. Where the ledger insert
     * tells a known event (PostgreSQL), the batch is first written without a lookup, rolled back on finding them,
     * and written again after the lookup: two transactions; MariaDB looks up first: one. The same writer then looks
     * up first while batches hold known events (a replay costs one transaction per batch), and claims again after a
     * batch without any.
     */
    private void redelivered(SqlDialect dialect, String url, String user, String vendor) {
        DataSource db = database(url, user, vendor);
        SinkWriter.Target target = target(db, dialect, "github/issues");
        InboundEvent first = event("r1", "issues", "opened", 0, issue(11, "first", "opened", "2024-01-01T10:00:00Z"));
        InboundEvent second = event("r2", "issues", "opened", 1, issue(12, "second", "opened", "2024-01-01T10:00:00Z"));
        InboundEvent third = event("r3", "issues", "opened", 2, issue(13, "third", "opened", "2024-01-01T10:00:00Z"));
        CountingDataSource counted = new CountingDataSource(db);
        MeterRegistry registry = new SimpleMeterRegistry();
        SinkWriter writer = writer(counted, dialect, registry);
        assertThat(writer.apply(target, List.of(first, second))).as(vendor)
                .isEqualTo(new BatchResult(2, 0, 0, 0, 0, 0, 2));
        assertThat(counted.connections).as(vendor + ": a batch of new events in one transaction").isEqualTo(1);

        counted.connections = 0;
        BatchResult again = writer.apply(target, List.of(first, second, third));
        assertThat(again).as(vendor + ": r3 applied, r1 and r2 duplicates").isEqualTo(new BatchResult(1, 0, 0, 0, 2, 0, 1));
        assertThat(counted.connections).as(vendor).isEqualTo(dialect.countsIgnoredInserts() ? 2 : 1);
        assertThat(rewrites(registry)).as(vendor + ": the batch written twice is counted")
                .isEqualTo(dialect.countsIgnoredInserts() ? 1.0 : 0.0);
        JdbcTemplate jdbc = new JdbcTemplate(db);
        assertThat(jdbc.queryForList("SELECT event_id FROM hooksync_ledger ORDER BY kafka_offset", String.class))
                .as(vendor).containsExactly("r1", "r2", "r3");
        assertThat(jdbc.queryForList("SELECT source_event_id FROM hooksync_outbox ORDER BY id", String.class))
                .as(vendor + ": each event emitted once").containsExactly("r1", "r2", "r3");
        assertThat(jdbc.queryForList("SELECT title FROM github_issues ORDER BY id", String.class)).as(vendor)
                .containsExactly("first", "second", "third");

        counted.connections = 0;
        assertThat(writer.apply(target, List.of(second, third))).as(vendor + ": replayed")
                .isEqualTo(new BatchResult(0, 0, 0, 0, 2, 0, 0));
        assertThat(counted.connections).as(vendor + ": after a batch with known events, lookup first").isEqualTo(1);
        InboundEvent fourth = event("r4", "issues", "opened", 3, issue(14, "fourth", "opened", "2024-01-01T10:00:00Z"));
        counted.connections = 0;
        assertThat(writer.apply(target, List.of(fourth))).as(vendor).isEqualTo(new BatchResult(1, 0, 0, 0, 0, 0, 1));
        assertThat(jdbc.queryForList("SELECT source_event_id FROM hooksync_outbox ORDER BY id", String.class))
                .as(vendor).containsExactly("r1", "r2", "r3", "r4");
        assertThat(counted.connections).as(vendor).isEqualTo(1);

        InboundEvent fifth = event("r5", "issues", "opened", 4, issue(15, "fifth", "opened", "2024-01-01T10:00:00Z"));
        counted.connections = 0;
        assertThat(writer.apply(target, List.of(fifth, first))).as(vendor).isEqualTo(new BatchResult(1, 0, 0, 0, 1, 0, 1));
        assertThat(counted.connections).as(vendor + ": claiming again after a batch without known events")
                .isEqualTo(dialect.countsIgnoredInserts() ? 2 : 1);
        assertThat(rewrites(registry)).as(vendor).isEqualTo(dialect.countsIgnoredInserts() ? 2.0 : 0.0);
    }

    private static double rewrites(MeterRegistry registry) {
        Counter counter = registry.find("hooksync.sink.batch.rewrites").tag("route", "github-issues").counter();
        return counter == null ? 0.0 : counter.count();
    }

    /** Counts the connections the writer takes: one per transaction. */
    private static final class CountingDataSource extends org.springframework.jdbc.datasource.DelegatingDataSource {
        int connections;

        CountingDataSource(DataSource target) {
            super(target);
        }

        @Override
        public java.sql.Connection getConnection() throws java.sql.SQLException {
            connections++;
            return super.getConnection();
        }
    }

    private static BatchResult oneByOne(DataSource db, SqlDialect dialect, String mapping, List<InboundEvent> events) {
        SinkWriter.Target target = target(db, dialect, mapping);
        BatchResult total = BatchResult.EMPTY;
        for (InboundEvent event : events) {
            total = total.plus(writer(db, dialect).apply(target, List.of(event)));
        }
        return total;
    }

    private static List<InboundEvent> issueEvents() {
        List<InboundEvent> events = new ArrayList<>();
        int[] offset = {0};
        java.util.function.BiConsumer<String, ObjectNode> add = (id, payload) ->
                events.add(event(id, "issues", payload.get("action").asText(), offset[0]++, payload));
        add.accept("e1", issue(1, "A opened", "opened", "2024-01-01T10:00:00Z"));
        add.accept("e2", issue(1, "A newer", "edited", "2024-01-01T12:00:00Z"));
        add.accept("e3", issue(1, "A older", "edited", "2024-01-01T11:00:00Z"));
        add.accept("e4", issue(2, "B", "opened", "2024-01-01T10:00:00Z"));
        add.accept("e5", issue(1, "A deleted", "deleted", "2024-01-01T13:00:00Z"));
        add.accept("e6", issue(1, "A late", "edited", "2024-01-01T12:30:00Z"));
        add.accept("e4", issue(2, "B again", "opened", "2024-01-01T10:00:00Z"));
        add.accept("e7", issue(1, "A reopened", "reopened", "2024-01-01T14:00:00Z"));
        add.accept("e8", issue(3, "C", "opened", "2024-01-01T10:00:00Z"));
        add.accept("e9", issue(3, "C same version", "edited", "2024-01-01T10:00:00Z"));
        add.accept("e10", issue(3, "C older", "edited", "2024-01-01T09:00:00Z"));
        add.accept("e11", issue(2, "B older", "edited", "2024-01-01T09:00:00Z"));
        return events;
    }

    private static List<InboundEvent> pushEvents() {
        ObjectNode first = SyncScenarios.fixture("push.json");
        ArrayNode commits = first.putArray("commits");
        for (String sha : List.of("aaa", "bbb", "aaa")) {
            commits.addObject().put("id", sha).put("message", "m " + sha + " " + commits.size())
                    .put("timestamp", "2024-01-01T10:00:0" + commits.size() + "Z").putObject("author").put("name", "x");
        }
        ObjectNode second = first.deepCopy();
        ((ObjectNode) second.get("commits").get(0)).put("message", "second push");
        second.put("ref", "refs/heads/other");
        return List.of(event("p1", "push", null, 100, first), event("p2", "push", null, 101, second));
    }

    private static ObjectNode issue(long id, String title, String action, String updatedAt) {
        return SyncScenarios.issueEvent(id, title, action, updatedAt);
    }

    private static InboundEvent event(String id, String type, String action, long offset, ObjectNode payload) {
        return new InboundEvent("github", id, type, action, null, "hooksync.events.github", 0, offset,
                "2024-01-01T00:00:00Z", Map.of("ce_id", id), payload.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static DataSource database(String url, String user, String vendor) {
        return ExternalDatabases.migrated(new DriverManagerDataSource(url, user, ""), vendor);
    }

    private static SinkWriter writer(DataSource db, SqlDialect dialect) {
        return writer(db, dialect, new SimpleMeterRegistry());
    }

    private static SinkWriter writer(DataSource db, SqlDialect dialect, MeterRegistry registry) {
        return new SinkWriter(db, dialect, new OutboxWriter(dialect), new DeadLetters((topic, key, value, headers) -> {
            throw new AssertionError("no event of this test is a dead letter");
        }, new com.fasterxml.jackson.databind.ObjectMapper()), 3, new com.fasterxml.jackson.databind.ObjectMapper(),
                new SinkMetrics(registry));
    }

    private static SinkWriter.Target target(DataSource db, SqlDialect dialect, String name) {
        Mapping mapping = MAPPINGS.find(name).orElseThrow();
        try {
            new SchemaManager(db, dialect).ensure(List.of(mapping));
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
        return new SinkWriter.Target("github-" + name.substring(name.indexOf('/') + 1), mapping.compile(),
                dialect.upsert(SinkTables.of(mapping)), mapping.emit());
    }
}
