package io.hooksync.sink;

import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;

import io.hooksync.infra.EventSubscriptions;
import io.hooksync.infra.RouteIdentities;
import io.hooksync.infra.sql.SqlDialect;
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
    private final SchemaManager schema;
    private final EventSubscriptions subscriptions;
    private final Map<Mapping, String> upsertSql = new ConcurrentHashMap<>();
    private RouteIdentities identities = new RouteIdentities();
    private RouteStarts starts;

    SinkRuntime(SinkSettings settings, Mappings mappings, SinkWriter writer, SinkMetrics metrics, SqlDialect dialect,
                SchemaManager schema, EventSubscriptions subscriptions, Supplier<String> bootstrapServers,
                Function<String, String> topicOfSource) {
        this.schema = schema;
        this.subscriptions = subscriptions;
        this.settings = settings;
        this.mappings = mappings;
        this.writer = writer;
        this.metrics = metrics;
        this.dialect = dialect;
        this.bootstrapServers = bootstrapServers;
        this.topicOfSource = topicOfSource;
    }

    /** Route identities: who runs under which consumer group and ledger id, and when each was first deployed. */
    SinkRuntime withIdentities(RouteIdentities identities, RouteStarts starts) {
        this.identities = identities;
        this.starts = starts;
        return this;
    }

    RouteIdentities identities() {
        return identities;
    }

    RouteStarts starts() {
        return starts;
    }

    EventSubscriptions subscriptions() {
        return subscriptions;
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

    /** The upsert for this version of a mapping; a version seen for the first time gets its columns added first. */
    String upsertSql(Mapping mapping) {
        return upsertSql.computeIfAbsent(mapping, m -> {
            try {
                schema.ensure(List.of(m));
            } catch (SQLException e) {
                throw new DatabaseUnavailableException("cannot prepare table " + m.table() + ": " + e.getMessage(), e);
            }
            return dialect.upsert(SinkTables.of(m));
        });
    }
}
