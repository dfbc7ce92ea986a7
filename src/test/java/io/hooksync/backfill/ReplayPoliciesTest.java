package io.hooksync.backfill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.hooksync.infra.InvalidFieldsException;
import org.junit.jupiter.api.Test;
import org.springframework.http.converter.json.Jackson2ObjectMapperBuilder;

/** The start a replay accepts, how a difference adds up and bounds its sample, and what progress a status shows. */
class ReplayPoliciesTest {

    private final Clock clock = Clock.fixed(Instant.parse("2026-12-01T12:00:00Z"), ZoneOffset.UTC);
    private final Replays replays = new Replays(null, null, null, clock);

    @Test
    void startIsTheBeginningOrAnInstantInThePast() {
        assertThat(replays.parseStart(" Beginning ")).isNull();
        assertThat(replays.parseStart("2026-11-01T00:00:00Z")).isEqualTo(Instant.parse("2026-11-01T00:00:00Z"));
        assertThatThrownBy(() -> replays.parseStart("yesterday")).isInstanceOf(InvalidFieldsException.class)
                .satisfies(e -> {
                    InvalidFieldsException.FieldError error = ((InvalidFieldsException) e).errors().get(0);
                    assertThat(error.field()).isEqualTo("start");
                    assertThat(error.message()).contains("yesterday");
                });
        assertThatThrownBy(() -> replays.parseStart("2027-01-01T00:00:00Z"))
                .satisfies(e -> assertThat(((InvalidFieldsException) e).errors().get(0).message()).contains("future"));
        assertThatThrownBy(() -> replays.parseStart(null)).isInstanceOf(InvalidFieldsException.class);
    }

    @Test
    void aDifferenceCountsEveryRowAndSamplesAtMostTheLimitPerKind() {
        ReplayDiff.Builder builder = new ReplayDiff.Builder(2);
        for (int i = 0; i < 5; i++) {
            builder.add("changed", Map.of("id", "c" + i), List.of(new ReplayDiff.Column("state", "open", "done"),
                    new ReplayDiff.Column("title", "a", "b")));
        }
        builder.add("changed", Map.of("id", "c5"), List.of(new ReplayDiff.Column("state", "open", "done")));
        builder.add("inserted", Map.of("id", "i0"), List.of());
        builder.add("unchanged", Map.of("id", "u0"), List.of());
        builder.add("deleted", Map.of("id", "d0"), List.of());
        ReplayDiff diff = builder.build();
        assertThat(List.of(diff.inserted(), diff.changed(), diff.unchanged(), diff.deleted())).containsExactly(1L, 6L, 1L, 1L);
        assertThat(diff.changedColumns()).containsExactly(Map.entry("state", 6L), Map.entry("title", 5L));
        assertThat(diff.sample()).extracting(ReplayDiff.Row::kind).containsExactly("changed", "changed", "inserted",
                "deleted");
    }

    @Test
    void progressAndRateComeFromTheCounts() {
        Replay running = replay("running", 1000, 250, 10_000L, null);
        ReplayStatus status = ReplayStatus.of(running, 15_000L);
        assertThat(status.progress()).isEqualTo(0.25);
        assertThat(status.eventsPerSecond()).isEqualTo(50.0);
        assertThat(ReplayStatus.of(replay("succeeded", 0, 0, 10_000L, 10_000L), 20_000L).progress()).isEqualTo(1.0);
        assertThat(ReplayStatus.of(replay("queued", 0, 0, null, null), 20_000L).progress()).isZero();
    }

    @Test
    void aStatusShowsItsTimesAsIsoInstantsLikeTheRestOfTheApi() throws Exception {
        ObjectMapper json = Jackson2ObjectMapperBuilder.json()   // as Spring Boot configures it
                .featuresToDisable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).build();
        JsonNode running = json.valueToTree(ReplayStatus.of(replay("running", 10, 5, 10_000L, null), 15_000L));
        assertThat(running.get("createdAt").asText()).isEqualTo("1970-01-01T00:00:00Z");
        assertThat(running.get("startedAt").asText()).isEqualTo("1970-01-01T00:00:10Z");
        assertThat(running.get("finishedAt").isNull()).isTrue();
        JsonNode done = json.valueToTree(ReplayStatus.of(replay("succeeded", 10, 10, 10_000L, 12_500L), 20_000L));
        assertThat(done.get("finishedAt").asText()).isEqualTo("1970-01-01T00:00:12.500Z");
    }

    private static Replay replay(String state, long total, long read, Long startedAt, Long finishedAt) {
        return new Replay("r1", "issues", "apply", "beginning", false, "issues", "bf_issues", state, false, null, total,
                read, 0, 0, 0, 0, null, 0, startedAt, finishedAt);
    }
}
