package io.hooksync.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;

/**
 * Fresh databases on the shared PostgreSQL (logical WAL, trust authentication: user {@code postgres},
 * empty password) and MariaDB (ROW binary log, {@code root} with an empty password) containers of
 * {@link Containers}. Test classes that use them carry {@link UsesPostgres} or {@link UsesMariaDb}.
 */
public final class ExternalDatabases {

    private ExternalDatabases() {
    }

    /** {@code jdbc:postgresql://host:port/} of the shared PostgreSQL; append a database name. */
    public static String postgresUrl() {
        return "jdbc:postgresql://" + Containers.host(Containers.postgres()) + ":" + Containers.postgres().getMappedPort(5432) + "/";
    }

    /** {@code jdbc:mariadb://host:port/} of the shared MariaDB; append a database name. */
    public static String mariaDbUrl() {
        return "jdbc:mariadb://" + Containers.host(Containers.mariaDb()) + ":" + Containers.mariaDb().getMappedPort(3306) + "/";
    }

    /** Drops and creates database {@code name} on the shared PostgreSQL; returns its JDBC URL. */
    public static String freshPostgres(String name) {
        run(postgresUrl() + "postgres", "postgres", "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)",
                "CREATE DATABASE " + name);
        return postgresUrl() + name;
    }

    /** Drops and creates database {@code name} on the shared MariaDB; returns its JDBC URL. */
    public static String freshMariaDb(String name) {
        run(mariaDbUrl(), "root", "DROP DATABASE IF EXISTS " + name,
                "CREATE DATABASE " + name + " CHARACTER SET utf8mb4");
        return mariaDbUrl() + name;
    }

    /**
     * The engine's tables in {@code database}, migrated as the engine does it (application.yaml's {@code spring.flyway}:
     * {@code db/migration/<vendor>}, history in {@code hooksync_schema_history}); returns {@code database}.
     */
    public static <D extends DataSource> D migrated(D database, String vendor) {
        Flyway.configure().dataSource(database).locations("classpath:db/migration/" + vendor)
                .table("hooksync_schema_history").load().migrate();
        return database;
    }

    private static void run(String url, String user, String... statements) {
        try (Connection c = DriverManager.getConnection(url, user, ""); Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("database container at " + url + " is not usable: " + e.getMessage(), e);
        }
    }
}
