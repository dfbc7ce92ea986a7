package io.hooksync.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.hooksync.infra.outbox.OutboxWriter;
import io.hooksync.infra.sql.SqlDialect;

/**
 * Outbound delivery benchmark driver (bench/delivery.sh starts the engine). Starts fast receivers and
 * hanging ones on 127.0.0.1, creates endpoints through the API, writes N outbox rows in one transaction
 * (the sink's way: the relay, the dispatcher and the deliverer do the rest) and measures deliveries per
 * second to the healthy endpoints, from the first to the last one received.
 * <p>
 * Usage: {@code DeliveryBench api=http://127.0.0.1:18480 jdbc=jdbc:postgresql://... token=...
 * messages=3000 healthy=10 hanging=0 tag=a}. Prints {@code RESULT key=value ...}.
 */
public final class DeliveryBench {

    private static final Pattern ID = Pattern.compile("\"id\":\"([^\"]+)\"");

    private final AtomicLong received = new AtomicLong();
    private final AtomicLong first = new AtomicLong(Long.MAX_VALUE);
    private final AtomicLong last = new AtomicLong();
    private final AtomicLong hangingHits = new AtomicLong();
    /** Arrivals at the healthy receiver per 500 ms, to see stalls (printed as a SERIES line). */
    private final java.util.concurrent.ConcurrentSkipListMap<Long, AtomicLong> arrivals =
            new java.util.concurrent.ConcurrentSkipListMap<>();
    private final Map<String, Boolean> seen = new ConcurrentHashMap<>();
    private final AtomicLong duplicates = new AtomicLong();

    public static void main(String[] args) throws Exception {
        Map<String, String> a = BenchArgs.parse(args, 0);
        new DeliveryBench().run(a.get("api"), a.get("jdbc"), a.get("token"), Integer.parseInt(a.getOrDefault("messages", "3000")),
                Integer.parseInt(a.getOrDefault("healthy", "10")), Integer.parseInt(a.getOrDefault("hanging", "0")),
                a.getOrDefault("tag", "run"), Integer.parseInt(a.getOrDefault("timeoutSeconds", "600")));
    }

    private void run(String api, String jdbc, String token, int messages, int healthy, int hanging, String tag,
                     int timeoutSeconds) throws Exception {
        HttpServer fast = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1000);
        fast.setExecutor(Executors.newFixedThreadPool(16));
        fast.createContext("/", this::fast);
        fast.start();
        HttpServer slow = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1000);
        slow.setExecutor(Executors.newCachedThreadPool());
        slow.createContext("/", this::hang);
        slow.start();
        HttpClient client = HttpClient.newHttpClient();
        String auth = "Bearer " + token;   // an admin API token: changes made with Basic need the CSRF token
        String type = "bench." + tag;
        List<String> endpoints = new ArrayList<>();
        Throwable failed = null;
        try {
            for (int i = 0; i < healthy + hanging; i++) {
                String url = i < healthy ? "http://127.0.0.1:" + fast.getAddress().getPort() + "/ok/" + i
                        : "http://127.0.0.1:" + slow.getAddress().getPort() + "/hang/" + i;
                HttpResponse<String> created = client.send(HttpRequest.newBuilder(URI.create(api + "/api/endpoints"))
                        .header("Authorization", auth).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"url\":\"" + url + "\",\"eventTypes\":[\"" + type + "\"]}"))
                        .build(), HttpResponse.BodyHandlers.ofString());
                if (created.statusCode() != 201) {
                    throw new IllegalStateException("endpoint not created: " + created.statusCode() + " " + created.body());
                }
                Matcher m = ID.matcher(created.body());
                m.find();
                endpoints.add(m.group(1));
            }
            Thread.sleep(1_500);   // the engine re-reads its endpoint table every second
            try (Connection c = DriverManager.getConnection(jdbc)) {
                c.setAutoCommit(false);
                List<OutboxWriter.Row> rows = new ArrayList<>(messages);   // written (and queued) as the sink does
                for (int i = 0; i < messages; i++) {
                    rows.add(new OutboxWriter.Row(type, "bench:" + i, "{\"table\":\"bench\",\"deleted\":false,\"data\":{\"id\":"
                            + i + ",\"title\":\"Delivery benchmark message " + i + "\",\"state\":\"open\"}}", "bench",
                            tag + "-" + i));
                }
                new OutboxWriter(SqlDialect.of("postgresql")).write(c, rows);
                c.commit();
            }
            long inserted = System.currentTimeMillis();
            long expected = (long) messages * healthy;
            long deadline = inserted + timeoutSeconds * 1000L;
            while (received.get() < expected && System.currentTimeMillis() < deadline) {
                Thread.sleep(100);
            }
            double seconds = (last.get() - first.get()) / 1000.0;
            double fromInsert = (last.get() - inserted) / 1000.0;
            System.out.printf(Locale.ROOT, "RESULT tag=%s messages=%d healthy=%d hanging=%d delivered=%d expected=%d"
                            + " duplicates=%d seconds=%.2f per_s=%.0f seconds_from_insert=%.2f per_s_from_insert=%.0f"
                            + " hanging_requests=%d%n", tag, messages, healthy, hanging, received.get(), expected,
                    duplicates.get(), seconds, received.get() / seconds, fromInsert, received.get() / fromInsert,
                    hangingHits.get());
            if (!arrivals.isEmpty()) {
                long start = arrivals.firstKey();
                StringBuilder series = new StringBuilder("SERIES tag=" + tag + " arrivals per 500 ms:");
                for (long k = start; k <= arrivals.lastKey(); k++) {
                    AtomicLong n = arrivals.get(k);
                    series.append(' ').append(n == null ? 0 : n.get());
                }
                System.out.println(series);
            }
        } catch (Exception | Error e) {   // the exit below would swallow it: the script would see no RESULT and no cause
            failed = e;
            e.printStackTrace();
        } finally {
            for (String id : endpoints) {
                client.send(HttpRequest.newBuilder(URI.create(api + "/api/endpoints/" + id)).header("Authorization", auth)
                        .DELETE().build(), HttpResponse.BodyHandlers.discarding());
            }
            fast.stop(0);
            slow.stop(0);
            System.exit(failed == null ? 0 : 1);   // hanging handler threads may still sleep
        }
    }

    private void fast(HttpExchange exchange) throws IOException {
        exchange.getRequestBody().readAllBytes();
        long now = System.currentTimeMillis();
        arrivals.computeIfAbsent(now / 500, k -> new AtomicLong()).incrementAndGet();
        first.accumulateAndGet(now, Math::min);
        last.accumulateAndGet(now, Math::max);
        String key = exchange.getRequestURI().getPath() + " " + exchange.getRequestHeaders().getFirst("webhook-id");
        if (seen.putIfAbsent(key, Boolean.TRUE) != null) {
            duplicates.incrementAndGet();
        } else {
            received.incrementAndGet();
        }
        exchange.sendResponseHeaders(204, -1);
        exchange.close();
    }

    private void hang(HttpExchange exchange) throws IOException {
        hangingHits.incrementAndGet();
        try {
            Thread.sleep(60_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (OutputStream out = exchange.getResponseBody()) {
            exchange.sendResponseHeaders(200, 0);
            out.flush();
        } catch (IOException gone) {
            exchange.close();
        }
    }
}
