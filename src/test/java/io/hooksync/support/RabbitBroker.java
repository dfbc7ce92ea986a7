package io.hooksync.support;

import com.rabbitmq.client.ConnectionFactory;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * The RabbitMQ broker tests publish to and read from, in one place so it can be switched (e.g. to a container):
 * this machine's broker on 127.0.0.1:5672, guest/guest.
 */
public final class RabbitBroker {

    private static final String HOST = "127.0.0.1";
    private static final int PORT = 5672;
    private static final String USER = "guest";
    private static final String PASSWORD = "guest";

    private RabbitBroker() {
    }

    /** A client connection factory for the test's own queues. */
    public static ConnectionFactory connectionFactory() {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost(HOST);
        factory.setPort(PORT);
        factory.setUsername(USER);
        factory.setPassword(PASSWORD);
        return factory;
    }

    /** {@code spring.rabbitmq.*} of the engine under test. */
    public static void springProperties(DynamicPropertyRegistry registry) {
        registry.add("spring.rabbitmq.host", () -> HOST);
        registry.add("spring.rabbitmq.port", () -> Integer.toString(PORT));
        registry.add("spring.rabbitmq.username", () -> USER);
        registry.add("spring.rabbitmq.password", () -> PASSWORD);
    }

    /** What a test says when the broker is not there. */
    public static String missing(Exception e) {
        return "RabbitMQ on " + HOST + ":" + PORT + " is needed (run .ci/prepare-services): " + e;
    }
}
