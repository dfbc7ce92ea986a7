package io.hooksync.backfill;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hooksync.sink.ReplaySink;
import io.hooksync.support.Await;
import io.hooksync.support.TestData;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.datasource.DelegatingDataSource;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The Backfill scenarios in embedded mode: in-JVM Kafka and the embedded PostgreSQL. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "GITHUB_WEBHOOK_SECRET=" + BackfillScenarios.SECRET,
        "STRIPE_WEBHOOK_SECRET=whsec_backfill",
        "hooksync.backfill.batch-size=100",
        "hooksync.backfill.sample-size=5000",
        "hooksync.backfill.poll-interval=200ms",
})
class BackfillIT extends BackfillScenarios {

    private static final Path DATA = TestData.directory("backfill");

    @Autowired
    ReplaySink sink;

    @Autowired
    ReplayStore store;

    @Autowired
    BackfillProperties properties;

    @Autowired
    DataSource dataSource;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws IOException {
        prepare(registry, DATA);
    }

    @Override
    Path mappings() {
        return DATA.resolve("mappings");
    }

    /**
     * The apply's connection is killed by the database while it writes a batch (as a deadlock victim's transaction
     * is, or a failover's): the batch is rolled back and written again on a new connection, and the replay succeeds
     * having read every event once. The apply is held on a table lock until its backend can be found and ended.
     */
    @Test
    @Order(100)
    void anApplyWhoseConnectionTheDatabaseEndsWritesTheBatchAgain() throws Exception {
        long rows = jdbc.queryForObject("SELECT COUNT(*) FROM bf_issues", Long.class);
        JsonNode apply;
        List<Integer> ended;
        try (Connection holder = jdbc.getDataSource().getConnection(); Statement lock = holder.createStatement()) {
            holder.setAutoCommit(false);
            lock.execute("LOCK TABLE bf_issues IN ACCESS EXCLUSIVE MODE");
            apply = create("{\"mode\":\"apply\",\"start\":\"beginning\"}");
            List<Integer> waiting = Await.until(Duration.ofSeconds(60), () -> jdbc.queryForList(
                    "SELECT pid FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()"
                            + " AND query LIKE '%bf_issues%'", Integer.class), pids -> !pids.isEmpty());
            ended = waiting.stream().filter(pid -> jdbc.queryForObject("SELECT pg_terminate_backend(?)", Boolean.class,
                    pid)).toList();
            holder.rollback();
        }
        assertThat(ended).as("the apply's backend was ended").isNotEmpty();
        JsonNode done = awaitEnd(apply.get("id").asText());
        assertThat(done.get("state").asText()).as(done.toString()).isEqualTo("succeeded");
        assertThat(done.get("eventsRead").asLong()).isEqualTo(done.get("eventsTotal").asLong());
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM bf_issues", Long.class)).isEqualTo(rows);
    }

    /**
     * The database commits the apply's first batch and the answer is lost (the connection breaks during COMMIT): the
     * replay sees an outage, finds its stored offsets at the batch's end, and goes on without writing or counting the
     * batch again, so it reads every event exactly once. Run by a runner of this test's own, on a replay this test
     * claimed (the engine's poller leaves a held lease alone), over a data source that loses the first COMMIT's answer.
     */
    @Test
    @Order(101)
    void anApplyWhoseCommitAnswerIsLostCountsTheBatchOnce() {
        ReplaySink.Route route = sink.route("issues").orElseThrow();
        Map<Integer, long[]> range = sink.range(route, null);
        long total = range.values().stream().mapToLong(r -> r[1] - r[0]).sum();
        String id = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
        long now = System.currentTimeMillis();
        store.create(new Replay(id, "issues", Replay.APPLY, "beginning", false, "issues", "bf_issues", "queued", false,
                null, total, 0, 0, 0, 0, 0, null, now, null, null), range);
        String owner = "lost-commit-test";
        assertThat(store.claim(id, owner, now, now + Duration.ofMinutes(10).toMillis())).isTrue();
        LosingFirstCommit losing = new LosingFirstCommit(dataSource);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        new ReplayRunner(sink, store, losing, new BackfillMetrics(registry), properties, new ObjectMapper(),
                Clock.systemUTC(), owner).run(id);

        assertThat(losing.lost.get()).as("one COMMIT's answer was lost").isEqualTo(1);
        Replay done = store.get(id);
        assertThat(done.state()).as(String.valueOf(done.error())).isEqualTo("succeeded");
        assertThat(done.eventsRead()).as("events read, counted once").isEqualTo(total);
        assertThat(registry.get("hooksync.backfill.events").counter().count()).isEqualTo(total);
        assertThat(registry.get("hooksync.backfill.batch.retries").counter().count()).isEqualTo(1);
    }

    /** Commits the first transaction its caller commits, then throws as a connection broken mid-COMMIT would. */
    private static final class LosingFirstCommit extends DelegatingDataSource {

        final AtomicInteger lost = new AtomicInteger();

        LosingFirstCommit(DataSource target) {
            super(target);
        }

        @Override
        public Connection getConnection() throws SQLException {
            Connection real = super.getConnection();
            return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(),
                    new Class<?>[] {Connection.class}, (proxy, method, args) -> {
                        try {
                            Object result = method.invoke(real, args);
                            if (method.getName().equals("commit") && lost.compareAndSet(0, 1)) {
                                throw new SQLException("I/O error: connection reset during COMMIT (test)", "08006");
                            }
                            return result;
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
        }
    }
}
