package io.hooksync.infra;

/**
 * Where the Kafka backbone is: the in-JVM broker in embedded mode, or the configured external
 * cluster. Every feature that talks to Kafka asks this bean, never a property.
 */
public interface KafkaBackbone {

    /** Bootstrap servers, e.g. {@code 127.0.0.1:9092}. */
    String bootstrapServers();

    /** True when the broker runs inside this JVM (embedded mode). */
    boolean embedded();
}
