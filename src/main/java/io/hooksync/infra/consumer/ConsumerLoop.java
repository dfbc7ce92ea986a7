package io.hooksync.infra.consumer;

import java.time.Duration;

import io.hooksync.infra.BackgroundPriority;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Kafka consumer on its own thread: poll, hand the records to the processor, commit after success.
 * When the records cannot be settled ({@link PollSettler}) the consumer is put back at the first
 * unsettled record and waits with exponential backoff, polling paused so it keeps its partitions; a
 * record at fault is set aside and the loop goes on. A Kafka client failure (commit refused after a
 * rebalance, broker gone) closes the consumer and opens a new one at the committed offsets after the
 * backoff. Only an {@link Error} ends the thread: its {@link Liveness} then says dead, and health is DOWN.
 */
public final class ConsumerLoop {

    private static final Logger log = LoggerFactory.getLogger(ConsumerLoop.class);
    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration PAUSED_POLL = Duration.ofMillis(200);

    private final LoopSpec spec;
    private final PollSettler settler;
    private final Liveness liveness;
    private final ConsumerLoops registry;
    private final Backoff backoff;
    private static final int CLOSE_SECONDS = 5;
    private final Object sleeper = new Object();
    private volatile boolean running;
    private volatile Consumer<byte[], byte[]> consumer;
    private Thread thread;

    ConsumerLoop(LoopSpec spec, PollSettler settler, Liveness liveness, ConsumerLoops registry, Backoff backoff) {
        this.spec = spec;
        this.settler = settler;
        this.liveness = liveness;
        this.registry = registry;
        this.backoff = backoff;
    }

    public Liveness liveness() {
        return liveness;
    }

    public synchronized void start() {
        running = true;
        thread = BackgroundPriority.thread("hooksync-" + spec.name(), this::run);
        registry.register(liveness);
        liveness.started(thread);
        thread.start();
    }

    /** Stops the loop (waking a poll or a backoff) and waits up to 30 s for its thread. */
    public synchronized void stop() throws InterruptedException {
        running = false;
        Consumer<byte[], byte[]> current = consumer;
        if (current != null) {
            current.wakeup();
        }
        synchronized (sleeper) {
            sleeper.notifyAll();
        }
        if (thread != null) {
            thread.join(Duration.ofSeconds(30).toMillis());
        }
        if (liveness.state() != Liveness.State.DEAD) {
            liveness.stopped();
        }
        registry.unregister(liveness);
    }

    private void run() {
        try {
            while (running) {
                session();
            }
        } catch (InterruptedException | InterruptException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable t) {
            liveness.died(t);
            log.error("Consumer {} died; health is DOWN until the engine restarts", spec.name(), t);
        }
    }

    /** One Kafka consumer's life: from its creation to a Kafka failure (reconnect) or stop. */
    private void session() throws InterruptedException {
        Consumer<byte[], byte[]> c = null;
        try {
            c = spec.consumers().get();
            consumer = c;
            if (!running) {
                return;   // stop() came before this consumer existed
            }
            spec.subscription().subscribe(c);
            while (running) {
                cycle(c);
            }
        } catch (WakeupException e) {
            // stop() woke the poll
        } catch (InterruptException e) {
            throw new InterruptedException("interrupted in Kafka");
        } catch (RuntimeException e) {
            Duration delay = backoff.next();
            liveness.backingOff(e, delay);
            log.warn("Consumer {}: Kafka client failed ({}); reconnecting in {} ms", spec.name(), e.toString(),
                    delay.toMillis());
            sleep(delay);
        } finally {
            consumer = null;
            if (c != null) {
                closeQuietly(c);
            }
        }
    }

    /** Leaves the group within {@value #CLOSE_SECONDS} s, not the client's default 30 s, so a stop stays short. */
    private void closeQuietly(Consumer<byte[], byte[]> c) {
        try {
            c.close(Duration.ofSeconds(CLOSE_SECONDS));
        } catch (RuntimeException e) {
            log.debug("Consumer {}: closing the Kafka client failed: {}", spec.name(), e.toString());
        }
    }

    private void cycle(Consumer<byte[], byte[]> c) throws InterruptedException {
        ConsumerRecords<byte[], byte[]> records = c.poll(POLL);
        liveness.polled();
        if (liveness.state() == Liveness.State.STARTING) {
            liveness.running();
        }
        if (records.isEmpty()) {
            return;
        }
        Exception failure = settler.settle(c, records);
        if (failure == null) {
            backoff.reset();
            liveness.running();
            return;
        }
        Duration delay = backoff.next();
        liveness.backingOff(failure, delay);
        log.warn("Consumer {}: {} record(s) not settled, retrying in {} ms: {}", spec.name(), records.count(),
                delay.toMillis(), SetAsideRecord.Excerpts.describe(failure));
        waitPaused(c, delay);
    }

    /**
     * Waits without taking records while staying in the group: assigned partitions are paused and polled.
     * A rebalance inside such a poll can assign a partition that is not paused yet and return its records:
     * those are put back, or the position would move past records nobody handled.
     */
    private void waitPaused(Consumer<byte[], byte[]> c, Duration delay) {
        long deadline = System.nanoTime() + delay.toNanos();
        try {
            for (long left = delay.toNanos(); running && left > 0; left = deadline - System.nanoTime()) {
                c.pause(c.assignment());
                ConsumerRecords<byte[], byte[]> early = c.poll(Duration.ofNanos(Math.min(left, PAUSED_POLL.toNanos())));
                liveness.polled();
                for (TopicPartition partition : early.partitions()) {
                    c.seek(partition, early.records(partition).get(0).offset());
                }
            }
        } finally {
            c.resume(c.paused());
        }
    }

    private void sleep(Duration delay) throws InterruptedException {
        synchronized (sleeper) {
            if (running) {
                sleeper.wait(Math.max(1, delay.toMillis()));
            }
        }
    }

    /** Exponential backoff from {@code initial} doubling up to {@code max}; reset after a success. */
    static final class Backoff {

        private final Duration initial;
        private final Duration max;
        private Duration current;

        Backoff(Duration initial, Duration max) {
            this.initial = initial;
            this.max = max;
        }

        Duration next() {
            current = current == null ? initial : current.multipliedBy(2).compareTo(max) > 0 ? max : current.multipliedBy(2);
            return current;
        }

        void reset() {
            current = null;
        }
    }
}
