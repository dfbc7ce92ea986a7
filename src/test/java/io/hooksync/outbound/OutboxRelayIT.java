package io.hooksync.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import io.hooksync.infra.outbox.OutboxWriter;
import io.hooksync.infra.sql.SqlDialect;
import io.hooksync.support.Await;
import io.hooksync.support.ExternalDatabases;
import io.hooksync.support.UsesPostgres;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * The outbox relay's promises on the local PostgreSQL (one statement takes a batch off the queue and returns its rows),
 * and on MariaDB in the subclass (select, publish, dequeue): rows go out in outbox order, a batch Kafka did not
 * acknowledge stays queued and goes out again, two relays (two instances) take turns so an entity's rows go out in
 * order, and the writer queues every row it writes, in the caller's transaction.
 */
@UsesPostgres
class OutboxRelayIT {

    private DriverManagerDataSource ds;
    private JdbcTemplate jdbc;
    private SqlDialect dialect;

    DriverManagerDataSource freshDatabase(String name) {
        return new DriverManagerDataSource(ExternalDatabases.freshPostgres(name), "postgres", "");
    }

    String vendor() {
        return "postgresql";
    }

    @BeforeEach
    void database() {
        ds = ExternalDatabases.migrated(freshDatabase("hooksync_outbox_relay_it"), vendor());
        jdbc = new JdbcTemplate(ds);
        dialect = SqlDialect.of(vendor());
    }

    /** Outbox rows with payloads p1..pN and entity keys k1..kN, as the sink writes them. */
    private void outbox(int count) throws Exception {
        try (Connection c = ds.getConnection()) {
            new OutboxWriter(dialect).write(c, IntStream.rangeClosed(1, count)
                    .mapToObj(i -> new OutboxWriter.Row("issue.synced", "k" + i, "p" + i, "github", "e" + i)).toList());
        }
    }

    private OutboxRelay relay(MockProducer<byte[], byte[]> producer, int batchSize) {
        return new OutboxRelay(ds, producer, batchSize, "test", new OutboxWriter(dialect), dialect);
    }

    private static MockProducer<byte[], byte[]> producer(boolean autoComplete) {
        return new MockProducer<>(autoComplete, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static List<String> payloads(MockProducer<byte[], byte[]> producer) {
        return producer.history().stream().map(r -> new String(r.value(), StandardCharsets.UTF_8)).toList();
    }

    private List<String> relayedPayloads() {
        return jdbc.queryForList("SELECT payload FROM hooksync_outbox o WHERE NOT EXISTS"
                + " (SELECT 1 FROM hooksync_outbox_queue q WHERE q.outbox_id = o.id) ORDER BY id", String.class);
    }

    @Test
    void batchesGoOutInOutboxOrderAndOnlyTheirRowsLeaveTheQueue() throws Exception {
        outbox(7);
        MockProducer<byte[], byte[]> producer = producer(true);
        OutboxRelay relay = relay(producer, 5);

        assertThat(relay.relayOnce()).isEqualTo(5);
        assertThat(payloads(producer)).containsExactly("p1", "p2", "p3", "p4", "p5");
        assertThat(relayedPayloads()).containsExactly("p1", "p2", "p3", "p4", "p5");

        assertThat(relay.relayOnce()).isEqualTo(2);
        assertThat(relay.relayOnce()).isZero();
        assertThat(payloads(producer)).containsExactly("p1", "p2", "p3", "p4", "p5", "p6", "p7");
        assertThat(producer.history()).extracting(r -> new String(r.key(), StandardCharsets.UTF_8))
                .containsExactly("k1", "k2", "k3", "k4", "k5", "k6", "k7");
        assertThat(relayedPayloads()).hasSize(7);
        Long firstId = jdbc.queryForObject("SELECT min(id) FROM hooksync_outbox", Long.class);
        assertThat(new String(producer.history().get(0).headers().lastHeader("ce_id").value(), StandardCharsets.UTF_8))
                .isEqualTo(MessageIds.of("test", firstId));
    }

    @Test
    void aBatchKafkaDidNotAcknowledgeStaysUnrelayedAndGoesOutAgain() throws Exception {
        outbox(3);
        MockProducer<byte[], byte[]> refusing = new MockProducer<>(true, new ByteArraySerializer(), new ByteArraySerializer()) {
            @Override
            public synchronized Future<RecordMetadata> send(ProducerRecord<byte[], byte[]> record, Callback callback) {
                return "p2".equals(new String(record.value(), StandardCharsets.UTF_8))
                        ? CompletableFuture.failedFuture(new TimeoutException("not acknowledged"))
                        : super.send(record, callback);
            }
        };

        assertThatThrownBy(() -> relay(refusing, 10).relayOnce()).hasMessageContaining("did not acknowledge");
        assertThat(relayedPayloads()).as("the batch's dequeue was rolled back with it").isEmpty();

        MockProducer<byte[], byte[]> producer = producer(true);
        assertThat(relay(producer, 10).relayOnce()).isEqualTo(3);
        assertThat(payloads(producer)).containsExactly("p1", "p2", "p3");
        assertThat(relayedPayloads()).containsExactly("p1", "p2", "p3");
    }

    @Test
    void twoRelaysAtOnceTakeTurnsSoAnEntitysRowsGoOutInOrder() throws Exception {
        try (Connection c = ds.getConnection()) {   // six changes of one entity, as a busy issue's events write them
            new OutboxWriter(dialect).write(c, IntStream.rangeClosed(1, 6)
                    .mapToObj(i -> new OutboxWriter.Row("issue.synced", "k", "p" + i, "github", "e" + i)).toList());
        }
        MockProducer<byte[], byte[]> waiting = producer(false);   // holds its batch until Kafka answers
        CompletableFuture<Integer> first = CompletableFuture.supplyAsync(() -> {
            try {
                return relay(waiting, 3).relayOnce();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Await.until(Duration.ofSeconds(20), () -> waiting.history().size(), sent -> sent == 3);

        MockProducer<byte[], byte[]> other = producer(true);
        OutboxRelay second = relay(other, 3);
        assertThat(second.relayOnce()).as("the other instance waits for its turn").isZero();
        assertThat(other.history()).as("p4..p6 must not overtake p1..p3, still unacknowledged").isEmpty();

        while (waiting.completeNext()) {
            // acknowledge the first relay's records
        }
        assertThat(first.get(20, TimeUnit.SECONDS)).isEqualTo(3);
        assertThat(second.relayOnce()).isEqualTo(3);
        assertThat(payloads(waiting)).containsExactly("p1", "p2", "p3");
        assertThat(payloads(other)).containsExactly("p4", "p5", "p6");
        assertThat(relayedPayloads()).containsExactly("p1", "p2", "p3", "p4", "p5", "p6");
    }

    @Test
    void aTurnRowDeletedByHandIsWrittenAgainAndTheRelayGoesOn() throws Exception {
        outbox(2);
        jdbc.update("DELETE FROM hooksync_relay_turn");
        MockProducer<byte[], byte[]> producer = producer(true);

        assertThat(relay(producer, 10).relayOnce()).isEqualTo(2);
        assertThat(payloads(producer)).containsExactly("p1", "p2");
        assertThat(jdbc.queryForList("SELECT id FROM hooksync_relay_turn", Integer.class)).containsExactly(1);
    }

    @Test
    void aQueueEntryWhoseOutboxRowWasDeletedByHandIsTakenOffWithoutStoppingTheRest() throws Exception {
        outbox(3);
        jdbc.update("DELETE FROM hooksync_outbox WHERE payload = 'p1'");   // at the head of the queue
        MockProducer<byte[], byte[]> producer = producer(true);

        assertThat(relay(producer, 2).relayOnce()).as("entries taken, the orphan included").isEqualTo(2);
        assertThat(relay(producer, 2).relayOnce()).isEqualTo(1);
        assertThat(relay(producer, 2).relayOnce()).isZero();
        assertThat(payloads(producer)).containsExactly("p2", "p3");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM hooksync_outbox_queue", Integer.class)).isZero();
    }

    /**
     * An outbox row another transaction holds a lock on (the pruner's delete, a hand-written SELECT ... FOR UPDATE) is
     * still relayed: only queue entries are locked by the relay. Joined into MariaDB's locking read, SKIP LOCKED
     * skipped the locked outbox row too, and it looked deleted.
     */
    @Test
    void anOutboxRowAnotherTransactionHasLockedIsRelayedNotTakenForDeleted() throws Exception {
        outbox(2);
        try (Connection other = ds.getConnection(); java.sql.Statement lock = other.createStatement()) {
            other.setAutoCommit(false);
            lock.executeQuery("SELECT id FROM hooksync_outbox WHERE payload = 'p1' FOR UPDATE").close();
            MockProducer<byte[], byte[]> producer = producer(true);
            assertThat(relay(producer, 10).relayOnce()).isEqualTo(2);
            assertThat(payloads(producer)).containsExactly("p1", "p2");
            other.rollback();
        }
    }

    /**
     * An instance of a version before the queue inserts outbox rows without naming writer_version: refused, so it
     * cannot write a row that no relay would publish.
     */
    @Test
    void anInsertThatDoesNotNameTheWriterVersionIsRefused() {
        assertThatThrownBy(() -> jdbc.update("INSERT INTO hooksync_outbox (event_type, entity_key, payload, source,"
                + " source_event_id) VALUES ('issue.synced', 'k', 'p', 'github', 'e')"))
                .hasMessageContaining("writer_version");
    }

    @Test
    void theWriterQueuesItsRowsInTheCallersTransaction() throws Exception {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            new OutboxWriter(dialect).write(c, List.of(new OutboxWriter.Row("issue.synced", "k1", "rolled back", "github",
                    "e1")));
            c.rollback();
            new OutboxWriter(dialect).write(c, List.of(new OutboxWriter.Row("issue.synced", "k2", "committed", "github",
                    "e2")));
            c.commit();
            c.setAutoCommit(true);
        }
        assertThat(jdbc.queryForList("SELECT o.payload FROM hooksync_outbox o JOIN hooksync_outbox_queue q"
                + " ON q.outbox_id = o.id", String.class)).containsExactly("committed");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM hooksync_outbox_queue", Integer.class)).isEqualTo(1);
    }

    /**
     * An engine upgraded from before the queue (migration V11): the rows its old relay had not relayed yet are queued
     * and go out first, in order; the relayed ones are not sent again.
     */
    @Test
    void anUpgradeQueuesTheRowsTheOldRelayHadNotRelayed() throws Exception {
        DriverManagerDataSource old = freshDatabase("hooksync_outbox_upgrade_it");
        Flyway.configure().dataSource(old).locations("classpath:db/migration/" + vendor())
                .table("hooksync_schema_history").target("10").load().migrate();
        JdbcTemplate oldJdbc = new JdbcTemplate(old);
        String row = "INSERT INTO hooksync_outbox (event_type, entity_key, payload, source, source_event_id, relayed_at)"
                + " VALUES ('issue.synced', ?, ?, 'github', ?, ?)";
        oldJdbc.update(row, "k1", "relayed before", "e1", new java.sql.Timestamp(System.currentTimeMillis()));
        oldJdbc.update(row, "k2", "waiting 1", "e2", null);
        oldJdbc.update(row, "k3", "waiting 2", "e3", null);

        ExternalDatabases.migrated(old, vendor());
        try (Connection c = old.getConnection()) {
            new OutboxWriter(dialect).write(c, List.of(new OutboxWriter.Row("issue.synced", "k4", "after", "github", "e4")));
        }
        MockProducer<byte[], byte[]> producer = producer(true);
        assertThat(new OutboxRelay(old, producer, 10, "test", new OutboxWriter(dialect), dialect).relayOnce()).isEqualTo(3);
        assertThat(payloads(producer)).containsExactly("waiting 1", "waiting 2", "after");
    }
}
