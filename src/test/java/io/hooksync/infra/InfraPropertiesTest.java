package io.hooksync.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ClassPathResource;

/** The record's defaults match application.yaml, and the yaml binds. */
class InfraPropertiesTest {

    @Test
    void defaultsMatchApplicationYaml() throws Exception {
        InfraProperties defaults = new Binder(new MapConfigurationPropertySource(Map.of("hooksync.unrelated", "x")))
                .bindOrCreate("hooksync", InfraProperties.class);
        PropertySource<?> yaml = new YamlPropertySourceLoader()
                .load("application.yaml", new ClassPathResource("application.yaml")).get(0);
        InfraProperties fromYaml = new Binder(ConfigurationPropertySources.from(yaml))
                .bindOrCreate("hooksync", InfraProperties.class);

        assertThat(defaults.kafka()).isEqualTo(fromYaml.kafka());
        assertThat(defaults.database()).isEqualTo(fromYaml.database());
        assertThat(defaults.kafka().bootstrapServers()).isEmpty();
        assertThat(defaults.kafka().external()).isFalse();
        assertThat(defaults.kafka().partitions()).isEqualTo(3);
        assertThat(defaults.kafka().replicationFactor()).isEqualTo(1);
        assertThat(defaults.kafka().ackTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(defaults.kafka().embedded().port()).isEqualTo(9092);
        assertThat(defaults.kafka().embedded().controllerPort()).isEqualTo(9093);
        assertThat(defaults.database().embedded().port()).isEqualTo(15432);
        assertThat(defaults.dataDir()).isEqualTo("./data");
        assertThat(defaults.dataPath()).isEqualTo(Path.of("").toAbsolutePath().resolve("data"));
    }

    @Test
    void externalBrokersAreTrimmed() {
        InfraProperties properties = new Binder(new MapConfigurationPropertySource(
                Map.of("hooksync.kafka.bootstrap-servers", " kafka:9092 ", "hooksync.kafka.ack-timeout", "250ms")))
                .bindOrCreate("hooksync", InfraProperties.class);
        assertThat(properties.kafka().bootstrapServers()).isEqualTo("kafka:9092");
        assertThat(properties.kafka().external()).isTrue();
        assertThat(properties.kafka().ackTimeout()).isEqualTo(Duration.ofMillis(250));
    }

    @Test
    void kafkaAndEmbeddedDatabaseSettingsOutOfRangeFailNamingThem() {
        io.hooksync.support.Settings.assertEachRefused("hooksync", InfraProperties.class, Map.of(
                "kafka.partitions", "0",
                "kafka.replication-factor", "101",
                "kafka.ack-timeout", "10ms",
                "kafka.event-retention", "30m",
                "kafka.embedded.port", "70000",
                "kafka.embedded.controller-port", "-1",
                "database.embedded.port", "65536"));
    }
}
