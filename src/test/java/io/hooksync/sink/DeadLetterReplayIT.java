package io.hooksync.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hooksync.infra.embedded.TestLogs;
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
 * A poison event is dead-lettered; after its mapping file is fixed, replaying it through the API applies it.
 * A mapping expression that runs away on one event (a recursion as deep as the payload says) is poison too.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "GITHUB_WEBHOOK_SECRET=replay-secret",
        "STRIPE_WEBHOOK_SECRET=whsec_replay",
        "hooksync.kafka.partitions=1",
})
class DeadLetterReplayIT {

    private static final Path DATA = TestData.directory("replay");
    private static final Path ROUTES = DATA.resolve("routes");
    private static final Path MAPPINGS = DATA.resolve("mappings");
    private static final ObjectMapper JSON = new ObjectMapper();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws IOException {
        Files.createDirectories(ROUTES);
        Files.createDirectories(MAPPINGS);
        Files.writeString(ROUTES.resolve("tickets.yaml"), """
                - route:
                    id: tickets
                    from:
                      uri: hooksync:events
                      parameters: { source: github, types: tickets }
                      steps:
                        - to: hooksync:upsert?mapping=tickets
                """);
        Files.writeString(ROUTES.resolve("depths.yaml"), """
                - route:
                    id: depths
                    from:
                      uri: hooksync:events
                      parameters: { source: github, types: depths }
                      steps:
                        - to: hooksync:upsert?mapping=depths
                """);
        Files.writeString(MAPPINGS.resolve("depths.yaml"), """
                table: depths
                key: [id]
                filter: "($f := function($n){ $n <= 0 ? 0 : 1 + $f($n - 1) }; $f(ticket.depth) >= 0)"
                columns:
                  id:    { expr: ticket.id, type: text }
                  depth: { expr: ticket.depth, type: integer }
                """);
        writeMapping("ticket.qty");
        TestData.embedded(registry, DATA.resolve("data"));
        registry.add("hooksync.routes-dir", ROUTES::toString);
        registry.add("hooksync.mappings-dir", MAPPINGS::toString);
    }

    private static void writeMapping(String qtyExpression) throws IOException {
        Path file = MAPPINGS.resolve("tickets.yaml");
        Files.writeString(file, """
                table: tickets
                key: [id]
                columns:
                  id:  { expr: ticket.id, type: text }
                  qty: { expr: "%s", type: integer }
                """.formatted(qtyExpression));
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(Files.exists(file) ? 5 : 0)));
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    private String post(String ticketId, String qty) {
        return postEvent("tickets", "{\"ticket\":{\"id\":\"" + ticketId + "\",\"qty\":\"" + qty + "\"}}");
    }

    private String postEvent(String event, String json) {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        String delivery = UUID.randomUUID().toString();
        HttpResponse<String> response = Http.post("http://127.0.0.1:" + port + "/webhooks/github", body, Map.of(
                "Content-Type", "application/json", "X-GitHub-Event", event, "X-GitHub-Delivery", delivery,
                "X-Hub-Signature-256", Signing.github("replay-secret", body)));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        return delivery;
    }

    @Test
    void fixedMappingThenReplayAppliesTheDeadLetter() throws Exception {
        ListAppender<ILoggingEvent> logged = TestLogs.capture(DeadLetters.class);
        String poison;
        String healthy;
        List<Map<String, Object>> open;
        try {
            poison = post("T-1", "7 items");
            healthy = post("T-2", "3");
            Await.until(Duration.ofSeconds(30), () -> jdbc.queryForList("SELECT qty FROM tickets WHERE id = 'T-2'",
                    Integer.class), l -> l.equals(List.of(3)));
            open = Await.until(Duration.ofSeconds(30), () -> deadLetters(), l -> l.size() == 1);
            assertThat(open.get(0).get("event_id")).isEqualTo(poison);
            assertThat(open.get(0).get("error").toString()).contains("column qty");
            assertThat(logged.list).as("the dead letter in the log, one WARN line")
                    .filteredOn(e -> e.getLevel() == Level.WARN)
                    .extracting(ILoggingEvent::getFormattedMessage)
                    .anySatisfy(line -> assertThat(line).startsWith("Route tickets: event github/" + poison
                            + " set aside as a dead letter after").contains("column qty").doesNotContain("\n"))
                    .noneSatisfy(line -> assertThat(line).contains(healthy));
        } finally {
            TestLogs.release(DeadLetters.class, logged);
        }

        writeMapping("$number($substringBefore(ticket.qty, ' '))");
        HttpResponse<String> replay = Http.post("http://127.0.0.1:" + port + "/api/dead-letters/"
                + open.get(0).get("id") + "/replay", new byte[0], Http.admin());
        assertThat(replay.statusCode()).as(replay.body()).isEqualTo(202);

        Await.until(Duration.ofSeconds(30), () -> jdbc.queryForList("SELECT qty FROM tickets WHERE id = 'T-1'",
                Integer.class), l -> l.equals(List.of(7)));
        assertThat(deadLetters()).isEmpty();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM hooksync_ledger WHERE event_id IN (?, ?)", Long.class,
                poison, healthy)).isEqualTo(2);
    }

    @Test
    void aMappingExpressionThatRunsAwayIsPoisonAndTheConsumerGoesOn() {
        String runaway = postEvent("depths", "{\"ticket\":{\"id\":\"D-1\",\"depth\":1000000}}");
        postEvent("depths", "{\"ticket\":{\"id\":\"D-2\",\"depth\":5}}");
        Await.until(Duration.ofSeconds(30), () -> jdbc.queryForList("SELECT depth FROM depths WHERE id = 'D-2'",
                Integer.class), l -> l.equals(List.of(5)));
        Map<String, Object> dead = Await.until(Duration.ofSeconds(30), () -> jdbc.queryForList(
                "SELECT * FROM hooksync_dead_letters WHERE event_id = ?", runaway), l -> !l.isEmpty()).get(0);
        assertThat(dead.get("error").toString()).contains("filter: the expression nested deeper than 200 levels");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM depths WHERE id = 'D-1'", Long.class)).isZero();
    }

    @Test
    void replayingAnUnknownDeadLetterIsA404Problem() throws Exception {
        HttpResponse<String> response = Http.post("http://127.0.0.1:" + port + "/api/dead-letters/999999/replay",
                new byte[0], Http.admin());
        assertThat(response.statusCode()).isEqualTo(404);
        JsonNode problem = JSON.readTree(response.body());
        assertThat(problem.get("detail").asText()).contains("999999");
        HttpResponse<String> nowhere = Http.get("http://127.0.0.1:" + port + "/api/dead-letter", Http.admin());
        assertThat(nowhere.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(nowhere.body()).get("detail").asText()).as("not Spring's 'No static resource'")
                .isEqualTo("nothing is served at this path; the API is described at /v3/api-docs");
    }

    @Test
    void replayingAllOfAnUnknownRouteOrMappingIsA404NamingTheKnownOnes() throws Exception {
        String replay = "http://127.0.0.1:" + port + "/api/dead-letters/replay";
        HttpResponse<String> route = Http.post(replay + "?route=nope", new byte[0], Http.admin());
        assertThat(route.statusCode()).as(route.body()).isEqualTo(404);
        assertThat(JSON.readTree(route.body()).get("detail").asText()).startsWith("no route 'nope': ")
                .contains("depths").contains("tickets");
        HttpResponse<String> mapping = Http.post(replay + "?mapping=nope", new byte[0], Http.admin());
        assertThat(mapping.statusCode()).as(mapping.body()).isEqualTo(404);
        assertThat(JSON.readTree(mapping.body()).get("detail").asText()).startsWith("no mapping 'nope': ")
                .contains("depths").contains("tickets");

        HttpResponse<String> none = Http.post(replay + "?route=tickets&mapping=depths", new byte[0], Http.admin());
        assertThat(none.statusCode()).as("a running route and a loaded mapping: nothing to replay").isEqualTo(202);
        assertThat(JSON.readTree(none.body()).get("replayed").asInt()).isZero();
        jdbc.update("INSERT INTO hooksync_dead_letters (consumer, source, event_id, mapping, error, payload, headers,"
                + " topic, kafka_partition, kafka_offset, attempts, replayed_at) VALUES ('removed-route', 'github', ?,"
                + " 'removed-mapping', 'x', '{}', '{}', 'hooksync.events.github', 0, 0, 1, CURRENT_TIMESTAMP)",
                UUID.randomUUID().toString());
        HttpResponse<String> removed = Http.post(replay + "?route=removed-route&mapping=removed-mapping", new byte[0],
                Http.admin());
        assertThat(removed.statusCode()).as("a removed route and mapping that dead letters still name are known").isEqualTo(202);
    }

    @Test
    void anUnknownQueryParameterIsA400NamingTheKnownOnes() throws Exception {
        HttpResponse<String> events = Http.get("http://127.0.0.1:" + port + "/api/events?stauts=dead_letter&limit=1",
                Http.admin());
        assertThat(events.statusCode()).as(events.body()).isEqualTo(400);
        assertThat(events.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        JsonNode problem = JSON.readTree(events.body());
        assertThat(problem.get("errors").findValuesAsText("field")).containsExactly("stauts");
        assertThat(problem.get("detail").asText()).isEqualTo(
                "1 invalid field(s): stauts: unknown query parameter (known: before, limit, source, status, type)");
        HttpResponse<String> since = Http.get("http://127.0.0.1:" + port + "/api/dead-letters?since=yesterday",
                Http.admin());
        assertThat(since.statusCode()).as(since.body()).isEqualTo(400);
        assertThat(JSON.readTree(since.body()).get("errors").get(0).get("message").asText())
                .isEqualTo("unknown query parameter (known: limit, open, route)");
        assertThat(Http.get("http://127.0.0.1:" + port + "/api/events?status=dead_letter&limit=1", Http.admin())
                .statusCode()).isEqualTo(200);
        assertThat(Http.get("http://127.0.0.1:" + port + "/v3/api-docs?anything=1", Http.admin()).statusCode())
                .as("only Hooksync's own /api operations are checked").isEqualTo(200);
    }

    @Test
    void theManagementApiNeedsCredentialsWhileIngressStaysOpen() {
        String api = "http://127.0.0.1:" + port + "/api/dead-letters";
        assertThat(Http.get(api).statusCode()).isEqualTo(401);
        assertThat(Http.get(api, Http.basic("admin", "wrong")).statusCode()).isEqualTo(401);
        assertThat(Http.post(api + "/1/replay", new byte[0], Map.of()).statusCode()).isEqualTo(401);
        assertThat(Http.get("http://127.0.0.1:" + port + "/actuator/prometheus").statusCode()).isEqualTo(401);
        assertThat(Http.get("http://127.0.0.1:" + port + "/actuator/health").statusCode()).isEqualTo(200);
        assertThat(Http.get(api, Http.admin()).statusCode()).isEqualTo(200);
        post("T-open", "1");
    }

    private List<Map<String, Object>> deadLetters() {
        JsonNode list;
        try {
            list = JSON.readTree(Http.get("http://127.0.0.1:" + port + "/api/dead-letters?route=tickets", Http.admin()).body());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return JSON.convertValue(list, JSON.getTypeFactory().constructCollectionType(List.class, Map.class));
    }
}
