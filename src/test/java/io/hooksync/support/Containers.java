package io.hooksync.support;

import java.util.function.Supplier;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.mariadb.MariaDBContainer;
import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.rabbitmq.RabbitMQContainer;

/**
 * The services integration tests need, one shared container per service per test JVM (Testcontainers'
 * singleton pattern: started on first use, stopped when the JVM exits), each test class taking a fresh
 * database of its own. The images are the official ones; where no registry is reachable,
 * {@code scripts/stand-in-images} builds local stand-ins under the same names.
 */
public final class Containers {

    /** PostgreSQL 15 with logical WAL (CDC), trust authentication: user {@code postgres}, any password. */
    public static final String POSTGRES_IMAGE = "postgres:15";
    /** MariaDB 10.11 with a ROW binary log (CDC), user {@code root} with an empty password. */
    public static final String MARIADB_IMAGE = "mariadb:10.11";
    /** RabbitMQ 3.10 with the default {@code guest} user. */
    public static final String RABBITMQ_IMAGE = "rabbitmq:3.10";

    private Containers() {
    }

    public static PostgreSQLContainer postgres() {
        return Postgres.CONTAINER;
    }

    public static MariaDBContainer mariaDb() {
        return MariaDb.CONTAINER;
    }

    public static RabbitMQContainer rabbitMq() {
        return RabbitMq.CONTAINER;
    }

    /**
     * The address tests use to reach a container's published port. With a local Docker engine (a unix socket)
     * that is loopback: the published ports listen on every host interface, and tests load only loopback
     * addresses. Testcontainers itself would answer the bridge gateway when the tests run inside a container
     * (as on CI here). A remote engine ({@code DOCKER_HOST=tcp://...}) keeps Testcontainers' answer.
     */
    public static String host(GenericContainer<?> container) {
        String scheme = DockerClientFactory.instance().getTransportConfig().getDockerHost().getScheme();
        return "unix".equals(scheme) ? "127.0.0.1" : container.getHost();
    }

    /** Starts {@code container}, or explains what is missing when it cannot. */
    static <T extends GenericContainer<?>> T started(String image, Supplier<T> container) {
        try {
            T created = container.get();
            created.start();
            return created;
        } catch (RuntimeException e) {
            throw new IllegalStateException("could not start a container from image " + image + " (where no registry is "
                    + "reachable, build the local stand-ins first: scripts/stand-in-images): " + e.getMessage(), e);
        }
    }

    private static final class Postgres {
        static final PostgreSQLContainer CONTAINER = started(POSTGRES_IMAGE, () -> new PostgreSQLContainer(POSTGRES_IMAGE)
                .withUsername("postgres").withPassword("postgres").withEnv("POSTGRES_HOST_AUTH_METHOD", "trust")
                .withCommand("postgres", "-c", "wal_level=logical", "-c", "max_replication_slots=20",
                        "-c", "max_wal_senders=20", "-c", "max_connections=300", "-c", "fsync=off"));
    }

    private static final class MariaDb {
        static final MariaDBContainer CONTAINER = started(MARIADB_IMAGE, () -> new MariaDBContainer(MARIADB_IMAGE)
                .withUsername("root").withPassword("")
                .withCommand("--log-bin=mysql-bin", "--binlog-format=ROW", "--binlog-row-image=FULL", "--server-id=1",
                        "--max-connections=300", "--character-set-server=utf8mb4", "--collation-server=utf8mb4_general_ci"));
    }

    private static final class RabbitMq {
        static final RabbitMQContainer CONTAINER = started(RABBITMQ_IMAGE, () -> new RabbitMQContainer(RABBITMQ_IMAGE));
    }
}
