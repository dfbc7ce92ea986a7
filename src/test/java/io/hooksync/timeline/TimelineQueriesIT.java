package io.hooksync.timeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hooksync.infra.outbox.OutboxWriter;
import io.hooksync.infra.sql.SqlDialect;
import io.hooksync.support.ExternalDatabases;
import io.hooksync.support.UsesPostgres;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * The timeline's outbox rows on the shared PostgreSQL, without Kafka: an outbound event still in the relay's queue is
 * shown {@code relayed: false}, and {@code true} once the relay has taken it off the queue (TimelineIT sees only the
 * second, the relay being faster than its first read).
 */
@UsesPostgres
class TimelineQueriesIT {

    @Test
    void anOutboundEventIsRelayedOnlyOnceItLeftTheRelaysQueue() {
        DriverManagerDataSource ds = ExternalDatabases.migrated(new DriverManagerDataSource(
                ExternalDatabases.freshPostgres("hooksync_timeline_queries_it"), "postgres", ""), "postgresql");
        JdbcTemplate jdbc = new JdbcTemplate(ds);
        OutboxWriter outbox = new OutboxWriter(SqlDialect.of("postgresql"));
        jdbc.execute((ConnectionCallback<Void>) c -> {
            outbox.write(c, List.of(new OutboxWriter.Row("issue.synced", "github_issues:7", "{\"id\":7}", "github", "d-1"),
                    new OutboxWriter.Row("issue.synced", "github_issues:8", "{\"id\":8}", "github", "d-1")));
            return null;
        });
        TimelineQueries queries = new TimelineQueries(jdbc, new ObjectMapper(),
                new EventBodies((topic, partition, offset) -> Optional.empty(), "hooksync.events.", 1024));

        assertThat(queries.timeline("github", "d-1").outbox())
                .extracting(EventTimeline.TimelineOutboxRow::entityKey, EventTimeline.TimelineOutboxRow::relayed)
                .containsExactly(tuple("github_issues:7", false),
                        tuple("github_issues:8", false));

        // what the relay does once Kafka has acknowledged a message: its queue entry goes, the outbox row stays
        long first = jdbc.queryForObject("SELECT min(id) FROM hooksync_outbox", Long.class);
        jdbc.update("DELETE FROM " + OutboxWriter.QUEUE + " WHERE outbox_id = ?", first);

        assertThat(queries.timeline("github", "d-1").outbox())
                .extracting(EventTimeline.TimelineOutboxRow::entityKey, EventTimeline.TimelineOutboxRow::relayed)
                .containsExactly(tuple("github_issues:7", true),
                        tuple("github_issues:8", false));
        assertThat(queries.timeline("github", "d-2")).as("an event nothing knows").isNull();
    }
}
