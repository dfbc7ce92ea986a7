package io.hooksync.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Fresh databases on the machine's local services (PostgreSQL 127.0.0.1:5432 trust auth, MariaDB
 * 127.0.0.1:3306 root). A missing service fails the test: nothing is skipped.
 */
public final class ExternalDatabases {

    public static final String POSTGRES_URL = "jdbc:postgresql://127.0.0.1:5432/";
    public static final String MARIADB_URL = "jdbc:mariadb://127.0.0.1:3306/";

    private ExternalDatabases() {
    }

    /** Drops and creates database {@code name} on the local PostgreSQL; returns its JDBC URL. */
    public static String freshPostgres(String name) {
        run(POSTGRES_URL + "postgres", "postgres", "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)",
                "CREATE DATABASE " + name);
        return POSTGRES_URL + name;
    }

    /** Drops and creates database {@code name} on the local MariaDB; returns its JDBC URL. */
    public static String freshMariaDb(String name) {
        run(MARIADB_URL, "root", "DROP DATABASE IF EXISTS " + name,
                "CREATE DATABASE " + name + " CHARACTER SET utf8mb4");
        return MARIADB_URL + name;
    }

    private static void run(String url, String user, String... statements) {
        try (Connection c = DriverManager.getConnection(url, user, ""); Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("local database service at " + url + " is not usable (run .ci/prepare-services): "
                    + e.getMessage(), e);
        }
    }
}
