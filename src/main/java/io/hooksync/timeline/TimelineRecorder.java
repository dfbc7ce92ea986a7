package io.hooksync.timeline;

import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.regex.Pattern;

import io.hooksync.infra.InternalNames;
import io.hooksync.infra.KafkaBackbone;
import io.hooksync.infra.consumer.ConsumerLoop;
import io.hooksync.infra.consumer.ConsumerLoops;
import io.hooksync.infra.consumer.LoopSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.springframework.context.SmartLifecycle;

/**
 * A consumer loop ({@link ConsumerLoop}, named {@code timeline}) in consumer group {@code hooksync.timeline},
 * subscribed to every source topic by pattern (sources added later are picked up), writing each poll to
 * the timeline in one batch and committing the offsets after. If the database is down the loop seeks back
 * and waits; a record the database refuses (a type longer than its column) is set aside and the others are
 * recorded. The timeline lags, nothing else waits for it (it is its own group).
 */
final class TimelineRecorder implements SmartLifecycle {

    static final String GROUP = InternalNames.TIMELINE_GROUP;

    private final ConsumerLoop loop;
    private volatile boolean running;

    TimelineRecorder(KafkaBackbone backbone, TimelineStore store, TimelineProperties properties, ConsumerLoops loops) {
        Pattern topics = Pattern.compile(Pattern.quote(properties.topicPrefix()) + ".+");
        this.loop = loops.create(new LoopSpec("timeline", () -> new KafkaConsumer<>(consumer(backbone)),
                LoopSpec.Subscription.pattern(topics), LoopSpec.Mode.BATCHES), records -> {
                    List<TimelineEntry> entries = new ArrayList<>(records.size());
                    for (ConsumerRecord<byte[], byte[]> record : records) {
                        entries.add(TimelineEntry.of(record, properties.topicPrefix()));
                    }
                    store.insert(entries);
                });
    }

    private static Properties consumer(KafkaBackbone backbone) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, backbone.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, GROUP);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, GROUP);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500);
        p.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, 5_000);   // how soon a new source's topic is seen
        // one insert for many events under load (the broker gathers up to 256 kB or 200 ms): the timeline may lag a little
        p.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, 256 * 1024);
        p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 200);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        return p;
    }

    @Override
    public void start() {
        loop.start();
        running = true;
    }

    @Override
    public void stop() {
        try {
            loop.stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
