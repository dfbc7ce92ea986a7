package io.hooksync.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import ch.qos.logback.classic.Logger;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.hooksync.infra.KafkaBackbone;
import io.hooksync.support.Await;
import io.hooksync.support.Http;
import io.hooksync.support.Signing;
import io.hooksync.support.TestData;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Route identity while the engine runs (live reload): a route renamed without {@code continues} starts at "now"
 * and re-applies and re-emits nothing; with {@code continues} it resumes where the old one stopped (events sent
 * while no route ran included); {@code start=beginning} replays the retained history; a file whose id is not its
 * name is refused with its file and line and the running routes are kept. A new {@code hooksync-messages} route
 * does not re-send the outbound messages relayed before it was deployed.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "GITHUB_WEBHOOK_SECRET=identity-secret", "STRIPE_WEBHOOK_SECRET=whsec_identity"})
class RouteIdentityIT {

    private static final Path DATA = TestData.directory("identity");
    private static final Path ROUTES = DATA.resolve("routes");
    private static final Path MAPPINGS = DATA.resolve("mappings");
    private static final Duration WAIT = Duration.ofSeconds(60);

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws IOException {
        Files.createDirectories(ROUTES);
        Files.createDirectories(MAPPINGS);
        Files.writeString(ROUTES.resolve("issues.yaml"), route("issues", "tickets", ""));
        Files.writeString(MAPPINGS.resolve("tickets.yaml"), """
                table: tickets
                key: [id]
                version: v
                columns:
                  id: { expr: ticket.id, type: text }
                  v:  { expr: ticket.v, type: bigint }
                emit: ticket.synced
                """);
        Files.writeString(MAPPINGS.resolve("ticket_copies.yaml"), """
                table: ticket_copies
                key: [id]
                columns:
                  id: { expr: ticket.id, type: text }
                """);
        TestData.embedded(registry, DATA.resolve("data"));
        registry.add("hooksync.routes-dir", ROUTES::toString);
        registry.add("hooksync.mappings-dir", MAPPINGS::toString);
        registry.add("hooksync.routes-reload", () -> "true");
    }

    private static String route(String id, String mapping, String extra) {
        return """
                - route:
                    id: %s
                    from:
                      uri: "hooksync:events?source=github&types=tickets%s"
                      steps:
                        - to: hooksync:upsert?mapping=%s
                """.formatted(id, extra, mapping);
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    CamelContext camel;

    @Autowired
    KafkaBackbone backbone;

    @Test
    void renamedRoutesNeitherReplayNorLoseAndBadFilesAreRefused() throws Exception {
        String t1 = post("T-1");
        String t2 = post("T-2");
        awaitLedger("issues", List.of(t1, t2));
        assertThat(outbox()).isEqualTo(2);

        // renamed without continues: a new identity that starts at "now" (no replay, no re-emit)
        replace("issues", "fresh", route("fresh", "tickets", ""));
        String t3 = post("T-3");
        awaitLedger("fresh", List.of(t3));
        assertThat(outbox()).isEqualTo(3);
        assertThat(ledger("issues")).containsExactlyInAnyOrder(t1, t2);

        // renamed with continues: the old group and ledger, from where the old route stopped
        Files.delete(ROUTES.resolve("fresh.yaml"));
        Await.until(WAIT, () -> camel.getRoute("fresh") == null, gone -> gone);
        String t4 = post("T-4");
        Files.writeString(ROUTES.resolve("renamed.yaml"), route("renamed", "tickets", "&continues=fresh"));
        awaitLedger("fresh", List.of(t3, t4));
        assertThat(ledger("renamed")).isEmpty();
        assertThat(outbox()).isEqualTo(4);
        assertThat(jdbc.queryForList("SELECT ledger_id FROM hooksync_route_starts ORDER BY ledger_id", String.class))
                .containsExactly("fresh", "issues");

        // a new route asking for the history replays everything retained
        Files.writeString(ROUTES.resolve("copies.yaml"), route("copies", "ticket_copies", "&start=beginning"));
        awaitLedger("copies", List.of(t1, t2, t3, t4));
        assertThat(jdbc.queryForObject("SELECT count(*) FROM ticket_copies", Long.class)).isEqualTo(4);
        assertThat(outbox()).isEqualTo(4);

        refusedFileKeepsTheRunningRoutes(List.of(t3, t4));
        dashboardShowsIdentityAndLag();
    }

    /** A hooksync-messages route added while messages exist starts at its deployment: it re-sends nothing older. */
    @Test
    void aNewMessagesRouteDoesNotResendOlderMessages() throws Exception {
        Path out = Files.createDirectories(DATA.resolve("probe-out"));
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, backbone.bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class))) {
            producer.send(message("m-before")).get();
            Files.writeString(ROUTES.resolve("probe.yaml"), """
                    - route:
                        id: probe
                        from:
                          uri: "hooksync-messages?types=probe.*"
                          steps:
                            - to: "file:%s?fileName=${header.HooksyncMessageId}.json"
                    """.formatted(out));
            Await.until(WAIT, () -> camel.getRouteController().getRouteStatus("probe"),
                    status -> status == ServiceStatus.Started);
            producer.send(message("m-after")).get();
        }
        Await.until(WAIT, () -> Files.exists(out.resolve("m-after.json")), exists -> exists);
        assertThat(out.resolve("m-before.json")).as("a message relayed before the route was deployed").doesNotExist();
    }

    private static ProducerRecord<byte[], byte[]> message(String id) {
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>("hooksync.outbound", "probe:1".getBytes(
                StandardCharsets.UTF_8), "{\"n\":1}".getBytes(StandardCharsets.UTF_8));
        record.headers().add("ce_id", id.getBytes(StandardCharsets.UTF_8));
        record.headers().add("ce_type", "probe.sent".getBytes(StandardCharsets.UTF_8));
        record.headers().add("ce_time", java.time.Instant.now().toString().getBytes(StandardCharsets.UTF_8));
        return record;
    }

    private void dashboardShowsIdentityAndLag() {
        JsonNode renamed = Await.until(WAIT, () -> route("renamed"), r -> r.path("lag").isNumber());
        assertThat(renamed.path("group").asText()).isEqualTo("hooksync.fresh");
        assertThat(renamed.path("ledger").asText()).isEqualTo("fresh");
        assertThat(renamed.path("eventsLastHour").asLong()).isEqualTo(3);
        Await.until(WAIT, () -> route("renamed").path("lag").asLong(), lag -> lag == 0L);
    }

    private JsonNode route(String id) {
        try {
            HttpResponse<String> response = Http.get("http://127.0.0.1:" + port + "/api/routes", Http.admin());
            for (JsonNode route : new ObjectMapper().readTree(response.body())) {
                if (route.path("id").asText().equals(id)) {
                    return route;
                }
            }
            return new ObjectMapper().createObjectNode();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private void refusedFileKeepsTheRunningRoutes(List<String> before) throws IOException {
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        ((Logger) LoggerFactory.getLogger(RouteReloadGuard.class)).addAppender(log);
        Files.writeString(ROUTES.resolve("renamed.yaml"), route("other", "tickets", "&continues=fresh"));
        Await.until(WAIT, () -> List.copyOf(log.list), events -> events.stream().anyMatch(e ->
                e.getFormattedMessage().contains("routes/renamed.yaml:2: route id 'other' must be the file name 'renamed'")));
        assertThat(camel.getRoute("other")).isNull();
        assertThat(camel.getRouteController().getRouteStatus("renamed")).isEqualTo(ServiceStatus.Started);
        JsonNode refused = new ObjectMapper().readTree(Http.get("http://127.0.0.1:" + port + "/api/file-problems",
                Http.admin()).body());
        assertThat(refused).as("the dashboard says which file is not what runs").singleElement().satisfies(r -> {
            assertThat(r.path("file").asText()).isEqualTo("routes/renamed.yaml");
            assertThat(r.path("problems").get(0).asText()).startsWith("routes/renamed.yaml:2: route id 'other'");
        });
        String t5 = post("T-5");
        List<String> after = new java.util.ArrayList<>(before);
        after.add(t5);
        awaitLedger("fresh", after);
    }

    private void replace(String oldId, String newId, String content) throws IOException {
        Files.delete(ROUTES.resolve(oldId + ".yaml"));
        Await.until(WAIT, () -> camel.getRoute(oldId) == null, gone -> gone);
        Files.writeString(ROUTES.resolve(newId + ".yaml"), content);
        Await.until(WAIT, () -> camel.getRouteController().getRouteStatus(newId),
                status -> status == ServiceStatus.Started);
    }

    private void awaitLedger(String consumer, List<String> ids) {
        Await.until(WAIT, () -> ledger(consumer), l -> l.size() >= ids.size());
        assertThat(ledger(consumer)).containsExactlyInAnyOrderElementsOf(ids);
    }

    private List<String> ledger(String consumer) {
        return jdbc.queryForList("SELECT event_id FROM hooksync_ledger WHERE consumer = ?", String.class, consumer);
    }

    private long outbox() {
        return jdbc.queryForObject("SELECT count(*) FROM hooksync_outbox WHERE event_type = 'ticket.synced'", Long.class);
    }

    private String post(String ticketId) {
        byte[] body = ("{\"ticket\":{\"id\":\"" + ticketId + "\",\"v\":1}}").getBytes(StandardCharsets.UTF_8);
        String delivery = UUID.randomUUID().toString();
        HttpResponse<String> response = Http.post("http://127.0.0.1:" + port + "/webhooks/github", body, Map.of(
                "Content-Type", "application/json", "X-GitHub-Event", "tickets", "X-GitHub-Delivery", delivery,
                "X-Hub-Signature-256", Signing.github("identity-secret", body)));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        return delivery;
    }
}
