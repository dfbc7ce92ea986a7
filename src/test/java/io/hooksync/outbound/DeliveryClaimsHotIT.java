package io.hooksync.outbound;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hooksync.infra.outbox.OutboxWriter;
import io.hooksync.infra.sql.SqlDialect;
import io.hooksync.support.ExternalDatabases;
import io.hooksync.support.UsesPostgres;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * PostgreSQL only (InnoDB updates rows in place): a claim, which changes no indexed column, is a heap-only-tuple
 * update, so it adds no entry to the delivery table's indexes (V13 leaves room on each page for it). Deliveries go
 * through the path the engine takes: dispatched in one batch, claimed a lane's worth at a time, each claim's
 * results recorded before the next claim.
 */
@UsesPostgres
class DeliveryClaimsHotIT {

    private static final int DELIVERIES = 680;
    private static final int CLAIM = 68;   // a lane at its starting limit: 4 + queue-per-endpoint 64

    @Test
    void claimsAreHeapOnlyUpdates() throws InterruptedException {
        DriverManagerDataSource ds = ExternalDatabases.migrated(new DriverManagerDataSource(
                ExternalDatabases.freshPostgres("hooksync_delivery_claims_hot_it"), "postgres", ""), "postgresql");
        JdbcTemplate jdbc = new JdbcTemplate(ds);
        SqlDialect dialect = SqlDialect.of("postgresql");
        DeliveryStore store = new DeliveryStore(jdbc, new TransactionTemplate(new DataSourceTransactionManager(ds)),
                dialect, new OutboxWriter(dialect), new ObjectMapper());
        new EndpointStore(jdbc, new SecretCipher(List.of(new byte[SecretCipher.KEY_BYTES])), new ObjectMapper())
                .insert(new Endpoint("ep_0123456789abcdef0123456789abcdef", "https://example.com/hook", null, List.of("*"),
                        null, Map.of(), Signatures.newSecret(), null, null, true, false, null, null, Endpoint.API, null, 0, 0));
        List<Delivery.Message> messages = new ArrayList<>();
        Map<String, List<String>> subscribers = new LinkedHashMap<>();
        for (int i = 0; i < DELIVERIES; i++) {   // ids and keys of the engine's lengths
            String id = "msg_7f3a9c2e_" + (1_000_000 + i);
            messages.add(new Delivery.Message(id, "issue.synced", "github_issues:" + (3_000_000_000L + i),
                    "{\"number\":" + i + "}", 1_000));
            subscribers.put(id, List.of("ep_0123456789abcdef0123456789abcdef"));
        }
        store.dispatch(messages, subscribers, 1_000, 1_000);

        int claims = 0;
        for (int round = 0; claims < DELIVERIES; round++) {
            long now = 2_000 + round;
            List<Delivery.Claimed> batch = store.claim("ep_0123456789abcdef0123456789abcdef", false, now, CLAIM,
                    "12345@hooksync-host-7f3a9c2e-1a2b3c4d", now + 90_000);
            assertThat(batch).hasSize(CLAIM);
            claims += batch.size();
            store.record(batch.stream().map(c -> new Delivery.Result(c, Delivery.Outcome.DELIVERED, now, 200, 3, "",
                    null, null)).toList(), Long.MAX_VALUE);
        }

        // every update so far: a claim and a result per delivery; the statistics reach the view within a second or so
        long[] counts = updates(jdbc);
        for (int i = 0; i < 100 && counts[0] < 2L * DELIVERIES; i++) {
            Thread.sleep(100);
            counts = updates(jdbc);
        }
        assertThat(counts[0]).as("updates of hooksync_deliveries").isEqualTo(2L * DELIVERIES);
        // the results change the status (a partial index's condition), so they are never HOT; most claims are (87% here with fillfactor 50, 17% without it)
        assertThat(counts[1]).as("heap-only updates of %d claims", DELIVERIES).isGreaterThanOrEqualTo(DELIVERIES * 8L / 10);
    }

    private static long[] updates(JdbcTemplate jdbc) {
        return jdbc.queryForObject("SELECT n_tup_upd, n_tup_hot_upd FROM pg_stat_user_tables WHERE relname = 'hooksync_deliveries'",
                (rs, n) -> new long[]{rs.getLong(1), rs.getLong(2)});
    }
}
