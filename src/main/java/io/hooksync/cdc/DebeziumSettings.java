package io.hooksync.cdc;

import java.time.Duration;
import java.util.Properties;
import java.util.stream.Collectors;

/**
 * The Debezium embedded-engine configuration of one source. Offsets go to a compacted Kafka topic on
 * the backbone (durable, shared by every instance; never a file under /tmp); the key in it is the engine
 * name {@code hooksync-cdc-<source>}. A MariaDB source also keeps the captured tables' DDL history in a
 * Kafka topic of its own (the binlog holds rows without their schema), again never a local file.
 */
final class DebeziumSettings {

    private DebeziumSettings() {
    }

    static Properties of(CdcSource source, String offsetTopic, Duration offsetFlushInterval, String bootstrapServers,
                         int replicationFactor) {
        Properties p = new Properties();
        p.setProperty("name", "hooksync-cdc-" + source.name());
        p.setProperty("offset.storage", KafkaOffsetStore.class.getName());
        p.setProperty("offset.storage.topic", offsetTopic);
        p.setProperty("offset.storage.partitions", "1");
        p.setProperty("offset.storage.replication.factor", Integer.toString(replicationFactor));
        p.setProperty("offset.flush.interval.ms", Long.toString(offsetFlushInterval.toMillis()));
        p.setProperty("bootstrap.servers", bootstrapServers);
        p.setProperty("topic.prefix", source.name());
        p.setProperty("database.hostname", source.host());
        p.setProperty("database.port", Integer.toString(source.port()));
        p.setProperty("database.user", source.user());
        p.setProperty("database.password", source.password());
        if (source.kind() == CdcSource.Kind.POSTGRESQL) {
            p.setProperty("connector.class", "io.debezium.connector.postgresql.PostgresConnector");
            p.setProperty("database.dbname", source.database());
            p.setProperty("plugin.name", "pgoutput");
            p.setProperty("slot.name", source.slot());
            p.setProperty("publication.name", source.publication());
            p.setProperty("publication.autocreate.mode", source.publicationAutocreate() ? "filtered" : "disabled");
        } else {
            p.setProperty("connector.class", "io.debezium.connector.mariadb.MariaDbConnector");
            p.setProperty("database.server.id", Integer.toString(source.serverId()));
            p.setProperty("database.include.list", source.tables().stream().map(t -> t.substring(0, t.indexOf('.')))
                    .distinct().map(DebeziumSettings::literal).collect(Collectors.joining(",")));
            p.setProperty("schema.history.internal", "io.debezium.storage.kafka.history.KafkaSchemaHistory");
            p.setProperty("schema.history.internal.kafka.topic", source.schemaHistoryTopic());
            p.setProperty("schema.history.internal.kafka.bootstrap.servers", bootstrapServers);
            // only the captured tables' DDL: the history stays small and other schemas' DDL cannot break it
            p.setProperty("schema.history.internal.store.only.captured.tables.ddl", "true");
            p.setProperty("schema.history.internal.store.only.captured.databases.ddl", "true");
            // the snapshot takes no lock: 'minimal' would take FLUSH TABLES WITH READ LOCK for a moment, which
            // needs RELOAD and blocks every writer of the server. Consistent while the captured tables' DDL
            // does not change during the snapshot (docs/architecture.md)
            p.setProperty("snapshot.locking.mode", "none");
        }
        p.setProperty("table.include.list", source.tables().stream().map(DebeziumSettings::literal)
                .collect(Collectors.joining(",")));
        p.setProperty("snapshot.mode", source.snapshot());
        // heartbeats move the stored position while captured tables are idle (PostgreSQL then frees WAL)
        p.setProperty("heartbeat.interval.ms", Long.toString(source.heartbeat().toMillis()));
        // a delete is one event (op=delete, key and before); no extra Kafka tombstone
        p.setProperty("tombstones.on.delete", "false");
        // numeric columns arrive as exact decimal text instead of Connect's base64 bytes
        p.setProperty("decimal.handling.mode", "string");
        p.setProperty("max.batch.size", "2048");
        return p;
    }

    /** Debezium's include lists are regular expressions: a table name must match itself only. */
    private static String literal(String name) {
        return name.replace(".", "\\.").replace("$", "\\$");
    }
}
