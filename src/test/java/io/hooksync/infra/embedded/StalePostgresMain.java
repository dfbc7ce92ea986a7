package io.hooksync.infra.embedded;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;

/** Child-JVM fixture: starts PostgreSQL on a data dir, writes a row, prints READY and waits to be killed. */
public final class StalePostgresMain {

    private StalePostgresMain() {
    }

    public static void main(String[] args) throws Exception {
        TestLogs.quiet();
        EmbeddedPostgresServer server = new EmbeddedPostgresServer(Path.of(args[0]), 0).start();
        try (Connection connection = server.dataSource().getConnection();
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS survivor (id int PRIMARY KEY, note text)");
            statement.execute("INSERT INTO survivor VALUES (1, 'written before SIGKILL')");
        }
        System.out.println("READY " + server.port());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
