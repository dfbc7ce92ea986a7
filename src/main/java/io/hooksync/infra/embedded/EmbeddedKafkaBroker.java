package io.hooksync.infra.embedded;

import io.hooksync.infra.KafkaBackbone;
import java.lang.reflect.InvocationTargetException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A combined KRaft broker and controller in this JVM, listening on 127.0.0.1, log under data-dir/kafka. */
final class EmbeddedKafkaBroker implements KafkaBackbone, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);
    private static final int NODE_ID = 1;
    private static final String CONTROLLER = "CONTROLLER";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    private final Path logDir;
    private final int port;
    private final int controllerPort;
    private final int partitions;
    private KafkaRaftServer server;
    private String bootstrapServers;
    private String clusterId;

    /** A broker keeping its log in {@code dataDir/kafka}; a port of 0 picks a free one at start. */
    EmbeddedKafkaBroker(Path dataDir, int port, int controllerPort, int partitions) {
        this.logDir = dataDir.toAbsolutePath().normalize().resolve("kafka");
        this.port = port;
        this.controllerPort = controllerPort;
        this.partitions = partitions;
    }

    /** Formats the log directory on first use, starts the server and waits until it serves clients. */
    synchronized EmbeddedKafkaBroker start() throws Exception {
        if (server != null) {
            throw new IllegalStateException("Embedded Kafka is already running at " + bootstrapServers);
        }
        long started = System.nanoTime();
        FreePorts.requireFree(port, "hooksync.kafka.embedded.port", "another Kafka broker");
        FreePorts.requireFree(controllerPort, "hooksync.kafka.embedded.controller-port", "another Kafka");
        int[] ports = FreePorts.resolve(port, controllerPort);
        clusterId = KafkaStorage.formatOnce(logDir, NODE_ID, CONTROLLER);
        bootstrapServers = "127.0.0.1:" + ports[0];
        server = newServer(settings(ports[0], ports[1]));
        try {
            server.startup();
            awaitServing();
        } catch (Exception | Error e) {
            close();
            throw e;
        }
        log.info("Embedded Kafka ready at {} in {} ms (cluster {}, log in {})", bootstrapServers,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), clusterId, logDir);
        return this;
    }

    /**
     * kafka.server.KafkaConfig extends a class from kafka-server, which kafka_2.13's POM declares runtime-only,
     * so javac cannot see it: the config and server are created reflectively.
     */
    private static KafkaRaftServer newServer(Properties settings) throws Exception {
        try {
            Class<?> configType = Class.forName("kafka.server.KafkaConfig");
            Object config = configType.getConstructor(Map.class, boolean.class).newInstance(settings, false);
            return KafkaRaftServer.class.getConstructor(configType, Time.class).newInstance(config, Time.SYSTEM);
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    private Properties settings(int brokerPort, int quorumPort) {
        Properties props = new Properties();
        props.put("process.roles", "broker,controller");
        props.put("node.id", String.valueOf(NODE_ID));
        props.put("controller.quorum.voters", NODE_ID + "@127.0.0.1:" + quorumPort);
        props.put("controller.listener.names", CONTROLLER);
        props.put("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + "," + CONTROLLER + "://127.0.0.1:" + quorumPort);
        props.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT," + CONTROLLER + ":PLAINTEXT");
        props.put("log.dirs", logDir.toString());
        props.put("num.partitions", String.valueOf(partitions));
        props.put("default.replication.factor", "1");
        props.put("offsets.topic.replication.factor", "1");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("min.insync.replicas", "1");
        props.put("group.initial.rebalance.delay.ms", "0");
        props.put("auto.create.topics.enable", "true");
        // After a SIGKILL the controller keeps refusing the new broker incarnation until the old session
        // expires: 9 s by default (~14 s restart), 3 s here (~4.5 s). The heartbeat never leaves this JVM.
        props.put("broker.session.timeout.ms", "3000");
        props.put("broker.heartbeat.interval.ms", "500");
        return props;
    }

    private void awaitServing() throws Exception {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        try (Admin admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.CLIENT_ID_CONFIG, "hooksync-embedded-readiness"))) {
            while (true) {
                try {
                    if (!admin.describeCluster(new DescribeClusterOptions().timeoutMs(2_000))
                            .nodes().get(3, TimeUnit.SECONDS).isEmpty()) {
                        return;
                    }
                } catch (ExecutionException | TimeoutException e) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("Embedded Kafka did not serve within " + READY_TIMEOUT, e);
                    }
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Embedded Kafka has no live broker after " + READY_TIMEOUT);
                }
                Thread.sleep(100);
            }
        }
    }

    @Override
    public synchronized String bootstrapServers() {
        return bootstrapServers;
    }

    @Override
    public boolean embedded() {
        return true;
    }

    /** The cluster id from meta.properties; stays the same across restarts on one data directory. */
    synchronized String clusterId() {
        return clusterId;
    }

    /** The directory holding the Kafka log and metadata. */
    Path logDir() {
        return logDir;
    }

    /** Shuts the broker down and waits until it has stopped; the log directory stays for the next start. */
    @Override
    public synchronized void close() {
        if (server == null) {
            return;
        }
        long started = System.nanoTime();
        try {
            server.shutdown();
            server.awaitShutdown();
        } finally {
            server = null;
        }
        log.info("Embedded Kafka stopped in {} ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    }
}
