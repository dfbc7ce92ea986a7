package io.hooksync.cdc;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.hooksync.infra.TopicAdmin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Starts the capture loops once the context is up and stops them first on shutdown (Debezium commits
 * the offsets of what Kafka acknowledged while it stops), before the broker and database go away.
 */
final class CdcCapture implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(CdcCapture.class);

    private final Map<CdcSource, CaptureLoop> loops = new LinkedHashMap<>();
    private final TopicAdmin topics;
    private final KafkaProducer<byte[], byte[]> producer;
    private volatile boolean running;

    CdcCapture(List<CdcSource> sources, List<CaptureLoop> loops, TopicAdmin topics,
               KafkaProducer<byte[], byte[]> producer) {
        for (int i = 0; i < sources.size(); i++) {
            this.loops.put(sources.get(i), loops.get(i));
        }
        this.topics = topics;
        this.producer = producer;
    }

    Map<CdcSource, CaptureLoop> sources() {
        return loops;
    }

    @Override
    public void start() {
        loops.forEach((source, loop) -> {
            topics.ensureEventTopic(source.topic());
            log.info("CDC source {} starting", source.describe());
            loop.start();
        });
        running = true;
    }

    @Override
    public void stop() {
        for (CaptureLoop loop : loops.values()) {
            try {
                loop.stop();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (producer != null) {
            producer.close(Duration.ofSeconds(10));
        }
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
