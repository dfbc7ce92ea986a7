package io.hooksync.infra;

import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The {@code hooksync.mode}, {@code hooksync.data-dir}, {@code hooksync.kafka.*} and {@code hooksync.database.*}
 * settings.
 *
 * @param mode embedded (a developer's machine: admin password and encryption key may be generated) or production
 * (a shared deployment: both must be configured; plain HTTP on a public address is warned about)
 * @param dataDir where the embedded Kafka log, the embedded PostgreSQL and generated secrets live
 * @param kafka where Kafka is and how Hooksync creates topics
 * @param database the embedded database
 * @param backgroundNice Linux nice value added to the threads that work through accepted events (routes, timeline,
 * outbox relay, deliveries, backfill) and to the embedded PostgreSQL, so that accepting webhooks gets the CPU first
 * when it is short ({@link BackgroundPriority}); 0 to 19, 0 turns it off
 */
@ConfigurationProperties(prefix = "hooksync")
public record InfraProperties(
        @DefaultValue("embedded") RuntimeMode mode,
        @DefaultValue("./data") String dataDir,
        @DefaultValue Kafka kafka,
        @DefaultValue Database database,
        @DefaultValue("10") int backgroundNice) {

    public InfraProperties {
        if (dataDir == null || dataDir.isBlank()) {
            throw new IllegalArgumentException("hooksync.data-dir must not be blank");
        }
        BackgroundPriority.checked(backgroundNice);
    }

    /** True in production mode. */
    public boolean production() {
        return mode == RuntimeMode.PRODUCTION;
    }

    /** The data directory as an absolute path; embedded Kafka and PostgreSQL keep their files under it. */
    public Path dataPath() {
        return Path.of(dataDir.trim()).toAbsolutePath().normalize();
    }

    /**
     * Where Kafka is and how Hooksync creates topics.
     *
     * @param bootstrapServers external brokers, e.g. kafka:9092; empty starts the in-JVM broker
     * @param partitions partitions of the topics Hooksync creates
     * @param replicationFactor replication of the topics Hooksync creates; use 3 on a real cluster
     * @param ackTimeout a webhook is answered 503 when Kafka has not acknowledged it within this
     * @param embedded ports of the in-JVM broker
     * @param eventRetention how long source event topics keep their history for Backfill; raised on start when an
     * existing topic keeps less, never lowered
     */
    public record Kafka(
            @DefaultValue("") String bootstrapServers,
            @DefaultValue("3") int partitions,
            @DefaultValue("1") int replicationFactor,
            @DefaultValue("10s") Duration ackTimeout,
            @DefaultValue EmbeddedKafka embedded,
            @DefaultValue("30d") Duration eventRetention) {

        /** How long event topics keep their history unless configured: Backfill replays it. */
        public static final Duration DEFAULT_EVENT_RETENTION = Duration.ofDays(30);

        public Kafka {
            bootstrapServers = bootstrapServers == null ? "" : bootstrapServers.trim();
            SettingBounds.between("hooksync.kafka.partitions", partitions, 1, 1000,
                    "partitions of the topics Hooksync creates");
            SettingBounds.between("hooksync.kafka.replication-factor", replicationFactor, 1, 100,
                    "replicas of the topics Hooksync creates");
            SettingBounds.between("hooksync.kafka.ack-timeout", ackTimeout, Duration.ofMillis(100),
                    Duration.ofMinutes(5), "a webhook waits this long for Kafka before 503");
            SettingBounds.between("hooksync.kafka.event-retention", eventRetention, Duration.ofHours(1),
                    Duration.ofDays(3650), "history kept for Backfill, e.g. 30d");
        }

        /** True when external brokers are configured, so no in-JVM broker is started. */
        public boolean external() {
            return !bootstrapServers.isEmpty();
        }
    }

    /**
     * Ports of the in-JVM broker on 127.0.0.1; 0 picks a free one.
     *
     * @param port the broker's port
     * @param controllerPort the KRaft controller's port
     */
    public record EmbeddedKafka(@DefaultValue("9092") int port, @DefaultValue("9093") int controllerPort) {

        public EmbeddedKafka {
            SettingBounds.between("hooksync.kafka.embedded.port", port, 0, 65_535, "0 picks a free one");
            SettingBounds.between("hooksync.kafka.embedded.controller-port", controllerPort, 0, 65_535,
                    "0 picks a free one");
        }
    }

    /**
     * Database settings.
     *
     * @param embedded the embedded PostgreSQL, started when spring.datasource.url is not set
     */
    public record Database(@DefaultValue EmbeddedDatabase embedded) {
    }

    /**
     * The embedded PostgreSQL.
     *
     * @param port its port on 127.0.0.1; 0 picks a free one
     */
    public record EmbeddedDatabase(@DefaultValue("15432") int port) {

        public EmbeddedDatabase {
            SettingBounds.between("hooksync.database.embedded.port", port, 0, 65_535, "0 picks a free one");
        }
    }
}
