package io.hooksync.cdc;

import java.time.Duration;
import java.util.Properties;
import java.util.stream.Collectors;

/**
 * The Debezium embedded-engine configuration of one PostgreSQL source. Offsets go to a compacted Kafka
 * topic on the backbone (durable, shared by every instance; never a file under /tmp); the key in it is
 * the engine name {@code hooksync-cdc-<source>}.
 */
final class DebeziumSettings {

    private DebeziumSettings() {
    }

    static Properties of(CdcSource source, String offsetTopic, Duration offsetFlushInterval, String bootstrapServers,
                         int replicationFactor) {
        Properties p = new Properties();
        p.setProperty("name", "hooksync-cdc-" + source.name());
        p.setProperty("connector.class", "io.debezium.connector.postgresql.PostgresConnector");
        p.setProperty("offset.storage", KafkaOffsetStore.class.getName());
        p.setProperty("offset.storage.topic", offsetTopic);
        p.setProperty("offset.storage.partitions", "1");
        p.setProperty("offset.storage.replication.factor", Integer.toString(replicationFactor));
        p.setProperty("offset.flush.interval.ms", Long.toString(offsetFlushInterval.toMillis()));
        p.setProperty("bootstrap.servers", bootstrapServers);
        p.setProperty("topic.prefix", source.name());
        p.setProperty("database.hostname", source.host());
        p.setProperty("database.port", Integer.toString(source.port()));
        p.setProperty("database.dbname", source.database());
        p.setProperty("database.user", source.user());
        p.setProperty("database.password", source.password());
        p.setProperty("plugin.name", "pgoutput");
        p.setProperty("slot.name", source.slot());
        p.setProperty("publication.name", source.publication());
        p.setProperty("publication.autocreate.mode", source.publicationAutocreate() ? "filtered" : "disabled");
        p.setProperty("table.include.list", source.tables().stream()
                .map(t -> t.replace(".", "\\.")).collect(Collectors.joining(",")));
        p.setProperty("snapshot.mode", source.snapshot());
        // heartbeats let the connector confirm the slot position while captured tables are idle, so WAL is freed
        p.setProperty("heartbeat.interval.ms", Long.toString(source.heartbeat().toMillis()));
        // a delete is one event (op=delete, key and before); no extra Kafka tombstone
        p.setProperty("tombstones.on.delete", "false");
        // numeric columns arrive as exact decimal text instead of Connect's base64 bytes
        p.setProperty("decimal.handling.mode", "string");
        p.setProperty("max.batch.size", "2048");
        return p;
    }
}
