package io.hooksync.infra.consumer;

import java.util.Collection;
import java.util.List;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import org.apache.kafka.clients.consumer.Consumer;

/**
 * What a {@link ConsumerLoop} consumes: its name (health, metrics and the set-aside table show it), how
 * to make its Kafka consumer (a new one after a Kafka failure), what to subscribe to, and whether the
 * processor takes a whole poll or one record at a time.
 */
public record LoopSpec(String name, Supplier<Consumer<byte[], byte[]>> consumers, Subscription subscription,
                       Mode mode) {

    /** How records reach the processor. */
    public enum Mode {
        /** The whole poll at once (one transaction); after a refusal, record by record to find the culprit. */
        BATCHES,
        /** One record at a time, each committed once handled (a side effect per record, e.g. a Camel exchange). */
        RECORDS
    }

    /** Subscribes a fresh consumer. */
    @FunctionalInterface
    public interface Subscription {

        void subscribe(Consumer<byte[], byte[]> consumer);

        static Subscription topics(Collection<String> topics) {
            List<String> copy = List.copyOf(topics);
            return consumer -> consumer.subscribe(copy);
        }

        static Subscription pattern(Pattern pattern) {
            return consumer -> consumer.subscribe(pattern);
        }
    }
}
