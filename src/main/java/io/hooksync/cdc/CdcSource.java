package io.hooksync.cdc;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Properties;

/**
 * A CDC source as it runs: where the database is, which tables, and the names derived from the source
 * name: the Kafka topic (the same one {@code hooksync:events?source=<name>} reads), the replication
 * slot and the publication ({@code hooksync_<name>}, '-' becoming '_').
 */
record CdcSource(String name, String topic, String jdbcUrl, String host, int port, String database, String user,
                 String password, List<String> tables, boolean publicationAutocreate, String snapshot,
                 Duration heartbeat, long maxLagBytes) {

    /** Slot and publication name: PostgreSQL allows lower-case letters, digits and '_' in slot names. */
    String slot() {
        return "hooksync_" + name.replace('-', '_');
    }

    String publication() {
        return slot();
    }

    /** A short-lived connection to the source database (setup checks, slot lag), 5 s connect timeout. */
    Connection connect() throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", user);
        if (!password.isEmpty()) {
            properties.setProperty("password", password);
        }
        properties.setProperty("connectTimeout", "5");
        properties.setProperty("socketTimeout", "30");
        properties.setProperty("ApplicationName", "hooksync-cdc-" + name);
        return DriverManager.getConnection(jdbcUrl, properties);
    }

    /** For logs: never the password. */
    String describe() {
        return "'" + name + "' (" + user + "@" + host + ":" + port + "/" + database + ", tables " + tables
                + ", slot " + slot() + ") -> topic " + topic;
    }
}
