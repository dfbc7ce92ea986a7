package io.hooksync.infra;

import static org.assertj.core.api.Assertions.assertThat;

import io.hooksync.infra.embedded.TestLogs;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import javax.sql.DataSource;
import org.apache.camel.CamelContext;
import org.apache.camel.component.kafka.KafkaComponent;
import org.apache.camel.component.kafka.springboot.KafkaComponentAutoConfiguration;
import org.apache.camel.spring.boot.CamelAutoConfiguration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** With external Kafka and datasource configured, nothing is started in-JVM and Camel uses the given brokers. */
class ExternalModeTest {

    @TempDir
    Path dataDir;

    @BeforeAll
    static void quietLogs() {
        TestLogs.quiet();
    }

    @Test
    void externalSettingsStartNothing() throws Exception {
        String brokers = "127.0.0.1:" + closedPort();
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(CamelAutoConfiguration.class,
                        KafkaComponentAutoConfiguration.class))
                .withUserConfiguration(EmbeddedModeIT.InfraScan.class)
                .withPropertyValues(
                        "hooksync.data-dir=" + dataDir,
                        "hooksync.kafka.bootstrap-servers= " + brokers + " ",
                        "spring.datasource.url=jdbc:postgresql://127.0.0.1:1/elsewhere")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    KafkaBackbone backbone = context.getBean(KafkaBackbone.class);
                    assertThat(backbone.embedded()).isFalse();
                    assertThat(backbone.bootstrapServers()).isEqualTo(brokers);
                    assertThat(context).doesNotHaveBean("embeddedPostgres").doesNotHaveBean(DataSource.class);
                    assertThat(context.getBean(CamelContext.class).getComponent("kafka", KafkaComponent.class)
                            .getConfiguration().getBrokers()).isEqualTo(brokers);

                    long started = System.nanoTime();
                    Health health = context.getBean("kafkaHealthIndicator", HealthIndicator.class).health();
                    assertThat(health.getStatus()).isEqualTo(Status.DOWN);
                    assertThat(health.getDetails()).containsEntry("embedded", false)
                            .containsEntry("bootstrapServers", brokers);
                    assertThat(System.nanoTime() - started).isLessThan(5_000_000_000L);
                });
        assertThat(dataDir).isEmptyDirectory();
    }

    private static int closedPort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
