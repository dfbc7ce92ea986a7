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

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hooksync.infra.KafkaBackbone;
import io.hooksync.support.Await;
import io.hooksync.support.KafkaProbe;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import io.hooksync.support.Http;
import io.hooksync.support.Signing;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The sync guarantees, end to end through the shipped routes and mappings: signed webhooks over HTTP
 * -> Kafka -> rows. Run against each database by the subclasses.
 */
abstract class SyncScenarios {

    static final String GITHUB_SECRET = "sync-github-secret";
    static final String STRIPE_SECRET = "whsec_sync_test";
    static final ObjectMapper JSON = new ObjectMapper();

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    CamelContext camel;

    @Autowired
    KafkaBackbone backbone;

    @Autowired
    MeterRegistry meters;

    static ObjectNode fixture(String name) {
        try {
            return (ObjectNode) JSON.readTree(Files.readAllBytes(Path.of("src/test/resources/fixtures/github/" + name)));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A GitHub issue event for issue {@code id} with the given title, action and updated_at. */
    static ObjectNode issueEvent(long id, String title, String action, String updatedAt) {
        ObjectNode event = fixture("issues-opened.json");
        event.put("action", action);
        ObjectNode issue = (ObjectNode) event.get("issue");
        issue.put("id", id);
        issue.put("title", title);
        issue.put("updated_at", updatedAt);
        return event;
    }

    String postGithub(String type, JsonNode payload, String delivery) {
        byte[] body = payload.toString().getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> response = Http.post("http://127.0.0.1:" + port + "/webhooks/github", body, Map.of(
                "Content-Type", "application/json", "X-GitHub-Event", type, "X-GitHub-Delivery", delivery,
                "X-Hub-Signature-256", Signing.github(GITHUB_SECRET, body)));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        return delivery;
    }

    String postGithub(String type, JsonNode payload) {
        return postGithub(type, payload, UUID.randomUUID().toString());
    }

    long ledgerCount(String route, String eventId) {
        return jdbc.queryForObject("SELECT count(*) FROM hooksync_ledger WHERE consumer = ? AND event_id = ?",
                Long.class, route, eventId);
    }

    Map<String, Object> awaitIssue(long id, java.util.function.Predicate<Map<String, Object>> done) {
        return Await.until(Duration.ofSeconds(30), () -> {
            List<Map<String, Object>> rows = jdbc.queryForList("SELECT * FROM github_issues WHERE id = ?", id);
            return rows.isEmpty() ? null : rows.get(0);
        }, row -> row != null && done.test(row));
    }

    void awaitLedger(String route, String eventId) {
        Await.until(Duration.ofSeconds(30), () -> ledgerCount(route, eventId), n -> n == 1);
    }

    static long uniqueId() {
        return Math.abs(UUID.randomUUID().getMostSignificantBits() % 1_000_000_000L) + 1_000_000_000L;
    }

    @Test
    void aSignedIssueWebhookBecomesARow() {
        long id = uniqueId();
        postGithub("issues", issueEvent(id, "First title", "opened", "2024-01-01T10:00:00Z"));
        Map<String, Object> row = awaitIssue(id, r -> true);
        assertThat(row).containsEntry("title", "First title").containsEntry("repository", "Codertocat/Hello-World")
                .containsEntry("state", "open").containsEntry("author", "Codertocat");
        assertThat(row.get("_hooksync_deleted")).isIn(false, 0, (byte) 0);
    }

    @Test
    void anAppliedIssueIsRelayedFromTheOutboxToTheOutboundTopicWithAStableMessageId() {
        long id = uniqueId();
        String delivery = postGithub("issues", issueEvent(id, "Relayed", "opened", "2024-01-01T10:00:00Z"));
        Map<String, Object> outbox = Await.until(Duration.ofSeconds(30), () -> jdbc.queryForList(
                "SELECT id, (SELECT count(*) FROM hooksync_outbox_queue q WHERE q.outbox_id = o.id) AS queued"
                + " FROM hooksync_outbox o WHERE source_event_id = ?", delivery),
                rows -> rows.size() == 1 && ((Number) rows.get(0).get("queued")).intValue() == 0).get(0);
        String messageId = "msg_" + jdbc.queryForObject("SELECT value FROM hooksync_settings WHERE name = 'message_id_prefix'",
                String.class) + "_" + outbox.get("id");
        try (KafkaProbe probe = new KafkaProbe(backbone.bootstrapServers())) {
            var record = Await.until(Duration.ofSeconds(30), () -> probe.readAll("hooksync.outbound", 1).stream()
                    .filter(r -> messageId.equals(header(r, "ce_id"))).findFirst().orElse(null), r -> r != null);
            assertThat(header(record, "ce_type")).isEqualTo("issue.synced");
            assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo("github_issues:" + id);
            assertThat(new String(record.value(), StandardCharsets.UTF_8)).contains("\"title\":\"Relayed\"");
        }
    }

    private static String header(org.apache.kafka.clients.consumer.ConsumerRecord<byte[], byte[]> record, String name) {
        var h = record.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    @Test
    void theSameEventTwiceChangesNothing() {
        long id = uniqueId();
        String delivery = UUID.randomUUID().toString();
        postGithub("issues", issueEvent(id, "Once", "opened", "2024-01-01T10:00:00Z"), delivery);
        awaitLedger("github-issues", delivery);
        jdbc.update("UPDATE github_issues SET title = 'changed by hand' WHERE id = ?", id);
        postGithub("issues", issueEvent(id, "Once", "opened", "2024-01-01T10:00:00Z"), delivery);
        String marker = postGithub("issues", issueEvent(uniqueId(), "marker", "opened", "2024-01-01T10:00:00Z"));
        awaitLedger("github-issues", marker);
        Await.until(Duration.ofSeconds(30), () -> jdbc.queryForObject(
                "SELECT count(*) FROM hooksync_ledger WHERE consumer = 'github-issues' AND event_id IN (?, ?)",
                Long.class, delivery, marker), n -> n == 2);
        assertThat(ledgerCount("github-issues", delivery)).isEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT title FROM github_issues WHERE id = ?", String.class, id))
                .isEqualTo("changed by hand");
    }

    @Test
    void theSameEventUnderThreeDeliveryIdsChangesTheRowOnceAndEmitsOnce() {
        long id = uniqueId();
        List<String> deliveries = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {   // GitHub's "redeliver" and replays give the same payload a new delivery id
            deliveries.add(postGithub("issues", issueEvent(id, "Redelivered", "opened", "2024-01-01T10:00:00Z")));
        }
        for (String delivery : deliveries) {
            awaitLedger("github-issues", delivery);
        }
        assertThat(jdbc.queryForList("SELECT outcome FROM hooksync_ledger WHERE consumer = 'github-issues'"
                + " AND event_id IN (?, ?, ?)", String.class, deliveries.toArray()))
                .as("one applied, the others left the row as it was").containsExactlyInAnyOrder("applied", "stale", "stale");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM hooksync_outbox WHERE source_event_id IN (?, ?, ?)",
                Long.class, deliveries.toArray())).as("one outbound message for one row state").isEqualTo(1);
        String changed = postGithub("issues", issueEvent(id, "Renamed", "edited", "2024-01-01T10:00:00Z"));
        awaitIssue(id, row -> "Renamed".equals(row.get("title")));
        assertThat(jdbc.queryForObject("SELECT count(*) FROM hooksync_outbox WHERE source_event_id = ?", Long.class,
                changed)).as("the same version with another value is a change and emits").isEqualTo(1);
    }

    @Test
    void eventsDeliveredNewestFirstEndInTheNewestState() {
        long id = uniqueId();
        String newest = postGithub("issues", issueEvent(id, "Newest", "edited", "2024-03-01T10:00:00Z"));
        awaitLedger("github-issues", newest);
        String older = postGithub("issues", issueEvent(id, "Older", "edited", "2024-02-01T10:00:00Z"));
        awaitLedger("github-issues", older);
        assertThat(jdbc.queryForObject("SELECT title FROM github_issues WHERE id = ?", String.class, id))
                .isEqualTo("Newest");
        assertThat(jdbc.queryForObject("SELECT outcome FROM hooksync_ledger WHERE event_id = ?", String.class, older))
                .isEqualTo("stale");
    }

    @Test
    void aDeleteThenAnOlderUpdateLeavesTheRowDeleted() {
        long id = uniqueId();
        postGithub("issues", issueEvent(id, "Alive", "opened", "2024-01-01T10:00:00Z"));
        awaitIssue(id, r -> true);
        String delete = postGithub("issues", issueEvent(id, "Alive", "deleted", "2024-01-03T10:00:00Z"));
        awaitLedger("github-issues", delete);
        String late = postGithub("issues", issueEvent(id, "Late edit", "edited", "2024-01-02T10:00:00Z"));
        awaitLedger("github-issues", late);
        Map<String, Object> row = jdbc.queryForMap("SELECT * FROM github_issues WHERE id = ?", id);
        assertThat(row.get("_hooksync_deleted")).isIn(true, 1, (byte) 1);
        assertThat(row.get("title")).isEqualTo("Alive");
    }

    @Test
    void aPoisonEventIsDeadLetteredAndTheNextEventsAreApplied() {
        ObjectNode poison = issueEvent(uniqueId(), "Poison", "opened", "2024-01-01T10:00:00Z");
        ((ObjectNode) poison.get("issue")).put("number", "not-a-number");
        String poisonId = postGithub("issues", poison);
        long next = uniqueId();
        String nextId = postGithub("issues", issueEvent(next, "After poison", "opened", "2024-01-01T10:00:00Z"));
        awaitLedger("github-issues", nextId);
        Map<String, Object> dead = Await.until(Duration.ofSeconds(30), () -> jdbc.queryForList(
                "SELECT * FROM hooksync_dead_letters WHERE event_id = ?", poisonId), l -> !l.isEmpty()).get(0);
        assertThat(dead.get("error").toString()).contains("column number");
        assertThat(dead.get("mapping")).isEqualTo("github/issues");
        assertThat(dead.get("payload").toString()).contains("not-a-number");
        assertThat(dead.get("headers").toString()).contains("ce_id");
        assertThat(ledgerCount("github-issues", poisonId)).isZero();
    }

    String postStripe(String eventId, String type, long created, String customerId, String email) {
        ObjectNode event = JSON.createObjectNode();
        event.put("id", eventId).put("object", "event").put("type", type).put("created", created);
        ObjectNode customer = event.putObject("data").putObject("object");
        customer.put("id", customerId).put("object", "customer").put("email", email).put("created", 1_700_000_000L);
        String body = event.toString();
        try {
            String header = com.stripe.net.Webhook.Signature.generateSignatureHeader(body, STRIPE_SECRET,
                    System.currentTimeMillis() / 1000);
            HttpResponse<String> response = Http.post("http://127.0.0.1:" + port + "/webhooks/stripe",
                    body.getBytes(StandardCharsets.UTF_8), Map.of("Content-Type", "application/json",
                            "Stripe-Signature", header));
            assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        return eventId;
    }

    @Test
    void stripeEventsOutOfOrderEndInTheStateOfTheLatestEvent() {
        String customer = "cus_" + uniqueId();
        String newer = postStripe("evt_" + uniqueId(), "customer.updated", 1_700_000_200L, customer, "new@example.com");
        awaitLedger("stripe-customers", newer);
        String older = postStripe("evt_" + uniqueId(), "customer.updated", 1_700_000_100L, customer, "old@example.com");
        awaitLedger("stripe-customers", older);
        assertThat(jdbc.queryForObject("SELECT email FROM stripe_customers WHERE id = ?", String.class, customer))
                .isEqualTo("new@example.com");
        String deleted = postStripe("evt_" + uniqueId(), "customer.deleted", 1_700_000_300L, customer, "new@example.com");
        awaitLedger("stripe-customers", deleted);
        assertThat(jdbc.queryForObject("SELECT _hooksync_deleted FROM stripe_customers WHERE id = ?", Boolean.class,
                customer)).isTrue();
    }

    @Test
    void everyShippedRouteFileIsRunningUnderItsFileName() throws IOException {
        List<String> expected;
        try (var files = Files.list(Path.of("routes"))) {
            expected = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yaml"))
                    .map(n -> n.substring(0, n.length() - 5)).toList();
        }
        assertThat(expected).isNotEmpty();
        for (String id : expected) {
            // a route that starts only when its source is configured (the CDC example) is loaded and stopped
            boolean conditional = Files.readString(Path.of("routes", id + ".yaml")).contains("autoStartup:");
            assertThat(camel.getRouteController().getRouteStatus(id)).as(id)
                    .isEqualTo(conditional ? ServiceStatus.Stopped : ServiceStatus.Started);
        }
    }

    @Test
    void anEventNoRouteConsumesIsAcceptedAndCounted() {
        double before = unrouted();
        postGithub("star", fixture("ping.json"));
        assertThat(unrouted()).isEqualTo(before + 1);
    }

    private double unrouted() {
        var counter = meters.find("hooksync.ingress.unrouted").tag("source", "github").counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void aPushBecomesOneRowPerCommit() {
        ObjectNode push = fixture("push.json");
        String sha = UUID.randomUUID().toString().replace("-", "");
        ((ObjectNode) push.get("commits").get(0)).put("id", sha);
        String delivery = postGithub("push", push);
        awaitLedger("github-commits", delivery);
        assertThat(jdbc.queryForObject("SELECT repository FROM github_commits WHERE sha = ?", String.class, sha))
                .isEqualTo("Codertocat/Hello-World");
    }
}
