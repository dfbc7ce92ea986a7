package io.hooksync.infra.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import io.hooksync.support.Await;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.health.Status;

/**
 * The consumer-loop building block on Kafka's MockConsumer: a poison record is set aside and the next one
 * handled; an outage is retried and nothing is set aside or committed before success; an unknown failure
 * gets bounded attempts; a set-aside that cannot be stored is not a skip; a loop whose thread died is DOWN.
 */
class ConsumerLoopTest {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final List<SetAsideRecord> setAside = new CopyOnWriteArrayList<>();
    private final List<String> processed = new CopyOnWriteArrayList<>();
    private SetAsideStore store = setAside::add;
    private ConsumerLoops loops;
    private ConsumerLoop loop;

    @AfterEach
    void stop() throws InterruptedException {
        if (loop != null) {
            loop.stop();
        }
    }

    private ConsumerLoop start(ReplayingConsumer consumer, LoopSpec.Mode mode, RecordProcessor processor) {
        ConsumerProperties properties = new ConsumerProperties(Duration.ofMillis(5), Duration.ofMillis(20), 3,
                Duration.ofMinutes(2), Duration.ofDays(30));
        loops = new ConsumerLoops(properties, new SetAside(record -> store.save(record), meters, Clock.systemUTC()),
                Clock.systemUTC());
        loop = loops.create(new LoopSpec("test", () -> consumer, c -> { }, mode), processor);
        loop.start();
        return loop;
    }

    private static boolean contains(List<org.apache.kafka.clients.consumer.ConsumerRecord<byte[], byte[]>> records,
                                    String value) {
        return records.stream().anyMatch(r -> ReplayingConsumer.value(r).equals(value));
    }

    @Test
    void aPoisonRecordIsSetAsideAndTheRecordsAroundItAreHandled() {
        ReplayingConsumer consumer = new ReplayingConsumer("a", "poison", "c");
        start(consumer, LoopSpec.Mode.BATCHES, records -> {
            if (contains(records, "poison")) {
                throw new SQLException("value too long for type character varying(200)", "22001");
            }
            records.forEach(r -> processed.add(ReplayingConsumer.value(r)));
        });

        Await.until(Duration.ofSeconds(10), consumer::committedOffset, offset -> offset == 3);
        assertThat(processed).containsExactly("a", "c");
        assertThat(setAside).singleElement().satisfies(r -> {
            assertThat(r.consumer()).isEqualTo("test");
            assertThat(r.where()).isEqualTo("t/0@1");
            assertThat(r.key()).isEqualTo("k1");
            assertThat(r.valueExcerpt()).isEqualTo("poison");
            assertThat(r.error()).contains("value too long");
        });
        assertThat(meters.counter(SetAside.METER, "consumer", "test").count()).isEqualTo(1.0);
        assertThat(loop.liveness().state()).isEqualTo(Liveness.State.RUNNING);
    }

    @Test
    void anOutageIsRetriedFromTheBatchStartAndNothingIsCommittedOrSetAsideBeforeSuccess() {
        ReplayingConsumer consumer = new ReplayingConsumer("a", "b");
        AtomicInteger calls = new AtomicInteger();
        List<Long> committedWhileFailing = new CopyOnWriteArrayList<>();
        start(consumer, LoopSpec.Mode.BATCHES, records -> {
            if (calls.incrementAndGet() <= 4) {
                committedWhileFailing.add(consumer.committedOffset());
                throw new org.springframework.jdbc.CannotGetJdbcConnectionException("database down",
                        new SQLException("Connection refused", "08001"));
            }
            records.forEach(r -> processed.add(ReplayingConsumer.value(r)));
        });

        Await.until(Duration.ofSeconds(10), consumer::committedOffset, offset -> offset == 2);
        assertThat(committedWhileFailing).containsExactly(-1L, -1L, -1L, -1L);
        assertThat(processed).containsExactly("a", "b");   // the whole batch again, in one piece, after the outage
        assertThat(setAside).isEmpty();
        assertThat(loop.liveness().details()).containsEntry("state", "running")
                .hasEntrySatisfying("lastError", e -> assertThat((String) e).contains("database down"));
    }

    @Test
    void anUnknownFailureIsTriedMaxAttemptsTimesThenSetAside() {
        ReplayingConsumer consumer = new ReplayingConsumer("odd", "b");
        AtomicInteger oddAttempts = new AtomicInteger();
        start(consumer, LoopSpec.Mode.RECORDS, records -> {
            if (contains(records, "odd")) {
                oddAttempts.incrementAndGet();
                throw new IllegalStateException("who knows");
            }
            records.forEach(r -> processed.add(ReplayingConsumer.value(r)));
        });

        Await.until(Duration.ofSeconds(10), consumer::committedOffset, offset -> offset == 2);
        assertThat(oddAttempts).hasValue(3);
        assertThat(setAside).singleElement().satisfies(r -> assertThat(r.error()).contains("who knows"));
        assertThat(processed).containsExactly("b");
    }

    @Test
    void recordsModeCommitsWhatWasHandledAndRetriesFromTheFailingRecordOnly() {
        ReplayingConsumer consumer = new ReplayingConsumer("a", "b", "c");
        AtomicInteger failures = new AtomicInteger();
        List<Long> committedWhenRetried = new CopyOnWriteArrayList<>();
        start(consumer, LoopSpec.Mode.RECORDS, records -> {
            if (contains(records, "b") && failures.getAndIncrement() < 2) {
                committedWhenRetried.add(consumer.committedOffset());
                throw new java.net.ConnectException("Connection refused");
            }
            records.forEach(r -> processed.add(ReplayingConsumer.value(r)));
        });

        Await.until(Duration.ofSeconds(10), consumer::committedOffset, offset -> offset == 3);
        assertThat(processed).containsExactly("a", "b", "c");   // "a" is not handled twice
        assertThat(committedWhenRetried).containsExactly(-1L, 1L);
        assertThat(setAside).isEmpty();
    }

    @Test
    void aSetAsideThatCannotBeStoredKeepsTheRecordUntilItCanBe() {
        ReplayingConsumer consumer = new ReplayingConsumer("poison", "b");
        AtomicInteger storeFailures = new AtomicInteger();
        store = record -> {
            if (storeFailures.getAndIncrement() < 2) {
                throw new org.springframework.jdbc.CannotGetJdbcConnectionException("database down");
            }
            return setAside.add(record);
        };
        start(consumer, LoopSpec.Mode.RECORDS, records -> {
            if (contains(records, "poison")) {
                processed.add("poison tried, " + setAside.size() + " set aside");
                throw new RecordRejectedException("unreadable");
            }
            records.forEach(r -> processed.add(ReplayingConsumer.value(r) + ", " + setAside.size() + " set aside"));
        });

        Await.until(Duration.ofSeconds(10), consumer::committedOffset, offset -> offset == 2);
        assertThat(processed).containsExactly("poison tried, 0 set aside", "poison tried, 0 set aside",
                "poison tried, 0 set aside", "b, 1 set aside");
        assertThat(meters.counter(SetAside.METER, "consumer", "test").count()).isEqualTo(1.0);
    }

    @Test
    void aLoopWhoseThreadDiedIsDownWithItsError() {
        ReplayingConsumer consumer = new ReplayingConsumer("a");
        start(consumer, LoopSpec.Mode.RECORDS, records -> {
            throw new OutOfMemoryError("simulated");
        });
        ConsumersHealth health = new ConsumersHealth(loops);

        Await.until(Duration.ofSeconds(10), () -> health.health().getStatus(), Status.DOWN::equals);
        assertThat(loop.liveness().state()).isEqualTo(Liveness.State.DEAD);
        assertThat(health.health().getDetails()).hasEntrySatisfying("test", details ->
                assertThat(details.toString()).contains("state=dead").contains("OutOfMemoryError: simulated"));
        assertThat(consumer.closed()).as("the dead loop let go of its consumer (and its partitions)").isTrue();
    }
}
