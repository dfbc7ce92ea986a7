package io.hooksync.infra.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import io.hooksync.infra.InvalidConfigurationException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The in-JVM broker formats its storage once and keeps records and cluster id across a restart. */
class EmbeddedKafkaBrokerIT {

    private static final String TOPIC = "hooksync.resume-test";

    @TempDir
    Path dataDir;

    @BeforeAll
    static void quietLogs() {
        TestLogs.quiet();
    }

    /** A taken port is a problem naming the setting; Kafka's own bind failure halts the JVM with a stack trace. */
    @Test
    void aPortInUseIsAProblemNamingTheSetting() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            assertThatThrownBy(() -> new EmbeddedKafkaBroker(dataDir, port, 0, 1).start())
                    .isInstanceOf(InvalidConfigurationException.class)
                    .hasMessageContaining("hooksync.kafka.embedded.port: port " + port + " on 127.0.0.1 is in use");
            assertThatThrownBy(() -> new EmbeddedKafkaBroker(dataDir, 0, port, 1).start())
                    .isInstanceOf(InvalidConfigurationException.class)
                    .hasMessageContaining("hooksync.kafka.embedded.controller-port: port " + port);
        }
    }

    @Test
    void recordAndClusterIdSurviveRestart() throws Exception {
        String clusterId;
        RecordMetadata written;
        try (EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(dataDir, 0, 0, 2).start()) {
            assertThat(broker.bootstrapServers()).startsWith("127.0.0.1:");
            assertThat(broker.embedded()).isTrue();
            clusterId = broker.clusterId();
            assertThat(clusterIdFromBroker(broker)).isEqualTo(clusterId);
            written = produce(broker.bootstrapServers(), "order-1", "{\"id\":1}");
        }
        assertThat(dataDir.resolve("kafka/meta.properties")).exists();
        assertThat(Files.readString(dataDir.resolve("kafka/meta.properties"))).contains(clusterId);

        try (EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(dataDir, 0, 0, 2).start()) {
            assertThat(broker.clusterId()).isEqualTo(clusterId);
            assertThat(clusterIdFromBroker(broker)).isEqualTo(clusterId);
            List<ConsumerRecord<String, String>> records = consumeAll(broker.bootstrapServers(), 1);
            assertThat(records).singleElement().satisfies(record -> {
                assertThat(record.key()).isEqualTo("order-1");
                assertThat(record.value()).isEqualTo("{\"id\":1}");
                assertThat(record.partition()).isEqualTo(written.partition());
                assertThat(record.offset()).isEqualTo(written.offset());
            });
        }
    }

    static RecordMetadata produce(String bootstrap, String key, String value) throws Exception {
        Map<String, Object> config = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config)) {
            return producer.send(new ProducerRecord<>(TOPIC, key, value)).get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void resumesAfterJvmKill() throws Exception {
        String clusterId;
        try (ChildJvm child = new ChildJvm(KilledKafkaMain.class, dataDir.toString())) {
            clusterId = child.awaitReady();
        }
        try (EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(dataDir, 0, 0, 1).start()) {
            assertThat(broker.clusterId()).isEqualTo(clusterId);
            assertThat(consumeAll(broker.bootstrapServers(), 1)).singleElement()
                    .satisfies(record -> assertThat(record.value()).isEqualTo("written before SIGKILL"));
        }
    }

    private static List<ConsumerRecord<String, String>> consumeAll(String bootstrap, int expected) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "resume-test",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
            consumer.subscribe(List.of(TOPIC));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (records.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(records::add);
            }
        }
        return records;
    }

    private static String clusterIdFromBroker(EmbeddedKafkaBroker broker) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            return admin.describeCluster().clusterId().get(10, TimeUnit.SECONDS);
        }
    }
}
