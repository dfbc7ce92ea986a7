package io.hooksync.infra.embedded;

import io.hooksync.infra.InfraProperties;
import io.hooksync.infra.KafkaBackbone;
import io.hooksync.infra.NativeLz4;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Provides the {@link KafkaBackbone}: the external cluster when bootstrap servers are set, else an in-JVM broker. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(InfraProperties.class)
class KafkaBackboneConfiguration {

    private static final Logger log = LoggerFactory.getLogger(KafkaBackboneConfiguration.class);

    /**
     * Started here so the broker serves before Camel or any feature connects; closed with the context. Every Kafka
     * client and the broker come after it, so this is where Kafka's LZ4 gets its native library ({@link NativeLz4}).
     */
    @Bean
    KafkaBackbone kafkaBackbone(InfraProperties properties) throws Exception {
        NativeLz4.load();
        InfraProperties.Kafka kafka = properties.kafka();
        if (kafka.external()) {
            log.info("Using external Kafka at {}", kafka.bootstrapServers());
            return new ExternalKafka(kafka.bootstrapServers());
        }
        return new EmbeddedKafkaBroker(properties.dataPath(), kafka.embedded().port(),
                kafka.embedded().controllerPort(), kafka.partitions()).start();
    }

    /** Brokers that Hooksync does not run. */
    record ExternalKafka(String bootstrapServers) implements KafkaBackbone {

        @Override
        public boolean embedded() {
            return false;
        }
    }
}
