package io.hooksync.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hooksync.support.Await;
import io.hooksync.support.Signing;
import io.hooksync.support.TestData;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The hostile-input suite: a few thousand generated requests (jqwik generators, a new sample each run; a failure
 * names the request) to every source kind and
 * beside them: random paths and encodings, methods, content types, header names and values, bodies of random bytes
 * or random JSON, some of them correctly signed, sizes up to twice the limit, chunked or not. Every answer must be
 * 202 or a 4xx problem+json, never a 5xx; afterwards the heap and the thread count are back near where they were,
 * and a valid webhook sent after the storm is applied to its table.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "GITHUB_WEBHOOK_SECRET=" + IngressHostileIT.SECRET,
        "STRIPE_WEBHOOK_SECRET=whsec_hostile",
        "HOSTILE_HMAC_SECRET=" + IngressHostileIT.SECRET,
        "SVIX_SECRET=whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
        "hooksync.sources.github.max-body=16KB",
        "hooksync.sources.svix.kind=standard-webhooks",
        "hooksync.sources.svix.secrets[0]=env:SVIX_SECRET",
        "hooksync.sources.signed.kind=hmac",
        "hooksync.sources.signed.secrets[0]=env:HOSTILE_HMAC_SECRET",
        "hooksync.sources.signed.hmac.header=X-Signature",
        "hooksync.sources.signed.event-type=body:type",
        "hooksync.sources.signed.partition-key=entity.id",
        "hooksync.sources.signed.max-body=16KB",
})
class IngressHostileIT {

    static final String SECRET = "hostile-secret";
    private static final int CASES = 2_000;
    private static final Path DATA = TestData.directory("ingress-hostile");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws IOException {
        Path routes = Files.createDirectories(DATA.resolve("routes"));
        Path mappings = Files.createDirectories(DATA.resolve("mappings"));
        Files.writeString(routes.resolve("hostile-issues.yaml"), """
                - route:
                    id: hostile-issues
                    from:
                      uri: hooksync:events
                      parameters: { source: github, types: issues }
                      steps:
                        - to: hooksync:upsert?mapping=hostile
                """);
        Files.writeString(mappings.resolve("hostile.yaml"), """
                table: hostile_issues
                key: [id]
                columns:
                  id:    { expr: issue.id, type: bigint }
                  title: { expr: issue.title, type: text }
                """);
        TestData.embedded(registry, DATA.resolve("data"));
        registry.add("hooksync.routes-dir", routes::toString);
        registry.add("hooksync.mappings-dir", mappings::toString);
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    /** One generated request: where, how, what. */
    record Attempt(String path, String method, String contentType, Map<String, String> headers, byte[] body,
                   boolean chunked, boolean sign) {
    }

    @Test
    void noGeneratedRequestGetsA5xxAndAValidEventIsAppliedAfterTheStorm() throws Exception {
        System.gc();
        long heapBefore = usedHeap();
        int threadsBefore = ManagementFactory.getThreadMXBean().getThreadCount();
        Map<Integer, Integer> statuses = new TreeMap<>();
        List<String> failures = new ArrayList<>();
        attempts().sampleStream().limit(CASES).forEach(attempt -> {
            HttpResponse<String> response = send(attempt);
            if (response == null) {
                return;   // the server closed the connection on a refused upload before the client finished sending
            }
            statuses.merge(response.statusCode(), 1, Integer::sum);
            String problem = check(response);
            if (problem != null && failures.size() < 10) {
                failures.add(attempt.method() + " " + attempt.path() + " (" + attempt.contentType() + ", "
                        + attempt.body().length + " bytes): " + problem);
            }
        });
        System.out.println("[ingress-hostile] answers by status: " + statuses);
        assertThat(failures).as("answers that were neither 202 nor a 4xx problem+json").isEmpty();
        assertThat(statuses).as("the storm reached verification and acceptance too").containsKeys(202, 401, 404, 413);

        System.gc();
        assertThat(usedHeap() - heapBefore).as("heap growth after %d hostile requests", CASES)
                .isLessThan(128L * 1024 * 1024);
        assertThat(ManagementFactory.getThreadMXBean().getThreadCount()).as("threads after the storm")
                .isLessThan(threadsBefore + 50);

        long id = 987_654_321L;
        byte[] valid = ("{\"action\":\"opened\",\"issue\":{\"id\":" + id + ",\"title\":\"after the storm\"}}")
                .getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> accepted = send(new Attempt("/webhooks/github", "POST", "application/json",
                Map.of("X-GitHub-Event", "issues"), valid, false, true));
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        assertThat(Await.until(Duration.ofSeconds(60), () -> jdbc.queryForList(
                "SELECT title FROM hostile_issues WHERE id = ?", String.class, id), rows -> !rows.isEmpty()))
                .as("the valid event sent after the storm is applied").containsExactly("after the storm");
    }

    /** Null when the answer is acceptable, else what is wrong with it. */
    private static String check(HttpResponse<String> response) {
        int status = response.statusCode();
        if (status == 202) {
            return null;
        }
        if (status < 400 || status >= 500) {
            return "status " + status + ": " + response.body();
        }
        if (!response.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json")) {
            return "status " + status + " without problem+json";
        }
        try {
            JsonNode problem = JSON.readTree(response.body());
            return problem.path("status").asInt() == status && !problem.path("detail").asText().isBlank() ? null
                    : "problem body does not match: " + response.body();
        } catch (IOException e) {
            return "problem body is not JSON: " + response.body();
        }
    }

    private HttpResponse<String> send(Attempt attempt) {
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.putAll(attempt.headers());
        headers.put("Content-Type", attempt.contentType());
        if (attempt.sign()) {
            sign(attempt, headers);
        }
        HttpRequest.BodyPublisher body = attempt.chunked()
                ? HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(attempt.body()))
                : HttpRequest.BodyPublishers.ofByteArray(attempt.body());
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + attempt.path()))
                .timeout(Duration.ofSeconds(30)).method(attempt.method(), body);
        headers.forEach(builder::header);
        try {
            return CLIENT.send(builder.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            if (attempt.body().length > 16 * 1024 || !"POST".equals(attempt.method())) {
                return null;   // refused before the upload ended and the connection closed: allowed
            }
            throw new AssertionError(attempt.method() + " " + attempt.path() + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void sign(Attempt attempt, Map<String, String> headers) {
        headers.put("X-Hub-Signature-256", Signing.github(SECRET, attempt.body()));
        headers.put("X-Signature", HexFormat.of().formatHex(
                Signing.hmacSha256(SECRET.getBytes(StandardCharsets.UTF_8), attempt.body())));
        headers.putIfAbsent("X-GitHub-Delivery", UUID.randomUUID().toString());
    }

    private static Arbitrary<Attempt> attempts() {
        Arbitrary<String> path = Arbitraries.oneOf(
                Arbitraries.of("/webhooks/github", "/webhooks/stripe", "/webhooks/svix", "/webhooks/signed",
                        "/webhooks/%67ithub", "/webhooks/github/", "/webhooks/github/x", "/webhooks", "/webhooks/",
                        "/webhooks/%2e%2e/api/endpoints", "/webhooks/github;jsessionid=1", "/webhooks//github",
                        "/webhooks/GITHUB", "/webhooks/github%00"),
                Arbitraries.of("a", "g", "hub", "%67", "%2F", "%2e", "%25", "/", ".", ";", "-", "_", "~", "%C3%A9")
                        .list().ofMaxSize(12).map(parts -> "/webhooks/" + String.join("", parts)));
        Arbitrary<String> method = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(8, Arbitraries.just("POST")),
                net.jqwik.api.Tuple.of(1, Arbitraries.of("PUT", "PATCH", "DELETE", "GET", "OPTIONS", "PROPFIND")));
        Arbitrary<String> contentType = Arbitraries.oneOf(
                Arbitraries.of("application/json", "application/json; charset=utf-8", "application/x-www-form-urlencoded",
                        "application/vnd.x+json", "text/plain", "multipart/form-data; boundary=x", ""),
                Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(300).map(String::strip));
        Arbitrary<String> headerValue = Arbitraries.oneOf(
                Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(300).map(String::strip),
                Arbitraries.of("issues", "ping", "push", "x".repeat(300), "1", "t=abc,v1=zz", "v1,AAAA"));
        Arbitrary<Map<String, String>> headers = Arbitraries.maps(
                Arbitraries.of("X-GitHub-Event", "X-GitHub-Delivery", "X-Hub-Signature-256", "Stripe-Signature",
                        "webhook-id", "webhook-timestamp", "webhook-signature", "X-Signature", "X-Anything",
                        "Accept-Encoding", "Origin"), headerValue).ofMaxSize(6);
        Arbitrary<byte[]> body = Arbitraries.oneOf(
                Arbitraries.bytes().array(byte[].class).ofMaxSize(512),
                jsonBodies(),
                Arbitraries.integers().between(16 * 1024 - 2, 40 * 1024).map(IngressHostileIT::filler));
        Arbitrary<Attempt> anything = Combinators.combine(path, method, contentType, headers, body,
                Arbitraries.of(true, false), Arbitraries.of(true, false)).as(Attempt::new);
        Arbitrary<Attempt> signedGithub = Combinators.combine(jsonBodies(),
                Arbitraries.of("issues", "ping", "push", "i".repeat(201), "issues\tx"), Arbitraries.of(true, false))
                .as((json, type, chunked) -> new Attempt("/webhooks/github", "POST", "application/json",
                        Map.of("X-GitHub-Event", type), json, chunked, true));
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(3, anything), net.jqwik.api.Tuple.of(1, signedGithub));
    }

    private static Arbitrary<byte[]> jsonBodies() {
        Arbitrary<String> text = Arbitraries.strings().all().ofMaxLength(250);
        return Combinators.combine(Arbitraries.of("issues", "ping", "invoice.paid", "x".repeat(250)), text,
                Arbitraries.longs(), Arbitraries.integers().between(0, 120)).as((type, title, id, depth) -> {
                    String nested = "[".repeat(depth) + "]".repeat(depth);
                    try {
                        return JSON.writeValueAsBytes(Map.of("type", type, "id", "evt_" + Math.abs(id),
                                "action", title, "issue", Map.of("id", id, "title", title),
                                "entity", Map.of("id", title), "deep", JSON.readTree(nested.isEmpty() ? "[]" : nested)));
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    }
                });
    }

    private static byte[] filler(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }

    private static long usedHeap() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
