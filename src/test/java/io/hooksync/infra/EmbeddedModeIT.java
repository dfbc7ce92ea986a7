package io.hooksync.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.hooksync.infra.embedded.TestLogs;
import io.hooksync.support.KernelNice;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.apache.camel.CamelContext;
import org.apache.camel.component.kafka.KafkaComponent;
import org.apache.camel.component.kafka.springboot.KafkaComponentAutoConfiguration;
import org.apache.camel.spring.boot.CamelAutoConfiguration;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.FilterType;

/** With nothing external configured, the context runs Kafka and PostgreSQL in-JVM and wires Camel to them. */
class EmbeddedModeIT {

    private static final String TOPIC = "hooksync.events.wiring";

    @TempDir
    Path dataDir;

    @BeforeAll
    static void quietLogs() {
        TestLogs.quiet();
    }

    @Test
    void embeddedKafkaAndPostgresAreWired() {
        runner().run(context -> {
            assertThat(context).hasNotFailed();
            KafkaBackbone backbone = context.getBean(KafkaBackbone.class);
            assertThat(backbone.embedded()).isTrue();
            assertThat(backbone.bootstrapServers()).startsWith("127.0.0.1:");
            assertThat(context.getBeanFactory().getBeanDefinition("camelContext").getDependsOn())
                    .contains("kafkaBackbone");

            Health health = context.getBean("kafkaHealthIndicator", HealthIndicator.class).health();
            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(health.getDetails()).containsEntry("bootstrapServers", backbone.bootstrapServers())
                    .containsEntry("embedded", true).containsEntry("nodes", 1);

            TopicAdmin topics = context.getBean(TopicAdmin.class);
            topics.ensureTopic(TOPIC);
            topics.ensureTopic(TOPIC);
            Admin admin = context.getBean(Admin.class);
            new TopicAdmin(admin, 2, (short) 1).ensureTopic(TOPIC);
            assertThat(admin.describeTopics(List.of(TOPIC)).allTopicNames().get(10, TimeUnit.SECONDS)
                    .get(TOPIC).partitions()).hasSize(2);

            CamelContext camel = context.getBean(CamelContext.class);
            assertThat(camel.getComponent("kafka", KafkaComponent.class).getConfiguration().getBrokers())
                    .isEqualTo(backbone.bootstrapServers());
            camel.createProducerTemplate().sendBody("kafka:" + TOPIC, "hello from camel");
            assertThat(consumeOne(backbone.bootstrapServers())).isEqualTo("hello from camel");

            DataSource dataSource = context.getBean(DataSource.class);
            assertThat(dataSource).isInstanceOf(HikariDataSource.class);
            try (Connection connection = dataSource.getConnection();
                 Statement statement = connection.createStatement();
                 ResultSet result = statement.executeQuery("SHOW wal_level")) {
                assertThat(result.next()).isTrue();
                assertThat(result.getString(1)).isEqualTo("logical");
            }
            if (com.sun.jna.Platform.isLinux()) {
                // hooksync.background-nice (default 10): the database serves background work, never the ingress
                try (Connection connection = dataSource.getConnection();
                     Statement statement = connection.createStatement();
                     ResultSet result = statement.executeQuery("SELECT pg_backend_pid()")) {
                    assertThat(result.next()).isTrue();
                    int jvm = KernelNice.ofThisProcess();
                    assertThat(KernelNice.of(Path.of("/proc/" + result.getInt(1) + "/stat")))
                            .as("a backend forked after the start").isEqualTo(Math.min(19, jvm + 10));
                }
            }
        });
        assertThat(dataDir.resolve("postgres/postmaster.pid")).as("PostgreSQL stopped with the context").doesNotExist();
        assertThat(dataDir.resolve("kafka/.lock")).as("Kafka released its log dir lock").satisfiesAnyOf(
                lock -> assertThat(lock).doesNotExist(), lock -> assertThat(lock).isEmptyFile());
    }

    private ApplicationContextRunner runner() {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(CamelAutoConfiguration.class,
                        KafkaComponentAutoConfiguration.class))
                .withUserConfiguration(InfraScan.class)
                .withPropertyValues(
                        "hooksync.data-dir=" + dataDir,
                        "hooksync.kafka.partitions=2",
                        "hooksync.kafka.embedded.port=0",
                        "hooksync.kafka.embedded.controller-port=0",
                        "hooksync.database.embedded.port=0");
    }

    private static String consumeOne(String bootstrap) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "wiring-test",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
            consumer.subscribe(List.of(TOPIC));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (values.isEmpty() && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(record -> values.add(record.value()));
            }
        }
        return values.isEmpty() ? null : values.get(0);
    }

    /**
     * Scans io.hooksync.infra as the application does, less the consumer loops' parts, the SQL dialect and the
     * outbox writer (they need JDBC and Micrometer, which these infrastructure-only contexts do not start).
     */
    @ComponentScan(value = "io.hooksync.infra", excludeFilters = @ComponentScan.Filter(type = FilterType.REGEX,
            pattern = "io\\.hooksync\\.infra\\.(consumer|sql|outbox)\\..*"))
    static class InfraScan {
    }
}
