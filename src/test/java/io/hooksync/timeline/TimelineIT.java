package io.hooksync.timeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hooksync.support.Await;
import io.hooksync.support.Http;
import io.hooksync.support.Signing;
import io.hooksync.support.TestData;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The event timeline on the real machinery: a signed webhook is recorded by the timeline consumer and
 * its timeline shows the route's ledger outcome and the outbox row; a poison event shows its dead letter;
 * the stream delivers new events; bad parameters are problem+json; old rows are pruned.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "GITHUB_WEBHOOK_SECRET=" + TimelineIT.SECRET,
        "STRIPE_WEBHOOK_SECRET=whsec_unused",
        "hooksync.timeline.max-body=200B",
        "hooksync.timeline.prune-batch=2",
})
class TimelineIT {

    static final String SECRET = "timeline-secret";
    private static final Path DATA = TestData.directory("timeline");
    private static final ObjectMapper JSON = new ObjectMapper();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws IOException {
        Path routes = Files.createDirectories(DATA.resolve("routes"));
        Path mappings = Files.createDirectories(DATA.resolve("mappings"));
        Files.writeString(routes.resolve("tickets.yaml"), """
                - route:
                    id: tickets
                    from:
                      uri: hooksync:events
                      parameters: { source: github, types: tickets }
                      steps:
                        - to: hooksync:upsert?mapping=tickets
                """);
        Files.writeString(mappings.resolve("tickets.yaml"), """
                table: timeline_tickets
                key: [id]
                columns:
                  id:  { expr: ticket.id, type: text }
                  qty: { expr: ticket.qty, type: integer }
                emit: ticket.synced
                """);
        TestData.embedded(registry, DATA.resolve("data"));
        registry.add("hooksync.routes-dir", routes::toString);
        registry.add("hooksync.mappings-dir", mappings::toString);
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    TimelinePruner pruner;

    private String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    private String send(String qty, String padding) {
        String id = UUID.randomUUID().toString();
        byte[] body = ("{\"ticket\":{\"id\":\"" + id + "\",\"qty\":" + qty + ",\"note\":\"" + padding + "\"}}")
                .getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> accepted = Http.post(url("/webhooks/github"), body, Map.of(
                "Content-Type", "application/json", "X-GitHub-Event", "tickets", "X-GitHub-Delivery", id,
                "X-Hub-Signature-256", Signing.github(SECRET, body)));
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        return id;
    }

    private JsonNode get(String path) {
        HttpResponse<String> response = Http.get(url(path), Http.admin());
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void anAppliedEventShowsItsReceiptRouteOutcomeAndOutboxMessage() {
        String id = send("3", "é".repeat(150));   // 300 bytes of note: the stored body is cut at 200 bytes
        JsonNode timeline = Await.until(Duration.ofSeconds(30), () -> Http.get(url("/api/events/github/" + id), Http.admin()),
                // the receipt is written by the timeline's own consumer, which may come after the route's ledger row
                r -> r.statusCode() == 200 && r.body().contains("\"outcome\"") && r.body().contains("\"relayed\":true")
                        && json(r.body()).path("receipts").size() > 0)
                .body().transform(TimelineIT::json);
        JsonNode receipt = timeline.get("receipts").get(0);
        assertThat(receipt.get("type").asText()).isEqualTo("tickets");
        assertThat(receipt.get("topic").asText()).isEqualTo("hooksync.events.github");
        assertThat(receipt.get("headers").get("ce_id").asText()).isEqualTo(id);
        // the row keeps no body: it is read back from the event topic at the receipt's position
        assertThat(jdbc.queryForObject("SELECT count(*) FROM hooksync_timeline WHERE event_id = ? AND body IS NULL",
                Integer.class, id)).isEqualTo(1);
        assertThat(receipt.get("bodyUnavailable").isNull()).isTrue();
        assertThat(receipt.get("bodyTruncated").asBoolean()).isTrue();
        assertThat(receipt.get("body").asText().getBytes(StandardCharsets.UTF_8).length).isBetween(199, 200);
        assertThat(receipt.get("bodyBytes").asInt()).isGreaterThan(300);
        JsonNode route = timeline.get("routes").get(0);
        assertThat(route.get("route").asText()).isEqualTo("tickets");
        assertThat(route.get("outcome").asText()).isEqualTo("applied");
        assertThat(route.get("rowCount").asInt()).isEqualTo(1);
        JsonNode outbox = timeline.get("outbox").get(0);
        assertThat(outbox.get("type").asText()).isEqualTo("ticket.synced");
        assertThat(outbox.get("relayed").asBoolean()).as("taken off the relay's queue").isTrue();
        assertThat(outbox.get("messageId").asText()).startsWith("msg_");

        JsonNode processed = get("/api/events?source=github&status=processed&limit=500");
        assertThat(processed.findValuesAsText("eventId")).contains(id);
        assertThat(get("/api/events?status=received&limit=500").findValuesAsText("eventId")).doesNotContain(id);
    }

    @Test
    void aPoisonEventShowsItsDeadLetter() {
        String id = send("\"not a number\"", "x");
        JsonNode timeline = Await.until(Duration.ofSeconds(60), () -> Http.get(url("/api/events/github/" + id), Http.admin()),
                r -> r.statusCode() == 200 && r.body().contains("\"deadLetters\":[{")).body().transform(TimelineIT::json);
        assertThat(timeline.get("deadLetters").get(0).get("route").asText()).isEqualTo("tickets");
        assertThat(timeline.get("deadLetters").get(0).get("error").asText()).isNotBlank();
        // the list is the timeline's rows: its recorder (a consumer of its own) may record the receipt after the
        // route dead-lettered the event
        Await.until(Duration.ofSeconds(60), () -> get("/api/events?status=dead_letter").findValuesAsText("eventId"),
                ids -> ids.contains(id));
    }

    @Test
    void theStreamDeliversEveryEventRecordedAfterItOpened() throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        HttpRequest request = HttpRequest.newBuilder(URI.create(url("/api/events/stream")))
                .header("Authorization", Http.admin().get("Authorization")).header("Accept", "text/event-stream").build();
        HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            assertThat(lines.readLine()).startsWith(":");   // the stream is open before the event is sent
            String id = send("1", "live");
            CompletableFuture<String> seen = CompletableFuture.supplyAsync(() -> {
                try {
                    for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                        if (line.startsWith("data:") && line.contains(id)) {
                            return line;
                        }
                    }
                    return null;
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            JsonNode event = json(seen.get(30, TimeUnit.SECONDS).substring(5));
            assertThat(event.get("source").asText()).isEqualTo("github");
            assertThat(event.get("type").asText()).isEqualTo("tickets");
        }
    }

    @Test
    void invalidParametersAreProblemJsonNamingEachParameter() throws Exception {
        HttpResponse<String> response = Http.get(url("/api/events?limit=0&status=lost"), Http.admin());
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        JsonNode problem = JSON.readTree(response.body());
        assertThat(problem.get("type").asText()).isEqualTo("urn:hooksync:problem:invalid-request");
        assertThat(problem.get("errors").findValuesAsText("field")).containsExactlyInAnyOrder("limit", "status");
        assertThat(Http.get(url("/api/events/github/no-such-event"), Http.admin()).statusCode()).isEqualTo(404);
    }

    @Test
    void rowsOlderThanTheRetentionArePrunedInBatchesAndNewerOnesStay() {
        long old = System.currentTimeMillis() - Duration.ofDays(15).toMillis();
        for (int i = 0; i < 5; i++) {
            jdbc.update("INSERT INTO hooksync_timeline (source, event_id, event_type, received_at, topic, kafka_partition,"
                    + " kafka_offset, headers, body, body_bytes) VALUES ('old', ?, 't', ?, 'pruned', 0, ?, '{}', '{}', 2)",
                    "old-" + i, old, i);
        }
        jdbc.update("INSERT INTO hooksync_timeline (source, event_id, event_type, received_at, topic, kafka_partition,"
                + " kafka_offset, headers, body, body_bytes) VALUES ('old', 'recent', 't', ?, 'pruned', 0, 99, '{}', '{}', 2)",
                System.currentTimeMillis() - Duration.ofDays(13).toMillis());
        assertThat(pruner.pruneOnce()).isGreaterThanOrEqualTo(5);
        assertThat(jdbc.queryForList("SELECT event_id FROM hooksync_timeline WHERE source = 'old'", String.class))
                .containsExactly("recent");
    }

    @Test
    void theOpenApiDocumentDescribesTheEventsApi() {
        JsonNode doc = get("/v3/api-docs");
        assertThat(doc.get("paths").has("/api/events")).isTrue();
        assertThat(doc.get("paths").has("/api/events/{source}/{id}")).isTrue();
        assertThat(doc.get("paths").has("/api/endpoints")).isTrue();
    }

    private static JsonNode json(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
