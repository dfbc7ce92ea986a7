package io.hooksync.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import io.hooksync.support.EngineProcess;
import io.hooksync.support.Signing;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The ingress's bounds against the packaged engine in its own JVM with a 512 MiB heap (the embedded broker and
 * database live in it too): 400 MiB uploads to an unknown source, with a wrong method or an encoded source name
 * are refused without being read; a stalled upload holds no worker thread; over-long and non-printable fields are
 * refused; the engine answers 503 (never 404) until it is ready; and a valid webhook is accepted after all that.
 */
class IngressBoundsIT {

    private static final String SECRET = "bounds-secret";
    private static final long HUGE = 400L * 1024 * 1024;
    private static EngineProcess engine;
    private static final Map<Integer, Integer> STARTUP_ANSWERS = new TreeMap<>();

    @BeforeAll
    static void start() throws Exception {
        engine = EngineProcess.builder("ingress-bounds").githubSecret(SECRET)
                .arg("--server.tomcat.threads.max=4")
                .arg("--server.tomcat.threads.min-spare=4")
                .arg("--hooksync.ingress.read-timeout=40s")
                .arg("--server.tomcat.connection-timeout=60s")
                .create();
        engine.launch();
        pollUntilUp();
    }

    @AfterAll
    static void stop() {
        if (engine != null) {
            engine.close();
        }
    }

    /** Every answer from the ingress while the engine starts, until a signed webhook is accepted. */
    private static void pollUntilUp() throws Exception {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        long deadline = System.nanoTime() + EngineProcess.HEALTH_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            byte[] body = issue();
            try {
                HttpResponse<String> response = client.send(signed(body, "issues").build(),
                        HttpResponse.BodyHandlers.ofString());
                STARTUP_ANSWERS.merge(response.statusCode(), 1, Integer::sum);
                if (response.statusCode() == 503) {
                    assertThat(response.headers().firstValue("Retry-After")).isPresent();
                    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
                }
                if (response.statusCode() == 202) {
                    System.out.println("[ingress-bounds] answers while starting (status=count): " + STARTUP_ANSWERS);
                    engine.waitUntilHealthy();
                    return;
                }
            } catch (ConnectException | java.net.http.HttpConnectTimeoutException notListening) {
                // Tomcat not listening yet
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the engine never accepted a webhook; answers so far " + STARTUP_ANSWERS + "\n"
                + engine.logTail(60));
    }

    @Test
    void whileStartingTheIngressAnswers503NotNotFound() {
        assertThat(STARTUP_ANSWERS).as("answers seen while the engine started").doesNotContainKey(404)
                .containsKey(202);
        assertThat(STARTUP_ANSWERS.keySet()).as("only 503 (not ready) before the first 202")
                .allMatch(status -> status == 503 || status == 202);
    }

    @Test
    void hugeUploadsThatNoSourceWantsAreRefusedUnread() throws Exception {
        List<RawUpload.Result> results = new ArrayList<>();
        results.add(RawUpload.chunked(engine.httpPort(), "POST", "/webhooks/nope", "", HUGE));
        results.add(RawUpload.chunked(engine.httpPort(), "PUT", "/webhooks/github", "", HUGE));
        results.add(RawUpload.chunked(engine.httpPort(), "POST", "/webhooks/%67ithub", "", HUGE));
        results.add(RawUpload.chunked(engine.httpPort(), "POST", "/webhooks/github/extra", "", HUGE));
        results.add(RawUpload.chunked(engine.httpPort(), "POST", "/webhooks", "", HUGE));
        assertThat(results).extracting(RawUpload.Result::status).containsExactly(404, 405, 413, 404, 404);
        for (RawUpload.Result result : results) {
            assertThat(result.head()).contains("application/problem+json");
            // socket buffers and Tomcat's 2 MB swallow are all that may be sent before the answer
            assertThat(result.bytesWritten()).as("bytes sent before the answer: %s", result.head())
                    .isLessThan(64L * 1024 * 1024);
        }
        assertThat(engine.logContains("OutOfMemoryError")).isFalse();
        assertAccepted(issue(), "issues");
    }

    @Test
    void bodiesOutsideTheIngressAreCappedToo() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", engine.httpPort())) {
            socket.setSoTimeout(20_000);
            socket.getOutputStream().write(("POST /api/endpoints HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 400000000\r\n\r\n{").getBytes(StandardCharsets.US_ASCII));
            String head = RawUpload.readHead(socket.getInputStream());   // the body is not read: no wait for close
            assertThat(head).startsWith("HTTP/1.1 413").contains("application/problem+json");
            byte[] problem = new byte[200];
            int n = socket.getInputStream().read(problem);
            assertThat(new String(problem, 0, Math.max(n, 0), StandardCharsets.UTF_8)).contains("body-too-large");
        }
    }

    @Test
    void stalledUploadsHoldNoWorkerThread() throws Exception {
        List<Socket> stalled = new ArrayList<>();
        try {
            for (int i = 0; i < 12; i++) {   // three times Tomcat's 4 worker threads in this engine
                Socket socket = new Socket("127.0.0.1", engine.httpPort());
                OutputStream out = socket.getOutputStream();
                out.write(("POST /webhooks/github HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                        + "Content-Length: 1000\r\n\r\n{\"a\":").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                stalled.add(socket);
            }
            // a server that held a thread per upload would have its 4 threads blocked for the 40 s read timeout: this
            // webhook's 25 s request timeout would pass before any thread came free
            HttpResponse<String> beside = HttpClient.newHttpClient().send(signed(issue(), "issues")
                    .timeout(Duration.ofSeconds(25)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(beside.statusCode()).as("a webhook beside 12 stalled uploads: %s", beside.body()).isEqualTo(202);
            stalled.get(0).setSoTimeout(60_000);
            String answer = new String(stalled.get(0).getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
            assertThat(answer).as("a stalled upload ends with 408 after the read timeout").isEqualTo("HTTP/1.1 408");
        } finally {
            for (Socket socket : stalled) {
                socket.close();
            }
        }
    }

    @Test
    void overlongOrNonPrintableFieldsAreRefused() throws IOException {
        HttpResponse<String> longType = send(issue(), "x".repeat(300));
        assertThat(longType.statusCode()).isEqualTo(400);
        assertThat(longType.body()).contains("invalid-event-type").contains("300 characters");
        String control = sendRaw(issue(), "issues\u0085x");   // a C1 control (NEL) as one ISO-8859-1 byte
        assertThat(control).startsWith("HTTP/1.1 400").contains("invalid-event-type").contains("non-printable");
        byte[] longAction = ("{\"action\":\"" + "a".repeat(201) + "\",\"issue\":{\"id\":1}}").getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> action = send(longAction, "issues");
        assertThat(action.statusCode()).isEqualTo(400);
        assertThat(action.body()).contains("invalid-action");
    }

    private static void assertAccepted(byte[] body, String type) {
        HttpResponse<String> response = send(body, type);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    }

    private static HttpResponse<String> send(byte[] body, String type) {
        try {
            return HttpClient.newHttpClient().send(signed(body, type).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The whole answer to a signed webhook whose X-GitHub-Event goes on the wire as ISO-8859-1 bytes. */
    private static String sendRaw(byte[] body, String type) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", engine.httpPort())) {
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /webhooks/github HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                    + "Content-Type: application/json\r\nContent-Length: " + body.length + "\r\n"
                    + "X-GitHub-Delivery: " + UUID.randomUUID() + "\r\n"
                    + "X-Hub-Signature-256: " + Signing.github(SECRET, body) + "\r\n"
                    + "X-GitHub-Event: " + type + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.write(body);
            out.flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    private static HttpRequest.Builder signed(byte[] body, String type) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(engine.webhookUrl("github")))
                .timeout(Duration.ofSeconds(20))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .header("Content-Type", "application/json")
                .header("X-GitHub-Delivery", UUID.randomUUID().toString())
                .header("X-Hub-Signature-256", Signing.github(SECRET, body));
        return builder.header("X-GitHub-Event", type);
    }

    private static byte[] issue() {
        return ("{\"action\":\"opened\",\"issue\":{\"id\":" + System.nanoTime() + "}}").getBytes(StandardCharsets.UTF_8);
    }
}
