package io.hooksync.sink;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hooksync.infra.EventSubscriptions;
import io.hooksync.infra.InvalidConfigurationException;
import io.hooksync.infra.EventTopics;
import io.hooksync.infra.KafkaBackbone;
import io.hooksync.infra.KafkaClients;
import io.hooksync.infra.RefusedFiles;
import io.hooksync.infra.RouteIdentities;
import io.hooksync.infra.TopicAdmin;
import io.hooksync.infra.outbox.OutboxWriter;
import io.hooksync.infra.sql.SqlDialect;
import io.hooksync.mapping.Mappings;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.component.jsonata.JsonataFrameBinding;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/** Wires the sink: mappings from the mappings directory, target schema, writer and the {@code hooksync:} component. */
@Configuration(proxyBeanMethods = false)
class SinkConfiguration {

    /**
     * Every mapping file, validated, and the route files checked against them, the configured sources and Camel's
     * YAML DSL before Camel loads them: every problem of both in one report.
     */
    @Bean
    Mappings mappings(FlowProperties flows, ConfiguredSources sources) {
        List<String> problems = new ArrayList<>();
        Mappings mappings = Mappings.load(Path.of(flows.mappingsDir()).toAbsolutePath().normalize(), problems);
        Path routes = Path.of(flows.routesDir());
        problems.addAll(RouteFilesCheck.problems(routes, mappings, sources));
        problems.addAll(CamelRouteParse.problems(routes));
        if (!problems.isEmpty()) {
            throw new InvalidConfigurationException(problems);
        }
        return mappings;
    }

    /** Live reload refuses a route file with problems (file:line messages) and keeps the running routes. */
    @Bean
    RouteReloadGuard routeReloadGuard(FlowProperties flows, Mappings mappings, ConfiguredSources sources) {
        return new RouteReloadGuard(Path.of(flows.routesDir()), mappings, sources);
    }

    /** The route files and mapping files whose last edit was refused, for the dashboard. */
    @Bean
    RefusedFiles refusedFiles(RouteReloadGuard guard, Mappings mappings) {
        return () -> {
            List<RefusedFiles.Refusal> all = new ArrayList<>(guard.refusals());
            mappings.refusedChanges().forEach((file, problems) -> all.add(new RefusedFiles.Refusal(file, problems)));
            return all;
        };
    }

    /** With live reload on, a mapping file is checked when it is written (a broken edit is logged at once). */
    @Bean
    MappingWatcher mappingWatcher(FlowProperties flows, Mappings mappings) {
        return new MappingWatcher(mappings, flows.routesReload());
    }

    /** The source names routes may consume, read once from the configuration for the startup check and live reload. */
    @Bean
    ConfiguredSources configuredSources(Environment environment) {
        return ConfiguredSources.of(environment);
    }

    @Bean(destroyMethod = "close")
    KafkaProducer<byte[], byte[]> deadLetterProducer(KafkaBackbone backbone) {
        return new KafkaProducer<>(KafkaClients.durableProducer(backbone, "hooksync-sink"));
    }

    @Bean
    SinkRuntime sinkRuntime(SinkSettings settings, Mappings mappings, DataSource dataSource, MeterRegistry registry,
                            KafkaBackbone backbone, TopicAdmin topics, EventTopics eventTopics,
                            KafkaProducer<byte[], byte[]> deadLetterProducer, EventSubscriptions subscriptions,
                            SqlDialect dialect, OutboxWriter outbox, ObjectMapper json, RouteIdentities identities,
                            ApplicationContext context) throws SQLException {
        SchemaManager schema = new SchemaManager(dataSource, dialect);
        schema.ensure(mappings.all());
        mappings.checkChangesWith(schema::problems);   // live reload: a change the table cannot take is refused
        try {
            topics.ensureTopic(DeadLetters.TOPIC);
        } catch (IllegalStateException e) {
            LoggerFactory.getLogger(SinkConfiguration.class).warn("Dead-letter topic not created now: {}", e.getMessage());
        }
        DeadLetters deadLetters = new DeadLetters((topic, key, value, headers) ->
                publish(deadLetterProducer, topic, key, value, headers), json);
        SinkMetrics metrics = new SinkMetrics(registry);
        SinkWriter writer = new SinkWriter(dataSource, dialect, outbox, deadLetters, settings.maxAttempts(), json, metrics);
        return new SinkRuntime(settings, mappings, writer, metrics, dialect, schema,
                subscriptions, backbone::bootstrapServers, eventTopics::topicOf)
                .withIdentities(identities, new RouteStarts(dataSource, Instant.ofEpochMilli(context.getStartupDate())));
    }

    @Bean("hooksync")
    HooksyncComponent hooksyncComponent(SinkRuntime runtime) {
        return new HooksyncComponent(runtime);
    }

    /**
     * The bounds of a mapping's JSONata evaluation for the {@code jsonata:} steps of routes too (Camel's JSONata component
     * evaluates without any; {@code camel.component.jsonata.frame-binding} points here): a runaway expression fails its
     * exchange (retried, then dead-lettered) instead of holding the consumer thread.
     */
    @Bean
    JsonataFrameBinding jsonataBounds(SinkSettings settings) {
        return frame -> frame.setRuntimeBounds(settings.mappingTimeout().toMillis(), settings.mappingMaxDepth());
    }

    private static void publish(KafkaProducer<byte[], byte[]> producer, String topic, byte[] key, byte[] value,
                                Map<String, String> headers) {
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, key, value);
        headers.forEach((name, v) -> record.headers().add(name, v.getBytes(StandardCharsets.UTF_8)));
        try {
            producer.send(record).get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("dead-letter topic did not acknowledge: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing a dead letter", e);
        }
    }
}
