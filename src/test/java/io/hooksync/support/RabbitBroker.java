package io.hooksync.support;

import com.rabbitmq.client.ConnectionFactory;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.testcontainers.rabbitmq.RabbitMQContainer;

/**
 * The RabbitMQ broker a test publishes to and reads from, in one place: the shared container of {@link Containers}
 * (a test class using it is annotated {@link UsesRabbitMq}).
 */
public final class RabbitBroker {

    private RabbitBroker() {
    }

    /** A client connection factory for the test's own queues. */
    public static ConnectionFactory connectionFactory() {
        RabbitMQContainer broker = Containers.rabbitMq();
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost(Containers.host(broker));
        factory.setPort(broker.getAmqpPort());
        factory.setUsername(broker.getAdminUsername());
        factory.setPassword(broker.getAdminPassword());
        return factory;
    }

    /** {@code spring.rabbitmq.*} of the engine under test. */
    public static void springProperties(DynamicPropertyRegistry registry) {
        RabbitMQContainer broker = Containers.rabbitMq();
        registry.add("spring.rabbitmq.host", () -> Containers.host(broker));
        registry.add("spring.rabbitmq.port", () -> Integer.toString(broker.getAmqpPort()));
        registry.add("spring.rabbitmq.username", broker::getAdminUsername);
        registry.add("spring.rabbitmq.password", broker::getAdminPassword);
    }

    /** What a test says when the broker is not there. */
    public static String missing(Exception e) {
        return "RabbitMQ container not reachable: " + e;
    }
}
