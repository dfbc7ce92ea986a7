package io.hooksync.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class IssuePayloadsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static String fixture() throws Exception {
        String pretty = Files.readString(Path.of("src/test/resources/fixtures/github/issues-opened.json"));
        return JSON.writeValueAsString(JSON.readTree(pretty));
    }

    @Test
    void distinctEventsCarryTheirOwnIssueIdAndKeepTheRestOfThePayload() throws Exception {
        String json = fixture();
        IssuePayloads payloads = IssuePayloads.of(json);

        JsonNode event = JSON.readTree(payloads.event(42, 1_000, 0, 10, false));

        assertThat(event.path("issue").path("id").asLong()).isEqualTo(1_042);
        JsonNode original = JSON.readTree(json);
        assertThat(event.path("issue").path("updated_at")).isEqualTo(original.path("issue").path("updated_at"));
        assertThat(event.path("issue").path("milestone")).isEqualTo(original.path("issue").path("milestone"));
        assertThat(event.path("repository")).isEqualTo(original.path("repository"));
    }

    @Test
    void stampedEventsAreNewerTheLaterTheyComeAndTheMilestoneKeepsItsTime() throws Exception {
        IssuePayloads payloads = IssuePayloads.of(fixture());

        JsonNode first = JSON.readTree(payloads.event(0, 1_000, 0, 10, true)).path("issue");
        JsonNode later = JSON.readTree(payloads.event(3_601, 1_000, 0, 10, true)).path("issue");

        assertThat(first.path("updated_at").asText()).isEqualTo("2026-01-01T00:00:00Z");
        assertThat(later.path("updated_at").asText()).isEqualTo("2026-01-01T01:00:01Z");
        assertThat(later.path("milestone").path("updated_at").asText()).isEqualTo("2019-05-15T15:20:18Z");
    }

    @Test
    void theHotMixPutsEveryTenthEventOnOneOfTenRows() throws Exception {
        IssuePayloads payloads = IssuePayloads.of(fixture());
        Set<Long> hot = new HashSet<>();
        int distinct = 0;

        for (long i = 0; i < 1_000; i++) {
            long id = JSON.readTree(payloads.event(i, 1_000_000, 10, 10, true)).path("issue").path("id").asLong();
            if (i % 10 == 0) {
                hot.add(id);
            } else {
                assertThat(id).isEqualTo(1_000_000 + i);
                distinct++;
            }
        }

        assertThat(hot).hasSize(10).allMatch(id -> id < 1_000_000);
        assertThat(distinct).isEqualTo(900);
    }

    @Test
    void aPayloadWithoutAnIssueIsRefused() {
        assertThatThrownBy(() -> IssuePayloads.of("{\"action\":\"opened\",\"pull_request\":{\"id\":1}}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("issue.id");
    }
}
