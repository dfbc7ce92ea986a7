package io.hooksync.cdc;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import io.hooksync.infra.EventTopics;
import io.hooksync.infra.InfraProperties;
import io.hooksync.infra.InvalidConfigurationException;
import io.hooksync.infra.KafkaBackbone;
import io.hooksync.infra.KafkaClients;
import io.hooksync.infra.TopicAdmin;
import io.hooksync.infra.sql.SqlDialect;
import io.hooksync.infra.consumer.ConsumerLoops;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.springframework.boot.actuate.health.CompositeHealthContributor;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Wires CDC: the enabled sources (checked against their databases at startup), one capture loop per
 * source, and the {@code cdc} health contributor. With no enabled source nothing is started.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(CdcProperties.class)
class CdcConfiguration {

    /** Enabled sources whose databases are ready for capture (logical decoding, row binlog); any problem stops the start. */
    static List<CdcSource> checkedSources(CdcProperties properties, Environment environment, DataSource dataSource,
                                          EventTopics topics) {
        List<CdcSource> sources = CdcSources.build(properties, environment, dataSource, topics);
        List<String> problems = new ArrayList<>();
        for (CdcSource source : sources) {
            List<String> found = source.kind() == CdcSource.Kind.POSTGRESQL ? PostgresSetupCheck.problems(source)
                    : MariaDbSetupCheck.problems(source);
            found.forEach(p ->
                    problems.add("CDC source '" + source.name() + "' (hooksync.cdc.sources." + source.name() + "): " + p));
        }
        if (!problems.isEmpty()) {
            throw new InvalidConfigurationException(problems);
        }
        return sources;
    }

    @Bean
    CdcCapture cdcCapture(CdcProperties properties, Environment environment, DataSource dataSource,
                          EventTopics eventTopics, KafkaBackbone backbone, InfraProperties infra, TopicAdmin topics,
                          MeterRegistry registry, ConsumerLoops consumerLoops, SqlDialect dialect) {
        List<CdcSource> cdcSources = checkedSources(properties, environment, dataSource, eventTopics);
        if (dialect.name().equals("postgresql")) {
            IdleSlots.warn(dataSource, cdcSources.stream().filter(s -> s.kind() == CdcSource.Kind.POSTGRESQL)
                    .map(CdcSource::slot).collect(java.util.stream.Collectors.toSet()));
        }
        List<CaptureLoop> loops = new ArrayList<>();
        KafkaProducer<byte[], byte[]> producer = cdcSources.isEmpty() ? null : new KafkaProducer<>(producer(backbone));
        for (CdcSource source : cdcSources) {
            Counter changes = Counter.builder("hooksync.cdc.changes").tag("source", source.name())
                    .description("row changes published to the source's topic").register(registry);
            ChangeHandler handler = new ChangeHandler(source, new ChangePublisher(producer), consumerLoops.setAside(), changes);
            loops.add(new CaptureLoop(source, DebeziumSettings.of(source, properties.offsetTopic(),
                    properties.offsetFlushInterval(), backbone.bootstrapServers(), infra.kafka().replicationFactor()),
                    handler, consumerLoops));
        }
        return new CdcCapture(cdcSources, loops, topics, producer);
    }

    /** Shown as {@code cdc} in /actuator/health, one entry per source. */
    @Bean
    CompositeHealthContributor cdcHealthContributor(CdcCapture capture) {
        Map<String, HealthIndicator> indicators = new LinkedHashMap<>();
        capture.sources().forEach((source, loop) -> indicators.put(source.name(),
                source.kind() == CdcSource.Kind.POSTGRESQL ? new SlotLagHealth(source, loop::state)
                        : new BinlogLagHealth(source, loop::state)));
        return CompositeHealthContributor.fromMap(indicators);
    }

    private static java.util.Properties producer(KafkaBackbone backbone) {
        java.util.Properties p = KafkaClients.durableProducer(backbone, "hooksync-cdc");
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        return p;
    }
}
