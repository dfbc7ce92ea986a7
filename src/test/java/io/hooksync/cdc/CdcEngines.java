package io.hooksync.cdc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.hooksync.HooksyncApplication;
import io.hooksync.support.Await;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/** What the CDC integration tests do with an engine: start it, watch its outbox, see it refuse to start. */
final class CdcEngines {

    private CdcEngines() {
    }

    static ConfigurableApplicationContext start(List<String> args) {
        return new SpringApplicationBuilder(HooksyncApplication.class).build().run(args.toArray(String[]::new));
    }

    /** The messages of every cause of the failed start; fails the test when the engine started. */
    static String failedStart(List<String> args) {
        SpringApplication app = new SpringApplicationBuilder(HooksyncApplication.class).build();
        Throwable failure = catchThrowable(() -> app.run(args.toArray(String[]::new)).close());
        assertThat(failure).as("the engine must not start").isNotNull();
        StringBuilder all = new StringBuilder();
        for (Throwable c = failure; c != null; c = c.getCause()) {
            all.append(c.getMessage()).append('\n');
        }
        return all.toString();
    }

    static void awaitOutbox(JdbcTemplate jdbc, Map<String, Long> expected) {
        Await.until(Duration.ofSeconds(60), () -> outboxCounts(jdbc), expected::equals);
    }

    /** Outbox rows per event type. */
    static Map<String, Long> outboxCounts(JdbcTemplate jdbc) {
        Map<String, Long> counts = new TreeMap<>();
        jdbc.query("SELECT event_type, count(*) FROM hooksync_outbox GROUP BY event_type",
                rs -> {
                    counts.put(rs.getString(1), rs.getLong(2));
                });
        return counts;
    }
}
