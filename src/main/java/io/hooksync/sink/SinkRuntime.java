package io.hooksync.sink;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;

import io.hooksync.mapping.Mapping;
import io.hooksync.mapping.Mappings;

/** What the {@code hooksync:} endpoints share: settings, mappings, the writer, metrics and Kafka. */
final class SinkRuntime {

    private final SinkSettings settings;
    private final Mappings mappings;
    private final SinkWriter writer;
    private final SinkMetrics metrics;
    private final SqlDialect dialect;
    private final Supplier<String> bootstrapServers;
    private final Function<String, String> topicOfSource;
    private final Map<String, String> upsertSql = new ConcurrentHashMap<>();

    SinkRuntime(SinkSettings settings, Mappings mappings, SinkWriter writer, SinkMetrics metrics, SqlDialect dialect,
                Supplier<String> bootstrapServers, Function<String, String> topicOfSource) {
        this.settings = settings;
        this.mappings = mappings;
        this.writer = writer;
        this.metrics = metrics;
        this.dialect = dialect;
        this.bootstrapServers = bootstrapServers;
        this.topicOfSource = topicOfSource;
    }

    SinkSettings settings() {
        return settings;
    }

    Mappings mappings() {
        return mappings;
    }

    SinkWriter writer() {
        return writer;
    }

    SinkMetrics metrics() {
        return metrics;
    }

    String bootstrapServers() {
        return bootstrapServers.get();
    }

    String topicOf(String source) {
        return topicOfSource.apply(source);
    }

    String upsertSql(Mapping mapping) {
        return upsertSql.computeIfAbsent(mapping.name(), n -> dialect.upsert(mapping));
    }
}
