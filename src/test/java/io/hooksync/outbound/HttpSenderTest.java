package io.hooksync.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;

import io.hooksync.support.Receiver;
import org.junit.jupiter.api.Test;

/**
 * The sender's guarantees on a real socket: the guard on every connection, no redirects, the total timeout, the
 * answer's size, and requests in flight that hold no thread.
 */
class HttpSenderTest {

    private static final byte[] BODY = "{}".getBytes(StandardCharsets.UTF_8);

    @Test
    void theGuardRefusesLoopbackAtConnectionTimeUnlessAllowListed() throws Exception {
        try (Receiver receiver = Receiver.ok();
             HttpSender strict = new HttpSender(new AddressGuard(List.of(), false), Duration.ofSeconds(2), Duration.ofSeconds(2), 100);
             HttpSender allowing = new HttpSender(new AddressGuard(List.of("127.0.0.1/32"), false), Duration.ofSeconds(2),
                     Duration.ofSeconds(2), 100)) {
            assertThatThrownBy(() -> post(strict, receiver.url(), Map.of()))
                    .isInstanceOf(AddressGuard.BlockedAddressException.class).hasMessageContaining("loopback");
            assertThat(receiver.requests()).isEmpty();
            assertThat(post(allowing, receiver.url(), Map.of("X-Test", "1")).status()).isEqualTo(200);
            assertThat(receiver.requests()).hasSize(1);
            assertThat(receiver.requests().get(0).header("x-test")).isEqualTo("1");
        }
    }

    @Test
    void aPortOutsideAllowedPortsIsRefusedBeforeConnecting() throws Exception {
        try (Receiver receiver = Receiver.ok();
             HttpSender sender = new HttpSender(new AddressGuard(List.of("127.0.0.1/32"), List.of(443), false),
                     Duration.ofSeconds(2), Duration.ofSeconds(2), 100)) {
            assertThatThrownBy(() -> post(sender, receiver.url(), Map.of()))
                    .isInstanceOf(AddressGuard.BlockedAddressException.class)
                    .hasMessageContaining("port " + java.net.URI.create(receiver.url()).getPort() + " is not allowed");
            assertThat(receiver.requests()).isEmpty();
        }
    }

    @Test
    void redirectsAreNotFollowedAndRetryAfterIsRead() throws Exception {
        try (Receiver receiver = new Receiver(i -> i == 0
                ? new Receiver.Reply(302, Map.of("Location", "http://169.254.169.254/"), 0)
                : new Receiver.Reply(429, Map.of("Retry-After", "42"), 0));
             HttpSender sender = new HttpSender(new AddressGuard(List.of("127.0.0.1/32"), false), Duration.ofSeconds(2),
                     Duration.ofSeconds(2), 100)) {
            assertThat(post(sender, receiver.url(), Map.of()).status()).isEqualTo(302);
            HttpSender.Answer limited = post(sender, receiver.url(), Map.of());
            assertThat(limited.status()).isEqualTo(429);
            assertThat(limited.retryAfter()).isEqualTo(Duration.ofSeconds(42));
            assertThat(receiver.requests()).hasSize(2);
        }
    }

    @Test
    void aReceiverThatDoesNotAnswerInTimeFails() throws Exception {
        try (Receiver receiver = new Receiver(i -> new Receiver.Reply(200, Map.of(), 3_000));
             HttpSender sender = new HttpSender(new AddressGuard(List.of("127.0.0.1/32"), false), Duration.ofSeconds(1),
                     Duration.ofMillis(500), 100)) {
            assertThatThrownBy(() -> post(sender, receiver.url(), Map.of()))
                    .isInstanceOf(HttpSender.TotalTimeoutException.class).hasMessageContaining("within 500 ms");
        }
    }

    @Test
    void theAnswerIsKeptUpToTheLimitAndTheRestIsReadPast() throws Exception {
        byte[] large = "x".repeat(1 << 20).getBytes(StandardCharsets.UTF_8);
        HttpServer server = server(exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(500, large.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(large);
            }
        });
        try (HttpSender sender = new HttpSender(new AddressGuard(List.of("127.0.0.1/32"), false), Duration.ofSeconds(2),
                Duration.ofSeconds(5), 100)) {
            String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
            for (int i = 0; i < 3; i++) {
                HttpSender.Answer answer = post(sender, url, Map.of());
                assertThat(answer.status()).isEqualTo(500);
                assertThat(answer.body()).isEqualTo("x".repeat(100));
            }
        } finally {
            server.stop(0);
        }
    }

    /** Forty requests are at the receiver at once: none of them holds a thread of the sender while it waits. */
    @Test
    void requestsInFlightHoldNoThreadEach() throws Exception {
        int requests = 40;
        CountDownLatch together = new CountDownLatch(requests);
        HttpServer server = server(exchange -> {
            exchange.getRequestBody().readAllBytes();
            together.countDown();
            boolean all;
            try {
                all = together.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                all = false;
            }
            exchange.sendResponseHeaders(all ? 200 : 503, -1);
            exchange.close();
        });
        try (HttpSender sender = new HttpSender(new AddressGuard(List.of("127.0.0.1/32"), false), Duration.ofSeconds(2),
                Duration.ofSeconds(30), 100)) {
            String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
            List<CompletableFuture<HttpSender.Answer>> calls = new ArrayList<>();
            for (int i = 0; i < requests; i++) {
                calls.add(sender.post(url, Map.of(), BODY));
            }
            for (CompletableFuture<HttpSender.Answer> call : calls) {
                assertThat(call.get(30, TimeUnit.SECONDS).status()).isEqualTo(200);
            }
            long ioThreads = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.getName().startsWith("hooksync-delivery-io-")).count();
            // the client's I/O threads: one per core and a dispatcher (a closed sender's may still be ending)
            assertThat(ioThreads).isBetween(1L, (long) requests / 4);
        } finally {
            server.stop(0);
        }
    }

    private static HttpSender.Answer post(HttpSender sender, String url, Map<String, String> headers) throws Exception {
        try {
            return sender.post(url, headers, BODY).get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw (Exception) e.getCause();
        }
    }

    private static HttpServer server(HttpHandler handler) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 100);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", handler);
        server.start();
        return server;
    }
}
