package io.hooksync.cdc;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import io.debezium.embedded.KafkaConnectUtil;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.connect.runtime.WorkerConfig;
import org.apache.kafka.connect.storage.KafkaOffsetBackingStore;
import org.apache.kafka.connect.util.SharedTopicAdmin;

/**
 * Kafka Connect's Kafka offset store with an admin client it owns and closes. Debezium's built-in
 * wiring of {@link KafkaOffsetBackingStore} creates a shared admin client that nothing closes, so every
 * engine restart (our capture loop restarts after failures) would leak a client that keeps dialling
 * the broker. Public with a no-argument constructor because the engine instantiates it by class name.
 */
public final class KafkaOffsetStore extends KafkaOffsetBackingStore {

    private final AtomicReference<SharedTopicAdmin> admin;

    public KafkaOffsetStore() {
        this(new AtomicReference<>());
    }

    private KafkaOffsetStore(AtomicReference<SharedTopicAdmin> admin) {
        super(() -> admin.get().topicAdmin(), () -> "hooksync-cdc-offsets", KafkaConnectUtil.converterForOffsetStore());
        this.admin = admin;
    }

    @Override
    public void configure(WorkerConfig config) {
        Map<String, Object> properties = new HashMap<>(config.originals());
        properties.put(AdminClientConfig.CLIENT_ID_CONFIG, "hooksync-cdc-offsets-admin");
        SharedTopicAdmin previous = admin.getAndSet(new SharedTopicAdmin(properties));
        if (previous != null) {
            previous.close();
        }
        super.configure(config);
    }

    @Override
    public void stop() {
        try {
            super.stop();
        } finally {
            SharedTopicAdmin current = admin.getAndSet(null);
            if (current != null) {
                current.close();
            }
        }
    }
}
