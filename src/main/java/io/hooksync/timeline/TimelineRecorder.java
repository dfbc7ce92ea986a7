package io.hooksync.timeline;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;

import io.hooksync.infra.KafkaBackbone;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * One background thread in consumer group {@code hooksync.timeline}, subscribed to every source topic
 * by pattern (sources added later are picked up), writing each batch to the timeline and committing
 * the offsets after. If the database refuses a batch, the consumer seeks back and tries again after a
 * pause: the timeline lags, nothing else waits for it (it is its own group).
 */
final class TimelineRecorder implements SmartLifecycle {

    static final String GROUP = "hooksync.timeline";
    private static final Logger log = LoggerFactory.getLogger(TimelineRecorder.class);

    private final KafkaBackbone backbone;
    private final TimelineStore store;
    private final TimelineProperties properties;
    private volatile KafkaConsumer<byte[], byte[]> consumer;
    private volatile Thread thread;
    private volatile boolean running;

    TimelineRecorder(KafkaBackbone backbone, TimelineStore store, TimelineProperties properties) {
        this.backbone = backbone;
        this.store = store;
        this.properties = properties;
    }

    @Override
    public void start() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, backbone.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, GROUP);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, GROUP);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500);
        p.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, 5_000);   // how soon a new source's topic is seen
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        consumer = new KafkaConsumer<>(p);
        running = true;
        thread = new Thread(this::run, "hooksync-timeline");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        int maxBody = (int) Math.min(Integer.MAX_VALUE, properties.maxBody().toBytes());
        try {
            consumer.subscribe(Pattern.compile(Pattern.quote(properties.topicPrefix()) + ".+"));
            while (running) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(500));
                if (records.isEmpty()) {
                    continue;
                }
                List<TimelineEntry> entries = new ArrayList<>(records.count());
                Map<TopicPartition, Long> firstOffsets = new HashMap<>();
                for (ConsumerRecord<byte[], byte[]> record : records) {
                    entries.add(TimelineEntry.of(record, properties.topicPrefix(), maxBody));
                    firstOffsets.putIfAbsent(new TopicPartition(record.topic(), record.partition()), record.offset());
                }
                try {
                    store.insert(entries);
                    consumer.commitSync();
                } catch (RuntimeException e) {
                    log.warn("Event timeline: could not record {} event(s), retrying in 2 s: {}", entries.size(), e.toString());
                    firstOffsets.forEach((partition, offset) -> {
                        if (consumer.assignment().contains(partition)) {
                            consumer.seek(partition, offset);
                        }
                    });
                    Thread.sleep(2_000);
                }
            }
        } catch (WakeupException stopping) {
            // stop() woke the poll
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.error("Event timeline recorder stopped", e);
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    @Override
    public void stop() {
        running = false;
        KafkaConsumer<byte[], byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        Thread t = thread;
        if (t != null) {
            try {
                t.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
