package io.hooksync.support;

import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A throw-away PostgreSQL 15 server (the Maven-shipped binaries of embedded mode) with the given
 * wal_level, for CDC tests: the machine's shared PostgreSQL is neither reconfigured nor restarted,
 * and dropping the server drops every replication slot a test made.
 */
public final class LogicalPostgres implements AutoCloseable {

    private final EmbeddedPostgres server;

    private LogicalPostgres(EmbeddedPostgres server) {
        this.server = server;
    }

    public static LogicalPostgres start(String walLevel) throws IOException {
        return new LogicalPostgres(EmbeddedPostgres.builder()
                .setServerConfig("wal_level", walLevel)
                .setServerConfig("max_replication_slots", "10")
                .setServerConfig("max_wal_senders", "10")
                .setServerConfig("listen_addresses", "127.0.0.1")
                .setServerConfig("unix_socket_directories", "")
                .start());
    }

    public String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + server.getPort() + "/" + database;
    }

    public static void sql(String url, String... statements) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, "postgres", ""); Statement s = c.createStatement()) {
            for (String statement : statements) {
                s.execute(statement);
            }
        }
    }

    public static long count(String url, String query) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, "postgres", ""); Statement s = c.createStatement();
             var rs = s.executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
