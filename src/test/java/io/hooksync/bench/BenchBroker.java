package io.hooksync.bench;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;

/**
 * A single-node KRaft broker for the bare Camel reference, in the reference's own JVM (as Hooksync runs its
 * broker in its JVM), configured like the engine's in-JVM broker: combined broker+controller on 127.0.0.1,
 * replication 1, min ISR 1, 3 partitions per auto-created topic, log on local disk, same heartbeat settings.
 */
public final class BenchBroker implements AutoCloseable {

    private final KafkaRaftServer server;
    private final String bootstrap;

    private BenchBroker(KafkaRaftServer server, String bootstrap) {
        this.server = server;
        this.bootstrap = bootstrap;
    }

    String bootstrap() {
        return bootstrap;
    }

    static BenchBroker start(Path logDir, int port, int controllerPort) throws Exception {
        Files.createDirectories(logDir);
        new Formatter()
                .setPrintStream(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8))
                .setNodeId(1)
                .setClusterId(Uuid.randomUuid().toString())
                .setControllerListenerName("CONTROLLER")
                .setMetadataLogDirectory(logDir.toString())
                .addDirectory(logDir.toString())
                .run();
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("log.dirs", logDir.toString());
        p.put("num.partitions", "3");
        p.put("default.replication.factor", "1");
        p.put("offsets.topic.replication.factor", "1");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("min.insync.replicas", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("auto.create.topics.enable", "true");
        p.put("broker.session.timeout.ms", "3000");
        p.put("broker.heartbeat.interval.ms", "500");
        KafkaRaftServer server;
        try {
            // kafka.server.KafkaConfig's parent class is runtime-only in kafka_2.13's POM: build it reflectively.
            Class<?> config = Class.forName("kafka.server.KafkaConfig");
            server = KafkaRaftServer.class.getConstructor(config, Time.class)
                    .newInstance(config.getConstructor(Map.class, boolean.class).newInstance(p, false), Time.SYSTEM);
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
        server.startup();
        String bootstrap = "127.0.0.1:" + port;
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (true) {
                try {
                    if (!admin.describeCluster().nodes().get(3, TimeUnit.SECONDS).isEmpty()) {
                        break;
                    }
                } catch (Exception e) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("bench broker not serving after 60 s", e);
                    }
                }
                Thread.sleep(200);
            }
        }
        return new BenchBroker(server, bootstrap);
    }

    /**
     * A standalone broker process (the scale-out test runs engines against it):
     * {@code BenchBroker <log dir> <port> <controller port>}; prints {@code READY <bootstrap>} and serves until killed.
     */
    public static void main(String[] args) throws Exception {
        BenchBroker broker = start(Path.of(args[0]), Integer.parseInt(args[1]), Integer.parseInt(args[2]));
        Runtime.getRuntime().addShutdownHook(new Thread(broker::close));
        System.out.println("READY " + broker.bootstrap());
        System.out.flush();
        Thread.currentThread().join();
    }

    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
    }
}
