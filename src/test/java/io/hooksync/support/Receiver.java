package io.hooksync.support;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import java.util.stream.Collectors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A webhook receiver on 127.0.0.1 for tests (the JDK's HTTP server): records every request and answers
 * as told per request number (0-based): a status, headers, and an optional delay (a hanging receiver).
 */
public final class Receiver implements AutoCloseable {

    /** One received request; header names lower-case. */
    public record Request(int index, Map<String, String> headers, String body, long receivedAtMs) {
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    /** How to answer one request. */
    public record Reply(int status, Map<String, String> headers, long delayMs) {
        public static Reply status(int status) {
            return new Reply(status, Map.of(), 0);
        }
    }

    private final HttpServer server;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger counter = new AtomicInteger();
    private final AtomicInteger active = new AtomicInteger();
    private final AtomicInteger mostActive = new AtomicInteger();
    private volatile IntFunction<Reply> behaviour;

    public Receiver(IntFunction<Reply> behaviour) {
        this.behaviour = behaviour;
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 100);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", this::handle);
        server.start();
    }

    private void handle(HttpExchange exchange) throws IOException {
        mostActive.accumulateAndGet(active.incrementAndGet(), Math::max);
        Reply reply;
        int index = counter.getAndIncrement();
        try {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Map<String, String> headers = exchange.getRequestHeaders().entrySet().stream().collect(Collectors.toMap(
                    e -> e.getKey().toLowerCase(Locale.ROOT), e -> String.join(",", e.getValue()), (a, b) -> a));
            requests.add(new Request(index, headers, body, System.currentTimeMillis()));
            reply = this.behaviour.apply(index);
            if (reply.delayMs() > 0) {
                try {
                    Thread.sleep(reply.delayMs());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        } finally {   // before the answer leaves: the sender may start its next request as soon as it has it
            active.decrementAndGet();
        }
        reply.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
        byte[] answer = ("{\"received\":" + index + "}").getBytes(StandardCharsets.UTF_8);
        try {
            exchange.sendResponseHeaders(reply.status(), answer.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer);
            }
        } catch (IOException closedByClient) {
            exchange.close();
        }
    }

    /** The most requests this receiver had at once, from their arrival until their answers were ready. */
    public int mostAtOnce() {
        return mostActive.get();
    }

    /** Forgets the most requests at once seen so far. */
    public void resetMostAtOnce() {
        mostActive.set(active.get());
    }

    public static Receiver ok() {
        return new Receiver(i -> Reply.status(200));
    }

    public void behave(IntFunction<Reply> behaviour) {
        this.behaviour = behaviour;
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
