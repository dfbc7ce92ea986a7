package io.hooksync.outbound;

import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.Properties;
import java.util.UUID;

import javax.sql.DataSource;

import io.hooksync.infra.BackgroundPriority;
import io.hooksync.infra.ExpressionBounds;
import io.hooksync.infra.InfraProperties;
import io.hooksync.infra.KafkaBackbone;
import io.hooksync.infra.KafkaClients;
import io.hooksync.infra.TopicAdmin;
import io.hooksync.infra.consumer.ConsumerLoops;
import io.hooksync.infra.outbox.OutboxWriter;
import io.hooksync.infra.sql.SqlDialect;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Wires the outbound side: the outbox relay, the dispatcher (outbound topic -> deliveries), the
 * deliverer (deliveries -> HTTP) and the endpoint API. The background parts run as one lifecycle,
 * started after the schema migration and stopped before the database and Kafka go away.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({OutboundProperties.class, InfraProperties.class})
class OutboundConfiguration {

    @Bean
    AddressGuard addressGuard(OutboundProperties properties) {
        return new AddressGuard(properties.allowedNetworks(), properties.allowedPorts(), properties.requireHttps());
    }

    /** The at-rest key; production mode needs one configured, embedded mode generates one under the data dir. */
    @Bean
    SecretCipher secretCipher(OutboundProperties properties, InfraProperties infra, Environment environment) {
        return EncryptionKeys.load(properties.encryptionKeys(), infra.production(), infra.dataPath(), environment);
    }

    /** Stored secrets are brought under the current key before the store is handed to anyone. */
    @Bean
    EndpointStore endpointStore(JdbcTemplate jdbc, PlatformTransactionManager transactions, SecretCipher cipher,
                                ObjectMapper json) {
        new StoredSecretsMigration(jdbc, new TransactionTemplate(transactions), cipher, json).run();
        return new EndpointStore(jdbc, cipher, json);
    }

    @Bean
    DeliveryStore deliveryStore(JdbcTemplate jdbc, PlatformTransactionManager transactions, SqlDialect dialect,
                                OutboxWriter outbox, ObjectMapper json) {
        return new DeliveryStore(jdbc, new TransactionTemplate(transactions), dialect, outbox, json);
    }

    @Bean
    DeliveryQueries deliveryQueries(JdbcTemplate jdbc) {
        return new DeliveryQueries(jdbc);
    }

    @Bean
    DeliveryMetrics deliveryMetrics(MeterRegistry registry) {
        return new DeliveryMetrics(registry);
    }

    @Bean
    EndpointDirectory endpointDirectory(EndpointStore store, OutboundProperties properties, DeliveryMetrics metrics) {
        OutboundProperties.Filter filter = properties.filter();
        return new EndpointDirectory(store::all, 1_000, new EndpointFilters(
                new ExpressionBounds(filter.timeout(), filter.maxDepth()), metrics));
    }

    @Bean
    EndpointService endpointService(EndpointStore endpoints, DeliveryStore deliveries, EndpointDirectory directory,
                                    AddressGuard guard, Clock clock, OutboundProperties properties, Environment environment) {
        EndpointService service = new EndpointService(endpoints, deliveries, directory, guard, clock);
        service.syncDeclared(properties.endpoints(), environment);
        return service;
    }

    @Bean(destroyMethod = "close")
    HttpSender httpSender(AddressGuard guard, OutboundProperties properties, DeliveryMetrics metrics) {
        OutboundProperties.Delivery d = properties.delivery();
        return new HttpSender(guard, d.connectTimeout(), d.timeout(), d.responseBodyLimit(), metrics::resent);
    }

    @Bean
    Deliverer deliverer(DeliveryStore store, EndpointDirectory directory, HttpSender sender, OutboundProperties properties,
                        Clock clock, DeliveryMetrics metrics, ObjectMapper json) {
        String instance = ManagementFactory.getRuntimeMXBean().getName() + "-" + UUID.randomUUID().toString().substring(0, 8);
        return new Deliverer(store, directory, sender, properties, clock, instance, metrics, json);
    }

    @Bean
    Dispatcher dispatcher(KafkaBackbone backbone, DeliveryStore store, EndpointDirectory directory, Deliverer deliverer,
                          Clock clock, OutboundProperties properties, ConsumerLoops loops, ObjectMapper json) {
        return new Dispatcher(backbone, store, directory, deliverer.retryPolicy(), clock,
                properties.delivery().dispatchBatchSize(), loops, json, deliverer::arrived);
    }

    /** {@code hooksync-messages?types=..}: outbound messages into Camel routes (email, RabbitMQ, ...). */
    @Bean("hooksync-messages")
    MessagesComponent hooksyncMessagesComponent(KafkaBackbone backbone, ConsumerLoops loops, ObjectMapper json,
                                                org.springframework.context.ApplicationContext context) {
        return new MessagesComponent(backbone, loops, json, java.time.Instant.ofEpochMilli(context.getStartupDate()));
    }

    @Bean
    SmartLifecycle outboundLifecycle(DataSource dataSource, JdbcTemplate jdbc, KafkaBackbone backbone, TopicAdmin topics,
                                     OutboundProperties properties, Dispatcher dispatcher, Deliverer deliverer,
                                     EndpointService endpoints, OutboxWriter outbox, SqlDialect dialect) {
        return new SmartLifecycle() {
            private Thread relayThread;
            private KafkaProducer<byte[], byte[]> producer;
            private boolean running;

            @Override
            public void start() {
                try {
                    topics.ensureTopic(OutboxRelay.TOPIC);
                } catch (IllegalStateException e) {
                    LoggerFactory.getLogger(OutboxRelay.class).warn("Outbound topic not created now: {}", e.getMessage());
                }
                Properties p = KafkaClients.durableProducer(backbone, "hooksync-outbox-relay");
                p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
                producer = new KafkaProducer<>(p);
                OutboxRelay relay = new OutboxRelay(dataSource, producer, properties.relayBatchSize(), MessageIds.prefix(jdbc),
                        outbox, dialect);
                relayThread = BackgroundPriority.thread("hooksync-outbox-relay", () -> relay.run(properties.relayInterval()));
                relayThread.start();
                if (properties.delivery().enabled()) {
                    dispatcher.start();
                    deliverer.start();
                }
                running = true;
            }

            @Override
            public void stop() {
                try {
                    if (properties.delivery().enabled()) {
                        dispatcher.stop();
                        deliverer.stop();
                    }
                    relayThread.interrupt();
                    relayThread.join(10_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                producer.close(Duration.ofSeconds(5));
                running = false;
            }

            @Override
            public boolean isRunning() {
                return running;
            }
        };
    }
}
