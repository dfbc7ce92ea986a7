package io.hooksync.bench;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.flyway.FlywayAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

/**
 * Benchmark reference, not part of the engine: the least a Camel webhook receiver on this stack can do.
 * {@code POST /webhooks/github} -> camel-kafka producer (acks=all, idempotent, linger 5 ms as the engine's; key = the
 * X-GitHub-Delivery header, value = the body bytes) -> 202 with an empty body once Kafka acknowledged.
 * No verification, no parsing, no metrics of its own. Bodies must be {@code application/json} (as the bench tools
 * send): platform-http parses a form-encoded body as form fields and answers 500 to one that is not pairs. Run from the test classpath WITHOUT target/classes:
 * <pre>
 * java -cp target/test-classes:&lt;deps&gt; io.hooksync.bench.BareKafkaRouteApp --server.port=P \
 *      (--bench.kafka=host:port | --bench.broker-dir=DIR --bench.broker-port=P --bench.controller-port=P)
 * </pre>
 * With {@code bench.broker-dir} it starts its own in-JVM KRaft broker ({@link BenchBroker}), like Hooksync.
 */
// Conditional: the engine's tests scan io.hooksync and must not pick this app up.
@ConditionalOnProperty("bench.kafka")
@SpringBootApplication(exclude = {DataSourceAutoConfiguration.class, FlywayAutoConfiguration.class}, excludeName = {
        // spring-boot-starter-security is on the engine's classpath: the reference has no filter chain and no login
        "org.springframework.boot.autoconfigure.security.servlet.SecurityAutoConfiguration",
        "org.springframework.boot.autoconfigure.security.servlet.SecurityFilterAutoConfiguration",
        "org.springframework.boot.autoconfigure.security.servlet.UserDetailsServiceAutoConfiguration",
        "org.springframework.boot.actuate.autoconfigure.security.servlet.ManagementWebSecurityAutoConfiguration"})
public class BareKafkaRouteApp {

    static final String DEFAULT_TOPIC = "bench.bare";

    public static void main(String[] args) throws Exception {
        // Not the engine's application.yaml (it would load the engine's route files): configuration comes from args.
        System.setProperty("spring.config.name", "bare-kafka-route");
        // hawtio-springboot (on the engine's classpath) declares management.endpoints.web.exposure.include=
        // hawtio,jolokia in a @PropertySource; the engine's application.yaml overrides it, this app has none, so
        // /actuator/health was 404 and the bench scripts never saw it UP. System properties outrank @PropertySource.
        System.setProperty("management.endpoints.web.exposure.include", "health");
        System.setProperty("springdoc.api-docs.enabled", "false");      // no OpenAPI document, no Swagger UI
        System.setProperty("springdoc.swagger-ui.enabled", "false");
        String dir = arg(args, "bench.broker-dir");
        BenchBroker broker = null;
        if (dir != null) {
            broker = BenchBroker.start(Path.of(dir), Integer.parseInt(arg(args, "bench.broker-port")),
                    Integer.parseInt(arg(args, "bench.controller-port")));
            System.setProperty("bench.kafka", broker.bootstrap());
        }
        String brokers = dir != null ? System.getProperty("bench.kafka") : arg(args, "bench.kafka");
        String topic = arg(args, "bench.topic");
        createTopic(brokers, topic != null ? topic : DEFAULT_TOPIC);
        SpringApplication app = new SpringApplication(BareKafkaRouteApp.class);
        app.setRegisterShutdownHook(false);
        ConfigurableApplicationContext context = app.run(args);
        BenchBroker started = broker;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            context.close();          // the producer first, then the broker it talks to
            if (started != null) {
                started.close();
            }
        }, "bare-shutdown"));
    }

    /**
     * Creates the topic (broker defaults) before the first webhook, as the engine does: left to auto-creation, the
     * idempotent producer's first batches were refused as out of order (OutOfOrderSequenceException) and it retried
     * for seconds per request (2026-12-02: the reference accepted 10 webhooks/s).
     */
    private static void createTopic(String brokers, String topic) throws Exception {
        if (brokers == null) {
            return;   // Spring names the missing bench.kafka property
        }
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, brokers))) {
            if (!admin.listTopics().names().get(30, TimeUnit.SECONDS).contains(topic)) {
                admin.createTopics(List.of(new NewTopic(topic, Optional.empty(), Optional.empty())))
                        .all().get(30, TimeUnit.SECONDS);
            }
        }
    }

    private static String arg(String[] args, String name) {
        for (String a : args) {
            if (a.startsWith("--" + name + "=")) {
                return a.substring(name.length() + 3);
            }
        }
        return null;
    }

    @Bean
    RouteBuilder bareKafkaRoute(@Value("${bench.kafka}") String brokers,
                                @Value("${bench.topic:" + DEFAULT_TOPIC + "}") String topic) {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("platform-http:/webhooks/github?httpMethodRestrict=POST")
                        .routeId("bare-kafka")
                        .convertBodyTo(byte[].class)
                        .setHeader("kafka.KEY", header("X-GitHub-Delivery"))
                        .removeHeaders("*", "kafka.KEY")
                        .to("kafka:" + topic + "?brokers=" + brokers
                                + "&requestRequiredAcks=all&enableIdempotence=true&lingerMs=5&compressionCodec=lz4"
                                + "&keySerializer=org.apache.kafka.common.serialization.StringSerializer"
                                + "&valueSerializer=org.apache.kafka.common.serialization.ByteArraySerializer")
                        .removeHeaders("*")
                        .setHeader(Exchange.HTTP_RESPONSE_CODE, constant(202))
                        .setBody(constant(""));
            }
        };
    }
}
