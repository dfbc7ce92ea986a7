package io.hooksync.infra;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Creates the Kafka topics Hooksync writes to, with the configured partitions and replication factor. */
public class TopicAdmin {

    private static final Logger log = LoggerFactory.getLogger(TopicAdmin.class);
    private static final long TIMEOUT_SECONDS = 30;

    private final Admin admin;
    private final int partitions;
    private final short replicationFactor;
    private final Set<String> ensured = ConcurrentHashMap.newKeySet();

    TopicAdmin(Admin admin, int partitions, short replicationFactor) {
        this.admin = admin;
        this.partitions = partitions;
        this.replicationFactor = replicationFactor;
    }

    /**
     * Creates topic {@code name} unless it exists; safe to call repeatedly and from several instances.
     *
     * @throws IllegalStateException when Kafka cannot be reached or refuses the topic
     */
    public void ensureTopic(String name) {
        if (ensured.contains(name)) {
            return;
        }
        try {
            if (!exists(name)) {
                create(name);
            }
            ensured.add(name);
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

    private void create(String name) throws ExecutionException, InterruptedException, TimeoutException {
        try {
            admin.createTopics(List.of(new NewTopic(name, partitions, replicationFactor))).all()
                    .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            log.info("Created Kafka topic {} ({} partitions, replication factor {})", name, partitions,
                    replicationFactor);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
    }
}
