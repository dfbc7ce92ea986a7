package io.hooksync.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.hooksync.infra.RouteIdentity;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** Where a route without committed offsets starts, and that the position is committed at once. */
class FirstPositionsTest {

    private static final TopicPartition P0 = new TopicPartition("hooksync.events.github", 0);
    private static final TopicPartition P1 = new TopicPartition("hooksync.events.github", 1);
    private static final Instant DEPLOYED = Instant.parse("2026-12-01T10:00:00Z");

    /** A consumer whose time index knows P0's first record at or after the deployment (offset 5), none for P1. */
    private static final class Topic extends MockConsumer<byte[], byte[]> {
        final Map<TopicPartition, Long> askedTimes = new HashMap<>();

        Topic() {
            super(OffsetResetStrategy.NONE);
            assign(List.of(P0, P1));
            updateBeginningOffsets(Map.of(P0, 2L, P1, 3L));
            updateEndOffsets(Map.of(P0, 9L, P1, 10L));
        }

        @Override
        public synchronized Map<TopicPartition, OffsetAndTimestamp> offsetsForTimes(Map<TopicPartition, Long> times) {
            askedTimes.putAll(times);
            updateEndOffsets(Map.of(P0, 9L, P1, 11L));    // an event accepted on P1 while we looked
            Map<TopicPartition, OffsetAndTimestamp> found = new HashMap<>();
            found.put(P0, new OffsetAndTimestamp(5L, DEPLOYED.toEpochMilli() + 10));
            found.put(P1, null);
            return found;
        }
    }

    private static FirstPositions positions(StartPosition start) {
        return new FirstPositions(RouteIdentity.of("issues", null), start, () -> DEPLOYED);
    }

    @Test
    void nowIsTheFirstEventAcceptedAfterTheDeploymentAndNothingAppendedMeanwhileIsSkipped() {
        Topic topic = new Topic();
        positions(new StartPosition.Now()).place(topic, Set.of(P0, P1));
        assertThat(topic.askedTimes).containsEntry(P0, DEPLOYED.toEpochMilli()).containsEntry(P1, DEPLOYED.toEpochMilli());
        assertThat(topic.position(P0)).isEqualTo(5L);
        assertThat(topic.position(P1)).as("the end offset read before the lookup, not after").isEqualTo(10L);
        assertThat(topic.committed(Set.of(P0, P1))).satisfies(c -> {
            assertThat(c.get(P0).offset()).isEqualTo(5L);
            assertThat(c.get(P1).offset()).isEqualTo(10L);
        });
    }

    @Test
    void beginningIsTheOldestRetainedEvent() {
        Topic topic = new Topic();
        positions(new StartPosition.Beginning()).place(topic, Set.of(P0, P1));
        assertThat(topic.position(P0)).isEqualTo(2L);
        assertThat(topic.position(P1)).isEqualTo(3L);
        assertThat(topic.committed(Set.of(P1)).get(P1).offset()).isEqualTo(3L);
        assertThat(topic.askedTimes).isEmpty();
    }

    @Test
    void anInstantLooksUpThatTime() {
        Topic topic = new Topic();
        Instant at = Instant.parse("2026-11-01T00:00:00Z");
        positions(StartPosition.parse(at.toString())).place(topic, Set.of(P0));
        assertThat(topic.askedTimes).containsExactly(Map.entry(P0, at.toEpochMilli()));
        assertThat(topic.position(P0)).isEqualTo(5L);
    }

    @Test
    void startValuesAreParsedOrRefused() {
        assertThat(StartPosition.parse(null)).isInstanceOf(StartPosition.Now.class);
        assertThat(StartPosition.parse("now")).isInstanceOf(StartPosition.Now.class);
        assertThat(StartPosition.parse("beginning")).isInstanceOf(StartPosition.Beginning.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> StartPosition.parse("earliest"))
                .hasMessageContaining("start=earliest is not 'now', 'beginning' or an instant");
    }
}
