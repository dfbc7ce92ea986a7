package io.hooksync.cdc;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Properties;

/**
 * A CDC source as it runs: its kind, where the database is, which tables, and the names derived from
 * the source name: the Kafka topic (the same one {@code hooksync:events?source=<name>} reads), for
 * PostgreSQL the replication slot and the publication ({@code hooksync_<name>}, '-' becoming '_'), for
 * MariaDB the replica server id and the schema-history topic.
 */
record CdcSource(Kind kind, String name, String topic, String jdbcUrl, String host, int port, String database,
                 String user, String password, List<String> tables, boolean publicationAutocreate, String snapshot,
                 Duration heartbeat, long maxLagBytes) {

    /** The databases a source can capture from, each through its own Debezium connector. */
    enum Kind {
        /** Logical decoding (pgoutput) through a replication slot and a publication. */
        POSTGRESQL,
        /** The row-format binary log, read as a replica would. */
        MARIADB
    }

    /** Slot and publication name: PostgreSQL allows lower-case letters, digits and '_' in slot names. */
    String slot() {
        return "hooksync_" + name.replace('-', '_');
    }

    String publication() {
        return slot();
    }

    /**
     * MariaDB: the server id this source uses as a binlog replica. It must differ from the server's own and
     * from every other replica; derived from the source name (so it stays the same across restarts) in
     * 5,400,000..5,499,999, far from the small ids servers are usually given.
     */
    int serverId() {
        return 5_400_000 + Math.floorMod(name.hashCode(), 100_000);
    }

    /** MariaDB: the compacted topic where Debezium keeps the captured tables' DDL history. */
    String schemaHistoryTopic() {
        return "hooksync.cdc.schema-history." + name;
    }

    /** What the health page and the logs call the source's position keeper. */
    String positionKeeper() {
        return kind == Kind.POSTGRESQL ? "slot " + slot() : "binlog replica server-id " + serverId();
    }

    /** A short-lived connection to the source database (setup checks, slot lag), 5 s connect timeout. */
    Connection connect() throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", user);
        if (!password.isEmpty()) {
            properties.setProperty("password", password);
        }
        if (kind == Kind.POSTGRESQL) {   // pgjdbc counts seconds
            properties.setProperty("connectTimeout", "5");
            properties.setProperty("socketTimeout", "30");
            properties.setProperty("ApplicationName", "hooksync-cdc-" + name);
        } else {                          // MariaDB Connector/J counts milliseconds
            properties.setProperty("connectTimeout", "5000");
            properties.setProperty("socketTimeout", "30000");
        }
        return DriverManager.getConnection(jdbcUrl, properties);
    }

    /** For logs: never the password. */
    String describe() {
        return "'" + name + "' (" + kind.name().toLowerCase(java.util.Locale.ROOT) + " " + user + "@" + host + ":"
                + port + "/" + database + ", tables " + tables + ", " + positionKeeper() + ") -> topic " + topic;
    }
}
