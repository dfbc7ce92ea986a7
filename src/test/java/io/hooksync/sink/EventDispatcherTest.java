package io.hooksync.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import com.fasterxml.jackson.core.JsonParseException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The per-event dispatch on Kafka's MockConsumer: partition order, a partition stopping at its first unsettled event
 * while the others go on, commits only up to settled events, and the consumer-loop rules for what fails (outage
 * retried without limit, poison dead-lettered at once, anything else after max attempts).
 */
class EventDispatcherTest {

    private static final String TOPIC = "hooksync.events.github";
    private static final TopicPartition P0 = new TopicPartition(TOPIC, 0);
    private static final TopicPartition P1 = new TopicPartition(TOPIC, 1);

    private final MockConsumer<byte[], byte[]> kafka = new MockConsumer<>(OffsetResetStrategy.EARLIEST);
    private final List<String> ran = new ArrayList<>();
    private final List<String> deadLetters = new ArrayList<>();
    private final Map<String, Exception> failures = new HashMap<>();
    private RuntimeException deadLetterFailure;

    private final Function<ConsumerRecord<byte[], byte[]>, InboundEvent> toEvent = record -> new InboundEvent("github",
            record.partition() + ":" + record.offset(), new String(record.value(), StandardCharsets.UTF_8), null, null,
            record.topic(), record.partition(), record.offset(), null, Map.of(), "{}".getBytes(StandardCharsets.UTF_8));

    private final EventDispatcher dispatcher = new EventDispatcher("triage", 3, toEvent, TypeFilter.parse("issues", null),
            event -> {
                ran.add(event.id());
                return failures.get(event.id());
            },
            (event, error, attempts) -> {
                if (deadLetterFailure != null) {
                    throw deadLetterFailure;
                }
                deadLetters.add(event.id() + " after " + attempts + ": " + error);
            },
            new SinkMetrics(new SimpleMeterRegistry()));

    @BeforeEach
    void partitions() {
        kafka.assign(List.of(P0, P1));
        kafka.updateBeginningOffsets(Map.of(P0, 0L, P1, 0L));
    }

    /** The topic as the test wrote it; MockConsumer forgets what it returned, so each poll re-offers from the position. */
    private final Map<TopicPartition, List<String>> log = new HashMap<>();

    private void add(TopicPartition partition, String... types) {
        log.computeIfAbsent(partition, p -> new ArrayList<>()).addAll(List.of(types));
    }

    private ConsumerRecords<byte[], byte[]> poll() {
        log.forEach((partition, types) -> {
            for (long offset = kafka.position(partition); offset < types.size(); offset++) {
                kafka.addRecord(new ConsumerRecord<>(TOPIC, partition.partition(), offset, null,
                        types.get((int) offset).getBytes(StandardCharsets.UTF_8)));
            }
        });
        return kafka.poll(Duration.ofMillis(10));
    }

    private Exception dispatch() {
        return dispatcher.dispatch(kafka, poll(), () -> true);
    }

    private Long committed(TopicPartition partition) {
        OffsetAndMetadata offset = kafka.committed(Set.of(partition)).get(partition);
        return offset == null ? null : offset.offset();
    }

    @Test
    void aFailedEventStopsItsPartitionOnlyAndNothingPastItIsCommitted() {
        add(P0, "issues", "issues", "issues");
        add(P1, "issues", "push", "issues");
        failures.put("0:1", new IllegalStateException("enrichment API said 500"));

        Exception failure = dispatch();

        assertThat(failure).hasMessageContaining("500");
        assertThat(ran).as("partition order; 0:2 never runs before 0:1 is settled; push is not wanted")
                .containsSubsequence("0:0", "0:1").containsSubsequence("1:0", "1:2").doesNotContain("0:2", "1:1");
        assertThat(committed(P0)).as("partition 0 committed up to the failed event").isEqualTo(1L);
        assertThat(committed(P1)).as("partition 1 went on").isEqualTo(3L);
        assertThat(kafka.position(P0)).as("partition 0 retries from the failed event").isEqualTo(1L);
        assertThat(deadLetters).isEmpty();
    }

    @Test
    void anEventThatKeepsFailingIsDeadLetteredAfterMaxAttemptsAndThePartitionGoesOn() {
        add(P0, "issues", "issues");
        failures.put("0:0", new IllegalStateException("no such user"));

        assertThat(dispatch()).isNotNull();
        assertThat(dispatch()).isNotNull();
        assertThat(deadLetters).isEmpty();
        assertThat(committed(P0)).isNull();

        assertThat(dispatch()).as("third attempt: dead-lettered, settled").isNull();
        assertThat(deadLetters).singleElement().asString().startsWith("0:0 after 3: route triage did not settle")
                .contains("no such user");
        assertThat(ran).containsExactly("0:0", "0:0", "0:0", "0:1");
        assertThat(committed(P0)).isEqualTo(2L);
    }

    @Test
    void anOutageIsRetriedWithoutLimitAndNeverDeadLettered() {
        add(P0, "issues");
        failures.put("0:0", new DatabaseUnavailableException("database unavailable", new SQLTransientConnectionException("down")));

        for (int i = 0; i < 6; i++) {
            assertThat(dispatch()).isInstanceOf(DatabaseUnavailableException.class);
        }
        assertThat(deadLetters).isEmpty();
        assertThat(committed(P0)).isNull();

        failures.clear();
        assertThat(dispatch()).isNull();
        assertThat(committed(P0)).isEqualTo(1L);
    }

    @Test
    void aSwallowedOutageStaysAnOutageAndAnUnsettledEventWithoutCauseIsBounded() {
        Settlement one = new Settlement(List.of(toEvent.apply(new ConsumerRecord<>(TOPIC, 0, 0, null, new byte[0]))));
        Exception swallowedOutage = new Settlement.UnsettledException("triage", one,
                new DatabaseUnavailableException("database unavailable", new SQLTransientConnectionException("down")));
        Exception forgotten = new Settlement.UnsettledException("triage", one);

        assertThat(EventDispatcher.kind(swallowedOutage)).isEqualTo(io.hooksync.infra.consumer.FailureKind.OUTAGE);
        assertThat(EventDispatcher.kind(forgotten)).isEqualTo(io.hooksync.infra.consumer.FailureKind.UNKNOWN);
    }

    /** An unsettled event's dead letter reads as a sentence, not as a Java class name. */
    @Test
    void anUnsettledEventsDeadLetterSaysWhyWithoutClassNames() {
        add(P0, "issues", "issues");
        Settlement one = new Settlement(List.of(toEvent.apply(new ConsumerRecord<>(TOPIC, 0, 0, null, new byte[0]))));
        failures.put("0:0", new Settlement.UnsettledException("triage", one));
        dispatch();
        dispatch();
        assertThat(dispatch()).isNull();
        assertThat(deadLetters).singleElement().asString()
                .contains("route triage did not settle the event (unknown): route triage ended without settling")
                .doesNotContain("UnsettledException", "io.hooksync");
    }

    @Test
    void poisonIsDeadLetteredAtOnce() {
        add(P0, "issues", "issues");
        failures.put("0:0", new JsonParseException(null, "Unexpected character"));

        assertThat(dispatch()).isNull();

        assertThat(deadLetters).singleElement().asString().startsWith("0:0 after 1: ").contains("(poison)");
        assertThat(committed(P0)).isEqualTo(2L);
    }

    @Test
    void aDeadLetterTheDatabaseCannotTakeKeepsTheEvent() {
        add(P0, "issues", "issues");
        failures.put("0:0", new JsonParseException(null, "Unexpected character"));
        deadLetterFailure = new DatabaseUnavailableException("cannot write dead letter", new SQLTransientConnectionException("down"));

        assertThat(dispatch()).isSameAs(deadLetterFailure);

        assertThat(ran).containsExactly("0:0");
        assertThat(committed(P0)).isNull();
        assertThat(kafka.position(P0)).isZero();
    }

    @Test
    void stoppingPutsTheRestBackWithoutAFailure() {
        add(P0, "issues", "issues", "issues");
        ConsumerRecords<byte[], byte[]> records = poll();
        int[] asked = {0};

        Exception failure = dispatcher.dispatch(kafka, records, () -> asked[0]++ < 1);

        assertThat(failure).isNull();
        assertThat(ran).containsExactly("0:0");
        assertThat(committed(P0)).isEqualTo(1L);
        assertThat(kafka.position(P0)).isEqualTo(1L);
    }
    /** A step that read a batch as one payload is told so; the events show who they are, not byte arrays. */
    @Test
    void aStepThatReadTheBatchAsOnePayloadIsToldSo() {
        InboundEvent event = new InboundEvent("github", "d-1", "issues", "opened", new byte[] {1}, "hooksync.events.github",
                2, 17, null, Map.of(), "{\"a\":1}".getBytes(StandardCharsets.UTF_8));
        assertThat(event).hasToString("InboundEvent[source=github, id=d-1, type=issues, action=opened, "
                + "hooksync.events.github-2@17, payload 7 bytes]");
        Exception fromSimple = new IllegalStateException("evaluating", new IllegalArgumentException(
                "Key: data not found in bean: " + List.of(event)));
        assertThat(EventDispatcher.readTheBatch(fromSimple)).isTrue();
        assertThat(EventDispatcher.readTheBatch(new IllegalStateException("connection refused"))).isFalse();
    }
}
