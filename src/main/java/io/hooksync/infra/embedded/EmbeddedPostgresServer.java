package io.hooksync.infra.embedded;

import io.hooksync.infra.BackgroundPriority;
import io.hooksync.infra.InvalidConfigurationException;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PostgreSQL 15 from Maven-shipped binaries on 127.0.0.1, data in data-dir/postgres, ready for logical
 * decoding. Logins need the generated password in data-dir/postgres.password ({@link PostgresPassword},
 * {@link PasswordAuthentication}).
 */
final class EmbeddedPostgresServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresServer.class);
    static final String DATABASE = "postgres";
    static final String USER = "postgres";

    private final Path pgData;
    private final int port;
    private EmbeddedPostgres postgres;
    private String password;

    /** A server keeping its data in {@code dataDir/postgres}; port 0 picks a free one at start. */
    EmbeddedPostgresServer(Path dataDir, int port) {
        this.pgData = dataDir.toAbsolutePath().normalize().resolve("postgres");
        this.port = port;
    }

    /** Stops a server left over by a killed JVM, then starts (running initdb on first use). */
    synchronized EmbeddedPostgresServer start() throws IOException {
        if (postgres != null) {
            throw new IllegalStateException("Embedded PostgreSQL is already running: " + jdbcUrl());
        }
        long started = System.nanoTime();
        Files.createDirectories(pgData.getParent());
        StalePostmaster.stopIfRunning(pgData);
        FreePorts.requireFree(port, "hooksync.database.embedded.port", "another PostgreSQL");
        password = PostgresPassword.readOrCreate(pgData.getParent());
        boolean passwordOnly = PasswordAuthentication.inPlace(pgData);
        postgres = EmbeddedPostgres.builder()
                .setDataDirectory(pgData)
                .setCleanDataDirectory(false)
                .setRegisterShutdownHook(false)
                .setPort(port)
                .setPGStartupWait(Duration.ofSeconds(60))
                .setConnectConfig("password", password)   // zonky's readiness check logs in too
                .setServerConfig("password_encryption", "scram-sha-256")
                .setServerConfig("listen_addresses", "127.0.0.1")
                .setServerConfig("wal_level", "logical")
                .setServerConfig("max_wal_senders", "10")
                .setServerConfig("max_replication_slots", "10")
                .setServerConfig("unix_socket_directories", "")
                // zonky's test-oriented defaults are -F (fsync off) and synchronous_commit=off: this data must last
                .setServerConfig("fsync", "on")
                .setServerConfig("synchronous_commit", "on")
                // server log in data-dir/postgres/log, one file per weekday, overwritten a week later
                .setServerConfig("logging_collector", "on")
                .setServerConfig("log_filename", "postgresql-%a.log")
                .setServerConfig("log_truncate_on_rotation", "on")
                .setServerConfig("log_rotation_age", "1d")
                .start();
        requireOwnServer();
        if (!passwordOnly) {
            PasswordAuthentication.enable(dataSource(), USER, password, pgData);
            log.info("Embedded PostgreSQL now accepts only password logins over 127.0.0.1 (password generated once,"
                    + " in {})", passwordFile());
        }
        log.info("Embedded PostgreSQL ready in {} ms at {} (user {}, password in {}: PGPASSWORD=$(cat {}) psql"
                        + " -h 127.0.0.1 -p {} -U {}); data and server log in {}",
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), jdbcUrl(), USER, passwordFile(),
                passwordFile(), port(), USER, pgData);
        return this;
    }

    /**
     * The server that answers on the port is the one started on this data directory: a server that took the port
     * between the check and the start would answer zonky's readiness check, and the engine would use its database.
     */
    private void requireOwnServer() throws IOException {
        String answering;
        try (Connection connection = dataSource().getConnection();
                ResultSet row = connection.createStatement().executeQuery("SHOW data_directory")) {
            answering = row.next() ? row.getString(1) : "";
        } catch (SQLException e) {
            answering = "unknown (" + e.getMessage() + ")";
        }
        if (!sameDirectory(answering, pgData)) {
            String problem = "hooksync.database.embedded.port: the PostgreSQL answering on 127.0.0.1:" + port()
                    + " is not the embedded one (its data directory is " + answering + "); set "
                    + "hooksync.database.embedded.port to a free port, or 0 for any free one";
            try {
                close();
            } catch (IOException e) {
                log.debug("Embedded PostgreSQL did not stop cleanly after the port check", e);
            }
            throw new InvalidConfigurationException(List.of(problem));
        }
    }

    /** Whether the server's {@code data_directory} is {@code own}, symbolic links resolved on both sides. */
    private static boolean sameDirectory(String answering, Path own) {
        try {
            return Files.isSameFile(Path.of(answering), own);
        } catch (IOException | RuntimeException e) {   // not a directory of this machine: another server's
            return false;
        }
    }

    /** JDBC URL of the {@code postgres} database, e.g. {@code jdbc:postgresql://127.0.0.1:15432/postgres}. */
    synchronized String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port() + "/" + DATABASE;
    }

    /** The port the server listens on. */
    synchronized int port() {
        if (postgres == null) {
            throw new IllegalStateException("Embedded PostgreSQL is not running");
        }
        return postgres.getPort();
    }

    /** An unpooled DataSource for the {@code postgres} database as user {@code postgres}, with its password. */
    DataSource dataSource() {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(jdbcUrl());
        dataSource.setUser(USER);
        dataSource.setPassword(password());
        return dataSource;
    }

    /** The superuser's password (known once the server started). */
    synchronized String password() {
        if (password == null) {
            throw new IllegalStateException("Embedded PostgreSQL has not started");
        }
        return password;
    }

    /** Where the password is kept: {@code data-dir/postgres.password}. */
    Path passwordFile() {
        return pgData.getParent().resolve(PostgresPassword.FILE_NAME);
    }

    /**
     * Adds {@code by} to the nice value of the server's processes (and of the backends it forks from now on, which
     * inherit it): the database serves the background work, never the ingress ({@code hooksync.background-nice}).
     */
    synchronized void lowerPriority(int by) {
        if (by == 0 || postgres == null) {
            return;
        }
        StalePostmaster.readPid(pgData.resolve("postmaster.pid")).stream()
                .mapToObj(ProcessHandle::of)
                .flatMap(Optional::stream)
                .forEach(postmaster -> BackgroundPriority.lowerProcessTree(postmaster, by));
    }

    /** The PostgreSQL data directory ({@code data-dir/postgres}). */
    Path dataDirectory() {
        return pgData;
    }

    /** Stops the server (fast shutdown); the data directory stays for the next start. */
    @Override
    public synchronized void close() throws IOException {
        if (postgres != null) {
            try {
                postgres.close();
            } finally {
                postgres = null;
            }
        }
    }
}
