package io.hooksync.support;

import java.util.List;

import io.hooksync.infra.outbox.OutboxWriter;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;

/** Outbox rows for delivery tests, written the way the sink writes them: through the engine's {@link OutboxWriter}. */
public final class Outbox {

    private Outbox() {
    }

    /**
     * One outbox row of {@code type} about {@code key} (also its cause's id, source {@code test}), queued for the
     * engine's relay, which is woken as after a sink commit.
     */
    public static void emit(ApplicationContext engine, String type, String key, String json) {
        OutboxWriter writer = engine.getBean(OutboxWriter.class);
        engine.getBean(JdbcTemplate.class).execute((ConnectionCallback<Void>) c -> {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                writer.write(c, List.of(new OutboxWriter.Row(type, key, json, "test", key)));
                c.commit();
            } catch (Exception e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(autoCommit);
            }
            return null;
        });
        writer.committed();
    }
}
