package io.hooksync.outbound;

import java.time.Duration;
import java.util.Properties;

import javax.sql.DataSource;

import io.hooksync.infra.KafkaBackbone;
import io.hooksync.infra.KafkaClients;
import io.hooksync.infra.TopicAdmin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Runs the outbox relay on one background thread for the lifetime of the application. */
@Configuration(proxyBeanMethods = false)
class OutboundConfiguration {

    @Bean
    SmartLifecycle outboxRelay(DataSource dataSource, KafkaBackbone backbone, TopicAdmin topics,
                               @Value("${hooksync.outbound.relay-interval:200ms}") Duration interval,
                               @Value("${hooksync.outbound.relay-batch-size:500}") int batchSize) {
        return new SmartLifecycle() {
            private Thread thread;
            private KafkaProducer<byte[], byte[]> producer;

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
                OutboxRelay relay = new OutboxRelay(dataSource, producer, batchSize);
                thread = new Thread(() -> relay.run(interval), "hooksync-outbox-relay");
                thread.setDaemon(true);
                thread.start();
            }

            @Override
            public void stop() {
                thread.interrupt();
                try {
                    thread.join(10_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                producer.close(Duration.ofSeconds(5));
                thread = null;
            }

            @Override
            public boolean isRunning() {
                return thread != null;
            }
        };
    }
}
