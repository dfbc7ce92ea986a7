package io.hooksync.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.io.IOException;
import java.net.http.HttpHeaders;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.svix.Webhook;
import io.hooksync.support.Await;
import io.hooksync.support.Containers;
import io.hooksync.support.Http;
import io.hooksync.support.Receiver;
import io.hooksync.support.Signing;
import io.hooksync.support.TestData;
import io.hooksync.support.UsesRabbitMq;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The shipped chaining examples end to end: a signed GitHub issue webhook -> row -> issue.synced
 * delivered to an endpoint declared in configuration (and published to RabbitMQ, the
 * shared container); a Stripe invoice.paid webhook -> row -> invoice.paid delivered and an email sent to an SMTP
 * server in the test JVM (GreenMail).
 */
@UsesRabbitMq
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ChainIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String GITHUB_SECRET = "chain-github-secret";
    private static final String STRIPE_SECRET = "whsec_chain_test";
    private static final String ENDPOINT_SECRET = Signatures.newSecret();
    private static final String EXCHANGE = "hooksync.outbound";
    private static final Path DATA = TestData.directory("chain");
    private static final Receiver CRM = Receiver.ok();
    private static final GreenMail SMTP = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
    private static final BlockingQueue<String> RABBIT = new LinkedBlockingQueue<>();
    private static final Connection RABBIT_CONNECTION;

    static {
        SMTP.start();
        try {
            ConnectionFactory factory = new ConnectionFactory();
            factory.setHost(Containers.host(Containers.rabbitMq()));
            factory.setPort(Containers.rabbitMq().getAmqpPort());
            RABBIT_CONNECTION = factory.newConnection();
            Channel channel = RABBIT_CONNECTION.createChannel();
            channel.exchangeDeclare(EXCHANGE, "topic", true);
            String queue = channel.queueDeclare("chain-it-" + UUID.randomUUID(), false, true, true, null).getQueue();
            channel.queueBind(queue, EXCHANGE, "issue.#");
            channel.basicConsume(queue, true, (tag, delivery) ->
                    RABBIT.add(delivery.getEnvelope().getRoutingKey() + " " + new String(delivery.getBody(), StandardCharsets.UTF_8)),
                    tag -> { });
        } catch (Exception e) {
            throw new IllegalStateException("RabbitMQ container not reachable: " + e, e);
        }
    }

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws IOException {
        TestData.embedded(registry, DATA);
        Path routes = Files.createDirectories(DATA.resolve("routes"));
        try (Stream<Path> shipped = Stream.concat(Files.list(Path.of("routes")), Stream.of("invoice-paid-email.yaml",
                "issues-to-rabbitmq.yaml").map(Path.of("examples/routes")::resolve))) {
            for (Path file : shipped.toList()) {
                Files.copy(file, routes.resolve(file.getFileName()));
            }
        }
        registry.add("hooksync.routes-dir", routes::toString);
        registry.add("GITHUB_WEBHOOK_SECRET", () -> GITHUB_SECRET);
        registry.add("STRIPE_WEBHOOK_SECRET", () -> STRIPE_SECRET);
        registry.add("CRM_ENDPOINT_SECRET", () -> ENDPOINT_SECRET);
        registry.add("hooksync.outbound.allowed-networks", () -> "127.0.0.1/32");
        registry.add("hooksync.outbound.endpoints.crm.url", CRM::url);
        registry.add("hooksync.outbound.endpoints.crm.event-types", () -> "issue.synced,invoice.paid");
        registry.add("hooksync.outbound.endpoints.crm.secret", () -> "env:CRM_ENDPOINT_SECRET");
        registry.add("hooksync.mail.port", () -> Integer.toString(SMTP.getSmtp().getPort()));
        registry.add("hooksync.mail.to", () -> "finance@example.test");
        registry.add("spring.rabbitmq.host", () -> Containers.host(Containers.rabbitMq()));
        registry.add("spring.rabbitmq.port", Containers.rabbitMq()::getAmqpPort);
    }

    @AfterAll
    static void stop() throws IOException {
        CRM.close();
        SMTP.stop();
        RABBIT_CONNECTION.close();
    }

    private JsonNode verified(Receiver.Request request) {
        HttpHeaders headers = HttpHeaders.of(Map.of(
                "webhook-id", List.of(request.header("webhook-id")),
                "webhook-timestamp", List.of(request.header("webhook-timestamp")),
                "webhook-signature", List.of(request.header("webhook-signature"))), (a, b) -> true);
        assertThatCode(() -> new Webhook(ENDPOINT_SECRET).verify(request.body(), headers)).doesNotThrowAnyException();
        try {
            return JSON.readTree(request.body());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aSyncedGithubIssueIsDeliveredToTheDeclaredEndpointAndPublishedToRabbitMq() throws Exception {
        ObjectNode event = (ObjectNode) JSON.readTree(Files.readAllBytes(Path.of("src/test/resources/fixtures/github/issues-opened.json")));
        ((ObjectNode) event.get("issue")).put("title", "Chained to the CRM");
        byte[] body = event.toString().getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> accepted = Http.post("http://127.0.0.1:" + port + "/webhooks/github", body, Map.of(
                "Content-Type", "application/json", "X-GitHub-Event", "issues", "X-GitHub-Delivery", UUID.randomUUID().toString(),
                "X-Hub-Signature-256", Signing.github(GITHUB_SECRET, body)));
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);

        Receiver.Request request = Await.until(Duration.ofSeconds(60), () -> CRM.requests().stream()
                .filter(r -> r.body().contains("\"type\":\"issue.synced\"")).findFirst().orElse(null), r -> r != null);
        JsonNode delivered = verified(request);
        assertThat(delivered.at("/data/table").asText()).isEqualTo("github_issues");
        assertThat(delivered.at("/data/data/title").asText()).isEqualTo("Chained to the CRM");

        String published = RABBIT.poll(60, TimeUnit.SECONDS);
        assertThat(published).as("a message on RabbitMQ").isNotNull().startsWith("issue.synced ")
                .contains("Chained to the CRM");
    }

    @Test
    void aPaidStripeInvoiceIsDeliveredAndMailed() throws Exception {
        String body = Files.readString(Path.of("src/test/resources/fixtures/stripe/invoice.paid.json"));
        String header = com.stripe.net.Webhook.Signature.generateSignatureHeader(body, STRIPE_SECRET,
                System.currentTimeMillis() / 1000);
        HttpResponse<String> accepted = Http.post("http://127.0.0.1:" + port + "/webhooks/stripe",
                body.getBytes(StandardCharsets.UTF_8), Map.of("Content-Type", "application/json", "Stripe-Signature", header));
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);

        Receiver.Request request = Await.until(Duration.ofSeconds(60), () -> CRM.requests().stream()
                .filter(r -> r.body().contains("\"type\":\"invoice.paid\"")).findFirst().orElse(null), r -> r != null);
        assertThat(verified(request).at("/data/data/id").asText()).isEqualTo("in_1QinvoiceDemo01");

        assertThat(SMTP.waitForIncomingEmail(60_000, 1)).as("an email arrived").isTrue();
        MimeMessage mail = SMTP.getReceivedMessages()[0];
        assertThat(mail.getSubject()).isEqualTo("Invoice in_1QinvoiceDemo01 paid");
        assertThat(mail.getContentType()).as("a mail client shows text, not an attachment")
                .startsWith("text/plain").containsIgnoringCase("charset=UTF-8");
        assertThat(mail.getAllRecipients()[0].toString()).isEqualTo("finance@example.test");
        assertThat(com.icegreen.greenmail.util.GreenMailUtil.getBody(mail)).contains("invoice in_1QinvoiceDemo01 of customer cus_QhooksyncDemo01 was paid")
                .contains("4900 (eur");
    }
}
