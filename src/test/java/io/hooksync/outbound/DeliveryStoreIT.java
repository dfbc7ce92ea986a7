package io.hooksync.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hooksync.infra.outbox.OutboxWriter;
import io.hooksync.infra.sql.SqlDialect;
import io.hooksync.support.ExternalDatabases;
import io.hooksync.support.UsesPostgres;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The delivery tables' rules on the local PostgreSQL, without clocks or HTTP: claims never hand out a
 * delivery twice, ordered endpoints get one delivery per key at a time, and recorded results decide
 * endpoint health (disable after the configured failing period or on 410) and operational events.
 */
@UsesPostgres
class DeliveryStoreIT {

    private static final long DAY = 86_400_000L;
    private JdbcTemplate jdbc;
    private DeliveryStore store;
    private EndpointStore endpoints;

    /** A fresh database and its Flyway location; a subclass runs the same rules on MariaDB. */
    DriverManagerDataSource freshDatabase() {
        return new DriverManagerDataSource(ExternalDatabases.freshPostgres("hooksync_delivery_store_it"), "postgres", "");
    }

    String vendor() {
        return "postgresql";
    }

    @BeforeEach
    void database() {
        DriverManagerDataSource ds = ExternalDatabases.migrated(freshDatabase(), vendor());
        jdbc = new JdbcTemplate(ds);
        SqlDialect dialect = SqlDialect.of(vendor());
        store = new DeliveryStore(jdbc, new TransactionTemplate(new DataSourceTransactionManager(ds)), dialect,
                new OutboxWriter(dialect), new ObjectMapper());
        endpoints = new EndpointStore(jdbc, new SecretCipher(List.of(new byte[SecretCipher.KEY_BYTES])), new ObjectMapper());
    }

    private void endpoint(String id, boolean ordered) {
        endpoints.insert(new Endpoint(id, "https://example.com/" + id, null, List.of("*"), null, Map.of(),
                Signatures.newSecret(), null, null, true, ordered, null, null, Endpoint.API, null, 0, 0));
    }

    private void messages(String endpoint, String... keys) {
        List<Delivery.Message> list = new ArrayList<>();
        Map<String, List<String>> subscribers = new java.util.LinkedHashMap<>();
        for (int i = 0; i < keys.length; i++) {
            String id = "msg_" + endpoint + "_" + i;
            list.add(new Delivery.Message(id, "thing.changed", keys[i], "{\"n\":" + i + "}", 1_000));
            subscribers.put(id, List.of(endpoint));
        }
        store.dispatch(list, subscribers, 1_000, 1_000);
    }

    private static Delivery.Result result(Delivery.Claimed c, Delivery.Outcome outcome, long at, Integer status, Long next) {
        return new Delivery.Result(c, outcome, at, status, 5, null, status == null ? "IOException: refused" : "HTTP " + status, next);
    }

    private List<String> outboxTypes() {
        return jdbc.queryForList("SELECT event_type FROM hooksync_outbox ORDER BY id", String.class);
    }

    @Test
    void dueEndpointsAreThoseWithAnUnclaimedDeliveryDueNow() {
        endpoint("ep_due", false);
        endpoint("ep_claimed", false);
        endpoint("ep_later", false);
        endpoint("ep_gone", false);
        endpoint("ep_idle", false);
        messages("ep_due", "a", "b");
        messages("ep_claimed", "a");
        messages("ep_later", "a");
        messages("ep_gone", "a");
        assertThat(store.claim("ep_claimed", false, 1_000, 10, "i1", 60_000)).hasSize(1);
        jdbc.update("UPDATE hooksync_deliveries SET next_attempt_at = 5000 WHERE endpoint_id = 'ep_later'");
        jdbc.update("DELETE FROM hooksync_endpoints WHERE id = 'ep_gone'");
        assertThat(store.dueEndpoints(1_000)).containsExactly("ep_due");
        assertThat(store.dueEndpoints(5_000)).containsExactlyInAnyOrder("ep_due", "ep_later");
        assertThat(store.dueEndpoints(60_000)).containsExactlyInAnyOrder("ep_due", "ep_later", "ep_claimed");
    }

    @Test
    void aDeliveryIsClaimedOnceAndADispatchedTwiceMessageYieldsOneDelivery() {
        endpoint("a", false);
        messages("a", "k1", "k2", "k3");
        messages("a", "k1", "k2", "k3");   // the same messages again (a relay replay)
        assertThat(jdbc.queryForObject("SELECT count(*) FROM hooksync_deliveries", Integer.class)).isEqualTo(3);
        List<Delivery.Claimed> first = store.claim("a", false, 2_000, 2, "one", 100_000);
        List<Delivery.Claimed> second = store.claim("a", false, 2_000, 10, "two", 100_000);
        assertThat(first).hasSize(2);
        assertThat(second).hasSize(1);
        assertThat(second.get(0).deliveryId()).isNotIn(first.stream().map(Delivery.Claimed::deliveryId).toList());
        assertThat(store.claim("a", false, 2_000, 10, "three", 100_000)).isEmpty();
        // after the lease another instance may take them
        assertThat(store.claim("a", false, 100_001, 10, "three", 200_000)).hasSize(3);
    }

    /**
     * Instances claiming one endpoint's deliveries at the same moment: each delivery goes to exactly one of them (the
     * claim's locking read skips rows another claim holds; without it two instances would both send a delivery).
     */
    @Test
    void concurrentClaimsHandEachDeliveryToOneInstance() throws Exception {
        endpoint("race", false);
        int deliveries = 300;
        messages("race", IntStream.range(0, deliveries).mapToObj(i -> "k" + i).toArray(String[]::new));
        int instances = 4;
        ExecutorService pool = Executors.newFixedThreadPool(instances);
        CyclicBarrier together = new CyclicBarrier(instances);
        try {
            List<Future<List<Long>>> claims = new ArrayList<>();
            for (int i = 0; i < instances; i++) {
                String instance = "instance-" + i;
                claims.add(pool.submit(() -> {
                    together.await();
                    List<Long> mine = new ArrayList<>();
                    List<Delivery.Claimed> batch;
                    do {
                        batch = store.claim("race", false, 2_000, 5, instance, 100_000);
                        batch.forEach(c -> mine.add(c.deliveryId()));
                    } while (!batch.isEmpty());
                    return mine;
                }));
            }
            List<Long> all = new ArrayList<>();
            for (Future<List<Long>> claim : claims) {
                all.addAll(claim.get(60, TimeUnit.SECONDS));
            }
            assertThat(all).doesNotHaveDuplicates().hasSize(deliveries);
            assertThat(jdbc.queryForObject("SELECT count(DISTINCT locked_by) FROM hooksync_deliveries", Integer.class))
                    .as("instances that got some").isGreaterThan(1);
        } finally {
            pool.shutdownNow();
        }
    }

    /** Oldest due first, then by id: which deliveries a claim takes, and the order it hands them to the lane. */
    @Test
    void aClaimHandsOutTheOldestDueFirst() {
        endpoint("d", false);
        messages("d", "k1", "k2", "k3", "k4");
        jdbc.update("UPDATE hooksync_deliveries SET next_attempt_at = 1500 WHERE message_id = 'msg_d_0'");
        jdbc.update("UPDATE hooksync_deliveries SET next_attempt_at = 900 WHERE message_id = 'msg_d_3'");
        assertThat(store.claim("d", false, 2_000, 3, "one", 100_000)).extracting(c -> c.message().id())
                .containsExactly("msg_d_3", "msg_d_1", "msg_d_2");
        assertThat(store.claim("d", false, 2_000, 3, "one", 100_000)).extracting(c -> c.message().id(),
                Delivery.Claimed::attempts, c -> c.message().payload()).containsExactly(
                tuple("msg_d_0", 0, "{\"n\":0}"));
    }

    @Test
    void aMessageTwiceInOnePollIsStoredAndDeliveredOnce() {
        endpoint("d", false);
        endpoint("e", false);
        Delivery.Message m = new Delivery.Message("msg_twice", "thing.changed", "k", "{\"n\":1}", 1_000);
        Delivery.Message other = new Delivery.Message("msg_other", "thing.changed", "k2", "{\"n\":2}", 1_000);
        // a relay that published a batch again before its commit: the copies can meet in one poll
        store.dispatch(List.of(m, other, m), Map.of("msg_twice", List.of("d", "e"), "msg_other", List.of("d")), 1_000, 1_000);
        assertThat(jdbc.queryForList("SELECT id FROM hooksync_messages ORDER BY id", String.class))
                .containsExactly("msg_other", "msg_twice");
        assertThat(jdbc.queryForList("SELECT CONCAT_WS(':', endpoint_id, message_id) FROM hooksync_deliveries ORDER BY id",
                String.class)).containsExactly("d:msg_twice", "e:msg_twice", "d:msg_other");
    }

    @Test
    void eachResultOfABatchSetsItsOwnDeliveryAndReleasesItsClaim() {
        endpoint("r", false);
        messages("r", "k1", "k2", "k3", "k4");
        List<Delivery.Claimed> c = store.claim("r", false, 2_000, 10, "one", 100_000);
        assertThat(c).hasSize(4);
        store.record(List.of(result(c.get(0), Delivery.Outcome.DELIVERED, 3_000, 204, null),
                result(c.get(1), Delivery.Outcome.FAILED, 3_001, null, 9_000L),
                new Delivery.Result(c.get(2), Delivery.Outcome.DEFERRED, 3_002, null, 0, null, "circuit breaker open", 4_000L),
                result(c.get(3), Delivery.Outcome.FAILED, 3_003, 503, 8_000L)), 5 * DAY);
        // CONCAT_WS reads the same on both databases ('||' is OR on MariaDB)
        assertThat(jdbc.queryForList("SELECT CONCAT_WS(' ', message_id, status, attempts, next_attempt_at,"
                + " coalesce(cast(last_status_code AS char(3)), '-'), coalesce(last_error, '-'), updated_at, locked_until,"
                + " coalesce(locked_by, '-')) FROM hooksync_deliveries ORDER BY id", String.class)).containsExactly(
                "msg_r_0 delivered 1 0 204 HTTP 204 3000 0 -",
                "msg_r_1 pending 1 9000 - IOException: refused 3001 0 -",
                "msg_r_2 pending 0 4000 - circuit breaker open 3002 0 -",
                "msg_r_3 pending 1 8000 503 HTTP 503 3003 0 -");
        // a deferred delivery was not attempted: three attempt rows, in the results' order
        assertThat(jdbc.queryForList("SELECT CONCAT_WS(' ', message_id, outcome, latency_ms) FROM hooksync_attempts"
                + " ORDER BY id", String.class)).containsExactly("msg_r_0 delivered 5", "msg_r_1 failed 5", "msg_r_3 failed 5");
    }

    /**
     * A resend while the delivery's attempt is under way (the receiver has the request, its result is not written
     * yet): the attempt's result must not overwrite the resend's schedule, or the resend is lost although the API
     * accepted it (DeliveryMariaDbIT saw it on a loaded machine). The attempt stays in the history.
     */
    @Test
    void aResendDuringAnAttemptIsNotUndoneByThatAttemptsResult() {
        endpoint("z", false);
        messages("z", "k1");
        Delivery.Claimed claimed = store.claim("z", false, 2_000, 10, "one", 100_000).get(0);
        assertThat(store.resend("z", "msg_z_0", 2_500)).isTrue();
        store.record(List.of(result(claimed, Delivery.Outcome.DELIVERED, 3_000, 200, null)), 5 * DAY);
        assertThat(jdbc.queryForList("SELECT CONCAT_WS(' ', status, attempts, next_attempt_at, locked_until)"
                + " FROM hooksync_deliveries", String.class)).containsExactly("pending 0 2500 0");
        assertThat(jdbc.queryForList("SELECT outcome FROM hooksync_attempts", String.class)).containsExactly("delivered");
        assertThat(store.claim("z", false, 3_000, 10, "one", 100_000)).extracting(c -> c.message().id())
                .containsExactly("msg_z_0");
    }

    /**
     * The same, with the resent delivery claimed again before the old attempt's result is written: that result must
     * leave the new claim alone, and the new attempt's result is the one the delivery keeps.
     */
    @Test
    void aResultWritesOnlyToTheClaimItCameFrom() {
        endpoint("y", false);
        messages("y", "k1");
        Delivery.Claimed first = store.claim("y", false, 2_000, 10, "one", 100_000).get(0);
        assertThat(store.resend("y", "msg_y_0", 2_500)).isTrue();
        Delivery.Claimed second = store.claim("y", false, 2_600, 10, "one", 100_600).get(0);
        store.record(List.of(result(first, Delivery.Outcome.DELIVERED, 3_000, 200, null)), 5 * DAY);
        assertThat(jdbc.queryForList("SELECT CONCAT_WS(' ', status, attempts, locked_until) FROM hooksync_deliveries",
                String.class)).containsExactly("pending 0 100600");
        store.record(List.of(result(second, Delivery.Outcome.FAILED, 3_100, 500, 9_000L)), 5 * DAY);
        assertThat(jdbc.queryForList("SELECT CONCAT_WS(' ', status, attempts, next_attempt_at, locked_until)"
                + " FROM hooksync_deliveries", String.class)).containsExactly("pending 1 9000 0");
        assertThat(jdbc.queryForList("SELECT outcome FROM hooksync_attempts ORDER BY id", String.class))
                .containsExactly("delivered", "failed");
    }

    @Test
    void anOrderedEndpointGetsOneDeliveryPerKeyAtATime() {
        endpoint("o", true);
        messages("o", "k1", "k1", "k2");
        List<Delivery.Claimed> claimed = store.claim("o", true, 2_000, 10, "one", 100_000);
        assertThat(claimed).extracting(c -> c.message().id()).containsExactly("msg_o_0", "msg_o_2");
        // the first k1 fails and waits for its retry: the second k1 still waits behind it
        store.record(List.of(result(claimed.get(0), Delivery.Outcome.FAILED, 2_000, 500, 5_000L),
                result(claimed.get(1), Delivery.Outcome.DELIVERED, 2_000, 200, null)), 5 * DAY);
        assertThat(store.claim("o", true, 3_000, 10, "one", 100_000)).isEmpty();
        List<Delivery.Claimed> retry = store.claim("o", true, 5_000, 10, "one", 100_000);
        assertThat(retry).extracting(c -> c.message().id()).containsExactly("msg_o_0");
        assertThat(retry.get(0).attempts()).isEqualTo(1);
        store.record(List.of(result(retry.get(0), Delivery.Outcome.DELIVERED, 5_000, 200, null)), 5 * DAY);
        assertThat(store.claim("o", true, 5_000, 10, "one", 100_000)).extracting(c -> c.message().id())
                .containsExactly("msg_o_1");
    }

    @Test
    void anEndpointFailingLongerThanTheLimitIsDisabledOnceAndTheNewsIsEmitted() {
        endpoint("f", false);
        messages("f", "k1", "k2", "k3");
        List<Delivery.Claimed> c = store.claim("f", false, 2_000, 10, "one", 100_000);
        store.record(List.of(result(c.get(0), Delivery.Outcome.FAILED, 10_000, 500, 20_000L)), 5 * DAY);
        assertThat(endpoints.find("f").orElseThrow().failingSince()).isEqualTo(10_000L);
        assertThat(endpoints.find("f").orElseThrow().enabled()).isTrue();
        // still failing just under five days later: enabled
        store.record(List.of(result(c.get(1), Delivery.Outcome.FAILED, 10_000 + 5 * DAY - 1, null, 20_000L)), 5 * DAY);
        assertThat(endpoints.find("f").orElseThrow().enabled()).isTrue();
        assertThat(outboxTypes()).isEmpty();
        // past five days: disabled, one endpoint.disabled
        store.record(List.of(result(c.get(2), Delivery.Outcome.FAILED, 10_000 + 5 * DAY, 503, 20_000L)), 5 * DAY);
        Endpoint disabled = endpoints.find("f").orElseThrow();
        assertThat(disabled.enabled()).isFalse();
        assertThat(disabled.disabledReason()).contains("failing continuously");
        assertThat(outboxTypes()).containsExactly("endpoint.disabled");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM hooksync_attempts WHERE endpoint_id = 'f'", Integer.class))
                .isEqualTo(3);
    }

    @Test
    void aSuccessClearsTheFailingPeriodAndGoneDisablesAtOnce() {
        endpoint("s", false);
        endpoint("g", false);
        messages("s", "k1", "k2");
        messages("g", "k1");
        List<Delivery.Claimed> s = store.claim("s", false, 2_000, 10, "one", 100_000);
        store.record(List.of(result(s.get(0), Delivery.Outcome.FAILED, 10_000, 500, 20_000L)), 5 * DAY);
        store.record(List.of(result(s.get(1), Delivery.Outcome.DELIVERED, 11_000, 200, null)), 5 * DAY);
        assertThat(endpoints.find("s").orElseThrow().failingSince()).isNull();

        Delivery.Claimed g = store.claim("g", false, 2_000, 10, "one", 100_000).get(0);
        store.record(List.of(result(g, Delivery.Outcome.GONE, 12_000, 410, null)), 5 * DAY);
        assertThat(endpoints.find("g").orElseThrow().enabled()).isFalse();
        assertThat(endpoints.find("g").orElseThrow().disabledReason()).contains("410");
        assertThat(outboxTypes()).containsExactly("endpoint.disabled");
        assertThat(jdbc.queryForObject("SELECT status FROM hooksync_deliveries WHERE endpoint_id = 'g'", String.class))
                .isEqualTo("failed");
    }

    @Test
    void anExhaustedScheduleIsEmittedExceptForOperationalMessages() {
        endpoint("x", false);
        List<Delivery.Message> list = List.of(new Delivery.Message("msg_1", "invoice.paid", "k", "{}", 1_000),
                new Delivery.Message("msg_2", "endpoint.disabled", "k2", "{}", 1_000));
        store.dispatch(list, Map.of("msg_1", List.of("x"), "msg_2", List.of("x")), 1_000, 1_000);
        List<Delivery.Claimed> c = store.claim("x", false, 2_000, 10, "one", 100_000);
        store.record(List.of(result(c.get(0), Delivery.Outcome.FAILED, 3_000, 500, null),
                result(c.get(1), Delivery.Outcome.FAILED, 3_000, 500, null)), 5 * DAY);
        assertThat(outboxTypes()).containsExactly("message.attempt.exhausted");
        assertThat(jdbc.queryForList("SELECT status FROM hooksync_deliveries", String.class)).containsOnly("failed");
        // recover gives failed deliveries a fresh schedule
        assertThat(store.recover("x", 0, 4_000)).isEqualTo(2);
        assertThat(store.claim("x", false, 4_000, 10, "one", 100_000)).hasSize(2).allMatch(d -> d.attempts() == 0);
    }

    @Test
    void pruningRemovesOldHistoryButNothingAPendingDeliveryNeeds() {
        endpoint("p", false);
        messages("p", "k1", "k2");
        List<Delivery.Claimed> c = store.claim("p", false, 2_000, 10, "one", 100_000);
        store.record(List.of(result(c.get(0), Delivery.Outcome.DELIVERED, 3_000, 200, null),
                result(c.get(1), Delivery.Outcome.FAILED, 3_000, 500, 50_000L)), 5 * DAY);
        String outbox = "INSERT INTO hooksync_outbox (event_type, entity_key, payload, source, source_event_id,"
                + " created_at, writer_version) VALUES ('thing.changed', 'k', '{}', 'test', ?, ?, 2)";
        jdbc.update(outbox, "relayed-long-ago", new java.sql.Timestamp(5_000));
        jdbc.update(outbox, "relayed-later", new java.sql.Timestamp(20_000));
        jdbc.update(outbox, "never-relayed", new java.sql.Timestamp(5_000));
        jdbc.update("INSERT INTO hooksync_outbox_queue (outbox_id) SELECT id FROM hooksync_outbox"
                + " WHERE source_event_id = 'never-relayed'");   // still queued for the relay, as OutboxWriter leaves it
        // everything is older than 10_000 except that msg_p_1 still has a pending delivery, an outbox row written
        // after it, and one not relayed yet
        int removed = store.prune(10_000, 1);   // tiny batches: one row per table per call
        assertThat(removed).isEqualTo(4);
        while (store.prune(10_000, 1) > 0) {
            // until done
        }
        assertThat(jdbc.queryForList("SELECT id FROM hooksync_messages", String.class)).containsExactly("msg_p_1");
        assertThat(jdbc.queryForList("SELECT message_id FROM hooksync_deliveries", String.class)).containsExactly("msg_p_1");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM hooksync_attempts", Integer.class)).isZero();
        assertThat(jdbc.queryForList("SELECT source_event_id FROM hooksync_outbox WHERE source = 'test'"
                + " ORDER BY source_event_id", String.class)).containsExactly("never-relayed", "relayed-later");
        assertThat(store.prune(1_000, 100)).as("nothing is older than 1_000").isZero();
    }
}
