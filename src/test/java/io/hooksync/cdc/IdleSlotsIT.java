package io.hooksync.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.util.Set;

import io.hooksync.support.LogicalPostgres;
import org.junit.jupiter.api.Test;

/** A slot a disabled or removed source left behind is found (it keeps WAL for ever); captured and foreign ones are not. */
class IdleSlotsIT {

    @Test
    void anInactiveHooksyncSlotNoSourceCapturesIsFoundWithTheWalItKeeps() throws Exception {
        try (LogicalPostgres postgres = LogicalPostgres.start("logical")) {
            String url = postgres.url("postgres");
            LogicalPostgres.sql(url, "SELECT pg_create_logical_replication_slot('hooksync_gone', 'pgoutput')",
                    "SELECT pg_create_logical_replication_slot('hooksync_kept', 'pgoutput')",
                    "SELECT pg_create_logical_replication_slot('someone_elses', 'pgoutput')",
                    "CREATE TABLE filler (t text)", "INSERT INTO filler SELECT repeat('x', 1000) FROM generate_series(1, 2000)");
            try (Connection c = DriverManager.getConnection(url, "postgres", "")) {
                assertThat(IdleSlots.find(c, Set.of("hooksync_kept"))).singleElement().satisfies(slot -> {
                    assertThat(slot.name()).isEqualTo("hooksync_gone");
                    assertThat(slot.retainedBytes()).as("the WAL written since it was made").isGreaterThan(1_000_000);
                });
            }
        }
    }
}
