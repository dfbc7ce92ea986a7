package io.hooksync.infra;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the Kafka topics Hooksync writes to, with the configured partitions and replication factor. Event
 * topics (a source's webhooks or changes) also keep their history for {@code hooksync.kafka.event-retention}:
 * set when the topic is created, raised on start when an existing topic keeps less (never lowered, so an
 * operator's longer setting stays). Backfill replays that history.
 */
public class TopicAdmin {

    private static final Logger log = LoggerFactory.getLogger(TopicAdmin.class);
    private static final long TIMEOUT_SECONDS = 30;

    private final Admin admin;
    private final int partitions;
    private final short replicationFactor;
    private final Duration eventRetention;
    private final Set<String> ensured = ConcurrentHashMap.newKeySet();
    private final Set<String> eventTopics = ConcurrentHashMap.newKeySet();
    private final Set<String> retentionChecked = ConcurrentHashMap.newKeySet();

    TopicAdmin(Admin admin, int partitions, short replicationFactor) {
        this(admin, partitions, replicationFactor, InfraProperties.Kafka.DEFAULT_EVENT_RETENTION);
    }

    TopicAdmin(Admin admin, int partitions, short replicationFactor, Duration eventRetention) {
        this.admin = admin;
        this.partitions = partitions;
        this.replicationFactor = replicationFactor;
        this.eventRetention = eventRetention;
    }

    /** How long event topics keep their records ({@code hooksync.kafka.event-retention}). */
    public Duration eventRetention() {
        return eventRetention;
    }

    /** The event topics this instance ensured, each with its retention in ms as Kafka reports it (-1: forever). */
    public Map<String, Long> eventTopicRetention() {
        Map<String, Long> retention = new TreeMap<>();
        if (eventTopics.isEmpty()) {
            return retention;
        }
        try {
            retentionOf(eventTopics).forEach(retention::put);
        } catch (ExecutionException | TimeoutException e) {
            log.debug("Cannot read the retention of the event topics: {}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return retention;
    }

    /**
     * Like {@link #ensureTopic} for a topic of source events: created with the event retention, and an existing
     * topic that keeps less is raised to it.
     */
    public void ensureEventTopic(String name) {
        boolean created = ensure(name, Map.of(TopicConfig.RETENTION_MS_CONFIG, Long.toString(eventRetention.toMillis())));
        eventTopics.add(name);
        if (created || !retentionChecked.add(name)) {
            return;
        }
        try {
            Long current = retentionOf(List.of(name)).get(name);
            if (current != null && current != -1 && current < eventRetention.toMillis()) {
                ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, name);
                AlterConfigOp set = new AlterConfigOp(new ConfigEntry(TopicConfig.RETENTION_MS_CONFIG,
                        Long.toString(eventRetention.toMillis())), AlterConfigOp.OpType.SET);
                admin.incrementalAlterConfigs(Map.of(topic, List.of(set))).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                log.info("Kafka topic {}: retention raised from {} to {} (hooksync.kafka.event-retention)", name,
                        Duration.ofMillis(current), eventRetention);
            }
        } catch (ExecutionException | TimeoutException e) {
            retentionChecked.remove(name);
            log.warn("Kafka topic {}: retention not checked now ({}); history may be kept for less than {}", name,
                    e.toString(), eventRetention);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            retentionChecked.remove(name);
        }
    }

    private Map<String, Long> retentionOf(Collection<String> names)
            throws ExecutionException, InterruptedException, TimeoutException {
        List<ConfigResource> resources = names.stream()
                .map(n -> new ConfigResource(ConfigResource.Type.TOPIC, n)).toList();
        Map<ConfigResource, Config> configs = admin.describeConfigs(resources).all()
                .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        Map<String, Long> retention = new TreeMap<>();
        configs.forEach((resource, config) -> {
            ConfigEntry entry = config.get(TopicConfig.RETENTION_MS_CONFIG);
            if (entry != null && entry.value() != null) {
                retention.put(resource.name(), Long.parseLong(entry.value()));
            }
        });
        return retention;
    }

    /**
     * Creates topic {@code name} unless it exists; safe to call repeatedly and from several instances.
     *
     * @throws IllegalStateException when Kafka cannot be reached or refuses the topic
     */
    public void ensureTopic(String name) {
        ensure(name, Map.of());
    }

    /** True when this call created the topic (with {@code configs}). */
    private boolean ensure(String name, Map<String, String> configs) {
        if (ensured.contains(name)) {
            return false;
        }
        try {
            boolean created = !exists(name) && create(name, configs);
            ensured.add(name);
            return created;
        } catch (ExecutionException e) {
            throw new IllegalStateException("Could not create Kafka topic " + name + ": " + e.getCause().getMessage(),
                    e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka did not answer within " + TIMEOUT_SECONDS + " s creating topic "
                    + name, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating Kafka topic " + name, e);
        }
    }

    private boolean exists(String name) throws ExecutionException, InterruptedException, TimeoutException {
        try {
            TopicDescription topic = admin.describeTopics(List.of(name)).allTopicNames()
                    .get(TIMEOUT_SECONDS, TimeUnit.SECONDS).get(name);
            log.debug("Kafka topic {} exists with {} partitions", name, topic.partitions().size());
            return true;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return false;
            }
            throw e;
        }
    }

    private boolean create(String name, Map<String, String> configs)
            throws ExecutionException, InterruptedException, TimeoutException {
        try {
            NewTopic topic = new NewTopic(name, partitions, replicationFactor);
            topic.configs(configs);
            admin.createTopics(List.of(topic)).all()
                    .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            log.info("Created Kafka topic {} ({} partitions, replication factor {})", name, partitions,
                    replicationFactor);
            return true;
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
            return false;
        }
    }
}
