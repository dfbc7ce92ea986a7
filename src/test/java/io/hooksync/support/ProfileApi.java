package io.hooksync.support;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpServer;

/**
 * An HTTP API on 127.0.0.1 for enrichment tests (the JDK's HTTP server): {@code GET /users/{id}} answers a JSON
 * profile while healthy; when broken it answers 500 to every other request and hangs on the rest (a minute), on
 * purpose. Records what it was asked and how it answered.
 */
public final class ProfileApi implements AutoCloseable {

    /** One request: the user id asked for and the answer given ({@code 200}, {@code 500} or {@code hang}). */
    public record Call(String user, String answer) {
    }

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private volatile boolean broken;

    public ProfileApi() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 100);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.setExecutor(threads);
        server.createContext("/users/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            String user = exchange.getRequestURI().getPath().substring("/users/".length());
            String answer = !broken ? "200" : calls.size() % 2 == 0 ? "500" : "hang";
            calls.add(new Call(user, answer));
            if (answer.equals("hang")) {
                sleep(60_000);
            }
            byte[] body = answer.equals("200")
                    ? ("{\"id\":" + user + ",\"name\":\"Name of " + user + "\",\"company\":\"Example\"}")
                            .getBytes(StandardCharsets.UTF_8)
                    : "{\"error\":\"broken on purpose\"}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            try {
                exchange.sendResponseHeaders(answer.equals("200") ? 200 : 500, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            } catch (IOException e) {
                // the caller gave up on a hanging answer
            }
            exchange.close();
        });
        server.start();
    }

    /** Base URL, e.g. {@code http://127.0.0.1:41234}. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** From now on: 500 and hanging answers alternately (true), or profiles again (false). */
    public void broken(boolean broken) {
        this.broken = broken;
    }

    public List<Call> calls() {
        return List.copyOf(calls);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
