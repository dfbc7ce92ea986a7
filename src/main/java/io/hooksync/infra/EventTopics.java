package io.hooksync.infra;

/** Which Kafka topic holds a source's events; the ingress knows, consumers ask. */
public interface EventTopics {

    String topicOf(String source);
}
