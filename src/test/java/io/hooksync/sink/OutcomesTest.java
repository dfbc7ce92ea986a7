package io.hooksync.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hooksync.infra.outbox.OutboxWriter;
import io.hooksync.mapping.CompiledMapping;
import io.hooksync.mapping.Mappings;
import org.junit.jupiter.api.Test;

/** The outbound payload an applied event's changed row emits. */
class OutcomesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final CompiledMapping issues = Mappings.load(Path.of("mappings")).find("github/issues").orElseThrow().compile();

    /** A timestamp on a whole minute keeps its seconds ({@code OffsetDateTime.toString()} drops them). */
    @Test
    void timestampsAreWrittenWithTheirSecondsEvenWhenZero() throws Exception {
        assertThat(emitted("2026-12-05T00:00:00Z").path("data").path("updated_at").asText())
                .isEqualTo("2026-12-05T00:00:00Z");
        assertThat(emitted("2026-12-05T10:20:30.25+02:00").path("data").path("updated_at").asText())
                .isEqualTo("2026-12-05T08:20:30.25Z");
    }

    private JsonNode emitted(String updatedAt) throws Exception {
        @SuppressWarnings("unchecked")
        Map<String, Object> payload = JSON.readValue(
                Files.readAllBytes(Path.of("src/test/resources/fixtures/github/issues-opened.json")), Map.class);
        @SuppressWarnings("unchecked")
        Map<String, Object> issue = (Map<String, Object>) payload.get("issue");
        issue.put("updated_at", updatedAt);
        List<CompiledMapping.Row> rows = issues.apply(payload, Map.of());
        Outcomes outcomes = new Outcomes(new SinkWriter.Target("github-issues", issues, "", "issue.synced"), JSON);
        InboundEvent event = new InboundEvent("github", "d-1", "issues", "opened", null, "hooksync.events.github", 0, 0,
                null, Map.of(), JSON.writeValueAsString(payload).getBytes(StandardCharsets.UTF_8));
        outcomes.add(event, rows, new int[] {1}, 0);
        List<OutboxWriter.Row> outbox = outcomes.outbox();
        assertThat(outbox).hasSize(1);
        return JSON.readTree(outbox.get(0).payload());
    }
}
