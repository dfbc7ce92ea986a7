package io.hooksync.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;

import io.hooksync.support.Receiver;
import org.apache.hc.core5.http.ConnectionClosedException;
import org.apache.hc.core5.http.EndpointDetails;
import org.apache.hc.core5.http.RequestNotExecutedException;
import org.apache.hc.core5.http.message.BasicHttpRequest;
import org.apache.hc.core5.http.message.BasicHttpResponse;
import org.apache.hc.core5.http.protocol.HttpCoreContext;
import org.junit.jupiter.api.Test;

/**
 * The sender's guarantees on a real socket: the guard on every connection, no redirects, the total timeout, the
 * answer's size, requests in flight that hold no thread, and requests sent again only when they never left.
 */
class HttpSenderTest {

    private static final byte[] BODY = "{}".getBytes(StandardCharsets.UTF_8);

    /** "endpoint:reason" of every request the sender sent again. */
    private final List<String> resends = new CopyOnWriteArrayList<>();
    private final HttpSender.Resends counted = (endpoint, reason) -> resends.add(endpoint + ":" + reason);

    @Test
    void theGuardRefusesLoopbackAtConnectionTimeUnlessAllowListed() throws Exception {
        try (Receiver receiver = Receiver.ok();
             HttpSender strict = new HttpSender(new AddressGuard(List.of(), false), Duration.ofSeconds(2), Duration.ofSeconds(2), 100, counted);
             HttpSender allowing = new HttpSender(new AddressGuard(List.of("127.0.0.1/32"), false), Duration.ofSeconds(2),
                     Duration.ofSeconds(2), 100, counted)) {
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
                     Duration.ofSeconds(2), Duration.ofSeconds(2), 100, counted)) {
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
                     Duration.ofSeconds(2), 100, counted)) {
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
                     Duration.ofMillis(500), 100, counted)) {
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
                Duration.ofSeconds(5), 100, counted)) {
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
                Duration.ofSeconds(30), 100, counted)) {
            String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
            List<CompletableFuture<HttpSender.Answer>> calls = new ArrayList<>();
            for (int i = 0; i < requests; i++) {
                calls.add(sender.post("ep_test", url, Map.of(), BODY));
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

    @Test
    void onlyARequestThatNeverLeftOrWasDroppedOnAUsedConnectionIsSentAgain() {
        HttpSender.UnsentRetry retry = new HttpSender.UnsentRetry(counted);
        BasicHttpRequest request = new BasicHttpRequest("POST", "/hook");
        request.setHeader("webhook-id", "msg_1");
        BasicHttpRequest noKey = new BasicHttpRequest("POST", "/hook");
        RequestNotExecutedException unsent = new RequestNotExecutedException("Connection is closed");
        ConnectionClosedException closed = new ConnectionClosedException("Connection closed by peer");

        assertThat(retry.retryRequest(request, unsent, 1, connection(0))).isTrue();
        assertThat(retry.retryRequest(request, unsent, 5, connection(1)))
                .as("never left, after four closed connections in a row (the pool can hold dozens)").isTrue();
        assertThat(retry.retryRequest(noKey, unsent, HttpSender.UnsentRetry.RESENDS, null)).isTrue();
        assertThat(retry.retryRequest(request, unsent, HttpSender.UnsentRetry.RESENDS + 1, connection(1)))
                .as("at most RESENDS times").isFalse();

        HttpCoreContext dropping = connection(1);   // one request's context, whatever connection it is given
        assertThat(retry.retryRequest(request, closed, 1, dropping)).isTrue();
        assertThat(retry.retryRequest(request, new SocketException("Connection reset"), 2, dropping)).isTrue();
        assertThat(retry.retryRequest(request, closed, 3, dropping)).as("a resend given another closed connection")
                .isTrue();
        assertThat(retry.retryRequest(request, closed, 4, dropping)).as("at most DROPPED_RESENDS drops per request")
                .isFalse();

        HttpCoreContext unsentFirst = connection(1);
        for (int exec = 1; exec < HttpSender.UnsentRetry.RESENDS; exec++) {
            assertThat(retry.retryRequest(request, unsent, exec, unsentFirst)).as("never sent, execution %d", exec)
                    .isTrue();
        }
        assertThat(retry.retryRequest(request, closed, HttpSender.UnsentRetry.RESENDS, unsentFirst))
                .as("dropped after resends that never left: its first drop").isTrue();

        assertThat(retry.retryRequest(request, closed, 1, connection(0))).as("dropped on a new connection").isFalse();
        assertThat(retry.retryRequest(request, closed, 1, null)).isFalse();
        assertThat(retry.retryRequest(noKey, closed, 1, connection(1))).as("no idempotency key").isFalse();

        assertThat(retry.retryRequest(request, new ConnectException("Connection refused"), 1, connection(1))).isFalse();
        assertThat(retry.retryRequest(request, new SocketTimeoutException("read timed out"), 1, connection(1)))
                .isFalse();
        assertThat(retry.retryRequest(new BasicHttpResponse(503), 1, connection(1))).as("answers are the schedule's")
                .isFalse();
        assertThat(resends).as("each resend counted with its endpoint and reason")
                .hasSize(3 + 3 + (HttpSender.UnsentRetry.RESENDS - 1) + 1)
                .startsWith("ep_1:unsent", "ep_1:unsent", "unknown:unsent",
                        "ep_1:dropped", "ep_1:dropped", "ep_1:dropped", "ep_1:unsent")
                .endsWith("ep_1:unsent", "ep_1:dropped");
    }

    /** A receiver that reads a request on a new connection and closes it without answering gets it once. */
    @Test
    void aRequestTheReceiverReadOnANewConnectionIsNotSentAgain() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             HttpSender sender = new HttpSender(new AddressGuard(List.of("127.0.0.1/32"), false), Duration.ofSeconds(2),
                     Duration.ofSeconds(5), 100, counted)) {
            AtomicInteger received = new AtomicInteger();
            serve(socket, connection -> {
                readRequest(connection.getInputStream());
                received.incrementAndGet();
            });
            assertThatThrownBy(() -> post(sender, "http://127.0.0.1:" + socket.getLocalPort() + "/hook",
                    Map.of("webhook-id", "msg_1")))
                    .isInstanceOf(ConnectionClosedException.class);
            Thread.sleep(500);   // a resent request would have arrived by now
            assertThat(received.get()).isEqualTo(1);
            assertThat(resends).isEmpty();
        }
    }

    /**
     * A receiver that closes every connection right after its answer, without saying so (no "Connection: close"):
     * the pooled connection the next request is given may be closed already, before the request leaves or as it is
     * written. Every request is delivered once, on a new connection.
     */
    @Test
    void aRequestGivenAConnectionTheReceiverClosedIsSentOnANewOne() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             HttpSender sender = new HttpSender(new AddressGuard(List.of("127.0.0.1/32"), false), Duration.ofSeconds(2),
                     Duration.ofSeconds(5), 100, counted)) {
            List<String> received = new CopyOnWriteArrayList<>();
            serve(socket, connection -> {
                received.add(readRequest(connection.getInputStream()));
                connection.getOutputStream().write("HTTP/1.1 204 No Content\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                connection.getOutputStream().flush();
            });
            String url = "http://127.0.0.1:" + socket.getLocalPort() + "/hook";
            List<String> sent = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                sent.add("msg_" + i);
                assertThat(post(sender, url, Map.of("webhook-id", "msg_" + i)).status()).isEqualTo(204);
            }
            assertThat(received).containsExactlyElementsOf(sent);
            assertThat(resends).as("the requests given a closed connection, counted for their endpoint").isNotEmpty()
                    .hasSizeLessThanOrEqualTo(sent.size() * HttpSender.UnsentRetry.RESENDS)
                    .allMatch(r -> r.equals("ep_test:unsent") || r.equals("ep_test:dropped"));
        }
    }

    /** The connection of a request whose connection had carried this many exchanges before it. */
    private static HttpCoreContext connection(long before) {
        HttpCoreContext context = HttpCoreContext.create();
        context.setAttribute(HttpSender.ENDPOINT, "ep_1");
        context.setEndpointDetails(new EndpointDetails(null, null, null) {
            @Override
            public long getRequestCount() {
                return before + 1;
            }

            @Override
            public long getResponseCount() {
                return 0;   // not counted for a client's connections (HttpCore 5.3)
            }

            @Override
            public long getSentBytesCount() {
                return 0;
            }

            @Override
            public long getReceivedBytesCount() {
                return 0;
            }
        });
        return context;
    }

    interface Connection {
        void handle(Socket connection) throws IOException;
    }

    /** A receiver on a plain socket: each connection is handled, then closed. */
    private static void serve(ServerSocket socket, Connection handler) {
        Thread receiver = new Thread(() -> {
            while (!socket.isClosed()) {
                try (Socket connection = socket.accept()) {
                    handler.handle(connection);
                } catch (IOException closed) {
                    // the test closed the socket, or the client a connection
                }
            }
        });
        receiver.setDaemon(true);
        receiver.start();
    }

    /** Reads one HTTP/1.1 request with a Content-Length body; returns its webhook-id. */
    private static String readRequest(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("the connection ended inside the request's head");
            }
            head.append((char) b);
        }
        Matcher length = Pattern.compile("(?i)content-length:\\s*(\\d+)").matcher(head);
        in.readNBytes(length.find() ? Integer.parseInt(length.group(1)) : 0);
        Matcher id = Pattern.compile("(?i)webhook-id:\\s*(\\S+)").matcher(head);
        return id.find() ? id.group(1) : null;
    }

    private static HttpSender.Answer post(HttpSender sender, String url, Map<String, String> headers) throws Exception {
        try {
            return sender.post("ep_test", url, headers, BODY).get(30, TimeUnit.SECONDS);
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
