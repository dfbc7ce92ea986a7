package io.hooksync.cdc;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.hooksync.infra.SettingBounds;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The {@code hooksync.cdc.*} settings: where Debezium keeps its offsets and one entry per CDC source.
 *
 * @param offsetTopic compacted Kafka topic with the Debezium offsets of all CDC sources
 * @param offsetFlushInterval how often acknowledged WAL positions are committed and confirmed to the slot
 * @param sources CDC sources by name; slot and publication hooksync_<name>
 */
@ConfigurationProperties(prefix = "hooksync.cdc")
record CdcProperties(
        @DefaultValue("hooksync.cdc.offsets") String offsetTopic,
        @DefaultValue("1s") Duration offsetFlushInterval,
        Map<String, SourceProperties> sources) {

    CdcProperties {
        if (offsetTopic == null || offsetTopic.isBlank()) {
            throw new IllegalArgumentException("hooksync.cdc.offset-topic must not be blank");
        }
        SettingBounds.between("hooksync.cdc.offset-flush-interval", offsetFlushInterval, Duration.ofMillis(10),
                Duration.ofHours(1), "how often acknowledged WAL positions are committed");
        sources = sources == null ? Map.of() : Map.copyOf(sources);
    }

    /**
     * One database whose changes become events. An empty {@code url} means the engine's own database
     * (embedded mode); the password is a reference ({@code env:NAME} or {@code file:/path}), never a literal.
     *
     * @param enabled capture this source
     * @param kind postgresql or mariadb
     * @param url jdbc:postgresql://host:5432/db or jdbc:mariadb://host:3306/db; empty: the engine's own PostgreSQL
     * @param user a role with REPLICATION; ignored when url is empty
     * @param password env:NAME or file:/path, never a literal
     * @param tables schema.table (PostgreSQL) or database.table (MariaDB) list to capture
     * @param publicationAutocreate create/alter publication hooksync_<name> for the tables; false: it must exist
     * @param snapshot initial, no_data, when_needed or always: existing rows first
     * @param heartbeat confirms the slot position while the tables are idle, so WAL is freed
     * @param maxLag health is DOWN when the slot keeps more WAL than this
     */
    record SourceProperties(
            @DefaultValue("true") boolean enabled,
            @DefaultValue("postgresql") String kind,
            @DefaultValue("") String url,
            @DefaultValue("") String user,
            @DefaultValue("") String password,
            @DefaultValue List<String> tables,
            @DefaultValue("true") boolean publicationAutocreate,
            @DefaultValue("initial") String snapshot,
            @DefaultValue("10s") Duration heartbeat,
            @DefaultValue("256MB") DataSize maxLag) {
    }
}
