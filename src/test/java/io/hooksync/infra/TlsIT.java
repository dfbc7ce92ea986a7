package io.hooksync.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.UUID;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import io.hooksync.HooksyncApplication;
import io.hooksync.support.Http;
import io.hooksync.support.Signing;
import io.hooksync.support.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Hooksync serving TLS itself from a Spring Boot SSL bundle (a certificate generated for the test with
 * the JDK's keytool), and the production-mode warning about plain HTTP.
 */
@ExtendWith(OutputCaptureExtension.class)
class TlsIT {

    private static final String PASSWORD = "test-keystore-pw";

    private static Path keystore(Path dir) throws Exception {
        Path file = dir.resolve("hooksync.p12");
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process p = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "hooksync", "-keyalg", "EC",
                "-groupname", "secp256r1", "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1",
                "-validity", "2", "-storetype", "PKCS12", "-keystore", file.toString(), "-storepass", PASSWORD)
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        return file;
    }

    private static ConfigurableApplicationContext start(Path data, String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("--hooksync.data-dir=" + data, "--hooksync.kafka.embedded.port=0",
                "--hooksync.kafka.embedded.controller-port=0", "--hooksync.database.embedded.port=0", "--server.port=0",
                "--hooksync.routes-dir=src/test/resources/routes-none", "--hooksync.routes-reload=false",
                "--spring.main.banner-mode=off", "--GITHUB_WEBHOOK_SECRET=tls-secret", "--STRIPE_WEBHOOK_SECRET=whsec_x",
                "--hooksync.management.admin-password=" + Http.ADMIN_PASSWORD,
                // production mode needs the key that encrypts endpoint secrets at rest (32 zero bytes here)
                "--hooksync.outbound.encryption-keys=env:TEST_ENCRYPTION_KEY",
                "--TEST_ENCRYPTION_KEY=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="));
        args.addAll(List.of(extra));
        return new SpringApplicationBuilder(HooksyncApplication.class).run(args.toArray(String[]::new));
    }

    @Test
    void servesWebhooksAndTheApiOverTlsFromAnSslBundle(CapturedOutput output) throws Exception {
        Path data = TestData.directory("tls");
        Path store = keystore(data);
        try (ConfigurableApplicationContext engine = start(data, "--hooksync.mode=production",
                "--server.ssl.bundle=web", "--spring.ssl.bundle.jks.web.keystore.location=file:" + store,
                "--spring.ssl.bundle.jks.web.keystore.password=" + PASSWORD,
                "--spring.ssl.bundle.jks.web.keystore.type=PKCS12")) {
            int port = ((WebServerApplicationContext) engine).getWebServer().getPort();
            KeyStore trust = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(store)) {
                trust.load(in, PASSWORD.toCharArray());
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(null, tmf.getTrustManagers(), null);
            HttpClient client = HttpClient.newBuilder().sslContext(tls).build();

            HttpResponse<String> health = client.send(HttpRequest.newBuilder(URI.create("https://localhost:" + port
                    + "/actuator/health")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
            byte[] body = "{\"zen\":\"Keep it logically awesome.\",\"hook_id\":1}".getBytes(StandardCharsets.UTF_8);
            HttpResponse<String> accepted = client.send(HttpRequest.newBuilder(URI.create("https://localhost:" + port
                            + "/webhooks/github")).header("Content-Type", "application/json")
                    .header("X-GitHub-Event", "ping").header("X-GitHub-Delivery", UUID.randomUUID().toString())
                    .header("X-Hub-Signature-256", Signing.github("tls-secret", body))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
            assertThat(output.getAll()).doesNotContain("PLAIN HTTP");
            assertCookiesAreSecure(client, "https://localhost:" + port);
        } finally {
            TestData.delete(data);
        }
    }

    /** Over https the session and CSRF cookies are Secure (and SameSite=Strict), so they never travel in clear. */
    private static void assertCookiesAreSecure(HttpClient client, String base) throws Exception {
        HttpResponse<String> form = client.send(HttpRequest.newBuilder(URI.create(base + "/login")).build(),
                HttpResponse.BodyHandlers.ofString());
        String xsrf = setCookie(form, "XSRF-TOKEN");
        assertThat(xsrf).contains("Secure", "SameSite=Strict");
        String token = xsrf.substring("XSRF-TOKEN=".length(), xsrf.indexOf(';'));
        HttpResponse<String> login = client.send(HttpRequest.newBuilder(URI.create(base + "/login"))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Cookie", "XSRF-TOKEN=" + token)
                .header("Origin", base).POST(HttpRequest.BodyPublishers.ofString("username=admin&password="
                        + Http.ADMIN_PASSWORD + "&_csrf=" + token)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(login.statusCode()).isEqualTo(302);
        assertThat(setCookie(login, "JSESSIONID")).contains("Secure", "HttpOnly", "SameSite=Strict");
    }

    private static String setCookie(HttpResponse<String> response, String name) {
        return response.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith(name + "="))
                .findFirst().orElseThrow(() -> new AssertionError("no cookie " + name + " in " + response.headers().map()));
    }

    @Test
    void productionModeWarnsAboutPlainHttpOnAllInterfaces(CapturedOutput output) {
        Path data = TestData.directory("plain-http");
        try (ConfigurableApplicationContext engine = start(data, "--hooksync.mode=production")) {
            assertThat(output.getAll()).contains("served as PLAIN HTTP on 0.0.0.0");
        } finally {
            TestData.delete(data);
        }
    }
}
