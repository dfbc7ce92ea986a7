package io.hooksync.infra.embedded;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.metadata.storage.Formatter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Formats a KRaft log directory once (like {@code kafka-storage.sh format}) and reads its cluster id. */
final class KafkaStorage {

    private static final Logger log = LoggerFactory.getLogger(KafkaStorage.class);
    private static final String META_PROPERTIES = "meta.properties";

    private KafkaStorage() {
    }

    /** Formats {@code logDir} unless it already holds meta.properties; returns the cluster id either way. */
    static String formatOnce(Path logDir, int nodeId, String controllerListener) throws Exception {
        Path meta = logDir.resolve(META_PROPERTIES);
        if (Files.exists(meta)) {
            return clusterId(logDir);
        }
        Files.createDirectories(logDir);
        String clusterId = Uuid.randomUuid().toString();
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        new Formatter()
                .setPrintStream(new PrintStream(output, true, StandardCharsets.UTF_8))
                .setNodeId(nodeId)
                .setClusterId(clusterId)
                .setControllerListenerName(controllerListener)
                .setMetadataLogDirectory(logDir.toString())
                .addDirectory(logDir.toString())
                .run();
        log.info("Formatted Kafka storage in {} with cluster id {}", logDir, clusterId);
        log.debug("Formatter output: {}", output.toString(StandardCharsets.UTF_8).trim());
        return clusterId;
    }

    /** The cluster id recorded in {@code logDir/meta.properties}. */
    static String clusterId(Path logDir) throws IOException {
        Properties meta = new Properties();
        try (InputStream in = Files.newInputStream(logDir.resolve(META_PROPERTIES))) {
            meta.load(in);
        }
        String clusterId = meta.getProperty("cluster.id");
        if (clusterId == null || clusterId.isBlank()) {
            throw new IOException("No cluster.id in " + logDir.resolve(META_PROPERTIES));
        }
        return clusterId;
    }
}
