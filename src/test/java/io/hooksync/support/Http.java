package io.hooksync.support;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** A small HTTP client for tests: POST bytes with headers, get status, headers and body. */
public final class Http {

    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private Http() {
    }

    public static HttpResponse<String> post(String url, byte[] body, Map<String, String> headers) {
        return send(HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.ofByteArray(body)), headers);
    }

    /** POST without Content-Length (chunked transfer encoding). */
    public static HttpResponse<String> postChunked(String url, byte[] body, Map<String, String> headers) {
        return send(HttpRequest.newBuilder(URI.create(url))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))), headers);
    }

    public static HttpResponse<String> get(String url) {
        return send(HttpRequest.newBuilder(URI.create(url)).GET(), Map.of());
    }

    public static HttpResponse<String> get(String url, Map<String, String> headers) {
        return send(HttpRequest.newBuilder(URI.create(url)).GET(), headers);
    }

    /** Any method with an optional JSON body (PATCH, DELETE, ...). */
    public static HttpResponse<String> json(String method, String url, String body, Map<String, String> headers) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(url)).method(method,
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            builder.header("Content-Type", "application/json");
        }
        return send(builder, headers);
    }

    /** The admin credentials the Spring tests configure ({@code hooksync.management.admin-password}). */
    public static final String ADMIN_PASSWORD = "test-admin-password";

    /** An admin API token the Spring tests configure ({@link #adminTokenArguments()}). */
    public static final String ADMIN_TOKEN = "test-admin-token-0123456789abcdef";

    /** {@code Authorization} header for HTTP Basic. */
    public static Map<String, String> basic(String user, String password) {
        return Map.of("Authorization", "Basic " + java.util.Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    /**
     * {@code Authorization: Bearer} with the admin API token: a script's way, exempt from the CSRF token
     * that a change made with Basic credentials needs.
     */
    /** Registers an endpoint through the API as the admin (201 asserted); returns its id. */
    public static String createEndpoint(int httpPort, String url, String eventType) {
        try {
            com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
            HttpResponse<String> created = json("POST", "http://127.0.0.1:" + httpPort + "/api/endpoints",
                    json.writeValueAsString(Map.of("url", url, "eventTypes", java.util.List.of(eventType))), admin());
            org.assertj.core.api.Assertions.assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            return json.readTree(created.body()).get("id").asText();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    public static Map<String, String> admin() {
        return Map.of("Authorization", "Bearer " + ADMIN_TOKEN);
    }

    /** Command-line arguments of an engine started in a test, plus those that declare {@link #ADMIN_TOKEN}. */
    public static String[] withAdminToken(String... arguments) {
        java.util.List<String> all = new java.util.ArrayList<>(java.util.List.of(arguments));
        adminTokenArguments().forEach(argument -> all.add("--" + argument));
        return all.toArray(String[]::new);
    }

    /** The properties that declare {@link #ADMIN_TOKEN} as an admin API token ({@code key=value}). */
    public static java.util.List<String> adminTokenArguments() {
        return java.util.List.of("hooksync.management.tokens.tests.secret=env:HOOKSYNC_TESTS_ADMIN_TOKEN",
                "hooksync.management.tokens.tests.role=admin", "HOOKSYNC_TESTS_ADMIN_TOKEN=" + ADMIN_TOKEN);
    }

    private static HttpResponse<String> send(HttpRequest.Builder builder, Map<String, String> headers) {
        headers.forEach(builder::header);
        try {
            return CLIENT.send(builder.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException("HTTP request failed: " + e, e);
        }
    }
}
