package io.hooksync.bench;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Load generator for the Hooksync benchmarks: posts signed GitHub {@code issues} webhooks over plain
 * HTTP/1.1 keep-alive sockets (one socket per worker thread, so the client stays cheap on a 2-core box).
 *
 * <pre>
 * fill  count=N connections=C                  closed loop: N events, distinct issue ids and delivery ids
 * rate  rate=R seconds=S connections=C [warmup=W] open loop: request i is due at start + i/R; its latency is
 *                                              measured from that due time, so a slow server cannot hide
 *                                              queueing (no coordinated omission). Stats skip the first W s.
 *       visible=jdbc:postgresql://...            also measure the time from each 202 to the event's row in
 *                                              hooksync_ledger being visible (polled by delivery id)
 * series  see {@link ColdSeries}: waits for UP, then closed-loop load with per-bucket (5 s) accepted/s
 * ladder  see {@link PipelineLadder}: open loop at a ladder of rates, 202 -> row visible and 202 -> delivered
 * common: url= body=(compact JSON file) secret= distinct=true|false idBase= tag= pollMs= timeline=(file: per-second stats)
 *         hot=0.1 hotRows=10 (10% of the events about 10 issues) stamped=true (issue.updated_at grows per event)
 * </pre>
 * The last line printed is {@code RESULT key=value ...} for scripts.
 */
public final class LoadGen {

    private final Map<String, String> opts;
    final URI url;
    final String tag;
    private final long idBase;
    private final boolean distinct;
    private final int hotEvery;
    private final int hotRows;
    private final boolean stamped;
    private final byte[] secret;
    private final IssuePayloads payloads;
    private final byte[] fixedBody;
    private final String fixedSignature;

    private LoadGen(Map<String, String> opts) throws Exception {
        this.opts = opts;
        this.url = URI.create(opts.getOrDefault("url", "http://127.0.0.1:8080/webhooks/github"));
        this.tag = opts.getOrDefault("tag", "lg-" + Long.toHexString(new Random().nextLong() & 0xffffffffffL));
        this.idBase = Long.parseLong(opts.getOrDefault("idBase", "1000000000"));
        this.secret = opts.getOrDefault("secret", System.getenv().getOrDefault("GITHUB_WEBHOOK_SECRET", "bench-secret"))
                .getBytes(StandardCharsets.UTF_8);
        String json = Files.readString(Path.of(required("body")));
        this.payloads = IssuePayloads.of(json);
        this.fixedBody = json.getBytes(StandardCharsets.UTF_8);
        this.fixedSignature = sign(fixedBody);
        this.distinct = Boolean.parseBoolean(opts.getOrDefault("distinct", "true"));
        double hot = Double.parseDouble(opts.getOrDefault("hot", "0"));
        this.hotEvery = hot > 0 ? (int) Math.round(1 / hot) : 0;
        this.hotRows = Integer.parseInt(opts.getOrDefault("hotRows", "10"));
        this.stamped = Boolean.parseBoolean(opts.getOrDefault("stamped", "false"));
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            System.err.println("usage: LoadGen fill|rate key=value ...");
            System.exit(2);
        }
        Map<String, String> opts = BenchArgs.parse(args, 1);
        LoadGen gen = new LoadGen(opts);
        Map<String, Object> result = switch (args[0]) {
            case "fill" -> gen.fill();
            case "rate" -> gen.rate();
            case "series" -> new ColdSeries(gen, opts).run();
            case "ladder" -> new PipelineLadder(gen, opts).run();
            default -> throw new IllegalArgumentException("unknown mode " + args[0]);
        };
        StringBuilder line = new StringBuilder("RESULT mode=").append(args[0]);
        result.forEach((k, v) -> line.append(' ').append(k).append('=').append(v));
        System.out.println(line);
        System.exit(0);
    }

    // ---------------------------------------------------------------- fill: closed loop, N distinct events

    private Map<String, Object> fill() throws Exception {
        long count = Long.parseLong(required("count"));
        int connections = Integer.parseInt(opts.getOrDefault("connections", "32"));
        AtomicLong next = new AtomicLong();
        Map<Integer, AtomicLong> statuses = new ConcurrentHashMap<>();
        AtomicLong errors = new AtomicLong();
        long started = System.nanoTime();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < connections; t++) {
            Thread thread = new Thread(() -> {
                try (HttpConn conn = new HttpConn(url)) {
                    long i;
                    while ((i = next.getAndIncrement()) < count) {
                        try {
                            int status = send(conn, i);
                            statuses.computeIfAbsent(status, s -> new AtomicLong()).incrementAndGet();
                        } catch (IOException e) {
                            errors.incrementAndGet();
                            conn.close();
                        }
                    }
                }
            }, "fill-" + t);
            thread.start();
            threads.add(thread);
        }
        for (Thread thread : threads) {
            thread.join();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        long accepted = statuses.getOrDefault(202, new AtomicLong()).get();
        System.out.println("statuses " + new TreeMap<>(statuses) + " errors " + errors.get());
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("sent", count);
        r.put("accepted", accepted);
        r.put("non202", count - accepted - errors.get());
        r.put("errors", errors.get());
        r.put("seconds", fmt(seconds));
        r.put("accepted_per_s", fmt(accepted / seconds));
        r.put("tag", tag);
        return r;
    }

    // ---------------------------------------------------------------- rate: open loop at a fixed rate

    private Map<String, Object> rate() throws Exception {
        double rate = Double.parseDouble(required("rate"));
        double seconds = Double.parseDouble(required("seconds"));
        double warmup = Double.parseDouble(opts.getOrDefault("warmup", "0"));
        int connections = Integer.parseInt(opts.getOrDefault("connections", "64"));
        String visible = opts.get("visible");
        int total = (int) Math.round(rate * (warmup + seconds));
        int skip = (int) Math.round(rate * warmup);
        double intervalNanos = 1e9 / rate;

        long[] latency = new long[total];
        int[] status = new int[total];
        long[] at202 = new long[total];
        long[] wall202Micros = new long[total];
        long[] seen = new long[total];
        Arrays.fill(latency, -1);
        Arrays.fill(seen, -1);
        BlockingQueue<Integer> due = new ArrayBlockingQueue<>(total + 1);
        ConcurrentLinkedQueue<Integer> acceptedQueue = new ConcurrentLinkedQueue<>();
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);

        Thread pacer = new Thread(() -> {
            for (int i = 0; i < total; i++) {
                long at = start + (long) (i * intervalNanos);
                long now;
                while ((now = System.nanoTime()) < at) {
                    LockSupport.parkNanos(Math.min(at - now, 100_000));
                }
                due.add(i);
            }
        }, "pacer");
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < connections; t++) {
            Thread worker = new Thread(() -> {
                try (HttpConn conn = new HttpConn(url)) {
                    while (true) {
                        Integer i = due.poll(200, TimeUnit.MILLISECONDS);
                        if (i == null) {
                            if (!pacer.isAlive() && due.isEmpty()) {
                                return;
                            }
                            continue;
                        }
                        int s;
                        try {
                            s = send(conn, i);
                        } catch (IOException e) {
                            s = -1;
                            conn.close();
                        }
                        long end = System.nanoTime();
                        status[i] = s;
                        latency[i] = end - (start + (long) (i * intervalNanos));
                        if (s == 202) {
                            at202[i] = end;
                            wall202Micros[i] = ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now());
                            if (visible != null) {
                                acceptedQueue.add(i);
                            }
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "worker-" + t);
            workers.add(worker);
        }
        VisibilityPoller poller = visible == null ? null
                : new VisibilityPoller(visible, opts.getOrDefault("consumer", "github-issues"), acceptedQueue, seen,
                Integer.parseInt(opts.getOrDefault("pollMs", "10")));
        if (poller != null) {
            poller.start();
        }
        pacer.start();
        workers.forEach(Thread::start);
        pacer.join();
        for (Thread worker : workers) {
            worker.join();
        }
        long lastEnd = 0;
        long firstDue = start + (long) (skip * intervalNanos);
        Map<Integer, Integer> statuses = new TreeMap<>();
        List<Long> lat = new ArrayList<>();
        long accepted = 0;
        long errors = 0;
        for (int i = skip; i < total; i++) {
            statuses.merge(status[i], 1, Integer::sum);
            if (status[i] == 202) {
                accepted++;
                lastEnd = Math.max(lastEnd, at202[i]);
            } else if (status[i] == -1) {
                errors++;
            }
            lat.add(latency[i]);
        }
        double measured = (Math.max(lastEnd, firstDue + 1) - firstDue) / 1e9;
        System.out.println("statuses " + statuses + " (-1 = connection error)");
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("target_rate", fmt(rate));
        r.put("sent", total - skip);
        r.put("accepted", accepted);
        r.put("non202", total - skip - accepted - errors);
        r.put("errors", errors);
        r.put("seconds", fmt(measured));
        r.put("accepted_per_s", fmt(accepted / Math.max(seconds, measured)));
        putPercentiles(r, "", lat);
        if (opts.containsKey("timeline")) {
            writeTimeline(Path.of(opts.get("timeline")), skip, total, intervalNanos, latency, status);
        }
        if (poller != null) {
            poller.finish(Long.parseLong(opts.getOrDefault("drainSeconds", "60")));
            List<Long> fromAccepted = new ArrayList<>();
            List<Long> fromDue = new ArrayList<>();
            long missing = 0;
            for (int i = skip; i < total; i++) {
                if (status[i] != 202) {
                    continue;
                }
                if (seen[i] < 0) {
                    missing++;
                    continue;
                }
                fromAccepted.add(Math.max(0, seen[i] - at202[i]));
                fromDue.add(seen[i] - (start + (long) (i * intervalNanos)));
            }
            putPercentiles(r, "vis_", fromAccepted);
            putPercentiles(r, "duevis_", fromDue);
            r.put("vis_missing", missing);
            r.put("poll_ms", opts.getOrDefault("pollMs", "10"));
            r.put("polls", poller.polls);
            putPercentiles(r, "txn_", processedAtMinus202(visible, skip, total, status, wall202Micros));
        }
        r.put("tag", tag);
        return r;
    }

    /** Per second of due time: requests, non-202, p50/p99/max latency; shows whether a p99 comes from one stall. */
    private static void writeTimeline(Path file, int skip, int total, double intervalNanos, long[] latency, int[] status)
            throws IOException {
        StringBuilder out = new StringBuilder("second\trequests\tnon202\tp50_ms\tp99_ms\tmax_ms\n");
        double perSecond = 1e9 / intervalNanos;
        for (int from = skip, second = 0; from < total; second++) {
            int to = (int) Math.min(total, Math.round(skip + (second + 1) * perSecond));
            long[] a = Arrays.copyOfRange(latency, from, to);
            Arrays.sort(a);
            int bad = 0;
            for (int i = from; i < to; i++) {
                bad += status[i] == 202 ? 0 : 1;
            }
            out.append(second).append('\t').append(to - from).append('\t').append(bad).append('\t')
                    .append(fmt(pct(a, 0.5) / 1e6)).append('\t').append(fmt(pct(a, 0.99) / 1e6)).append('\t')
                    .append(fmt(a.length == 0 ? Double.NaN : a[a.length - 1] / 1e6)).append('\n');
            from = to;
        }
        Files.writeString(file, out);
    }

    /**
     * Cross-check: hooksync_ledger.processed_at (now() of the sink transaction, i.e. its start, same clock)
     * minus the wall-clock time the 202 arrived. Commit comes after the transaction start, so this is a lower bound.
     */
    private List<Long> processedAtMinus202(String jdbc, int skip, int total, int[] status, long[] wall202Micros)
            throws SQLException {
        List<Long> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(jdbc);
             PreparedStatement q = c.prepareStatement("SELECT event_id, (extract(epoch from processed_at) * 1000000)::bigint"
                     + " FROM hooksync_ledger WHERE consumer = ? AND event_id LIKE ?")) {
            q.setString(1, opts.getOrDefault("consumer", "github-issues"));
            q.setString(2, tag + "-%");
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    int i = indexOf(rs.getString(1));
                    if (i >= skip && i < total && status[i] == 202) {
                        out.add((rs.getLong(2) - wall202Micros[i]) * 1000);
                    }
                }
            }
        }
        return out;
    }

    /**
     * Polls the ledger for accepted deliveries not yet seen; stamps each with the start time of the poll that found
     * it. One poll asks for the oldest 4,000 pending ids at most, so a backlog does not turn polls into a load.
     */
    final class VisibilityPoller extends Thread {
        private final String jdbc;
        private final String consumer;
        private final ConcurrentLinkedQueue<Integer> accepted;
        private final long[] seen;
        private final long pollNanos;
        private volatile long stopAt = Long.MAX_VALUE;
        private final List<Integer> pending = new ArrayList<>();
        long polls;

        VisibilityPoller(String jdbc, String consumer, ConcurrentLinkedQueue<Integer> accepted, long[] seen, int pollMs) {
            super("visibility-poller");
            this.jdbc = jdbc;
            this.consumer = consumer;
            this.accepted = accepted;
            this.seen = seen;
            this.pollNanos = TimeUnit.MILLISECONDS.toNanos(pollMs);
        }

        @Override
        public void run() {
            try (Connection c = DriverManager.getConnection(jdbc);
                 PreparedStatement q = c.prepareStatement("SELECT event_id FROM hooksync_ledger"
                         + " WHERE consumer = ? AND source = 'github' AND event_id = ANY (?)")) {
                q.setString(1, consumer);
                while (System.nanoTime() < stopAt) {
                    long began = System.nanoTime();
                    Integer i;
                    while ((i = accepted.poll()) != null) {
                        pending.add(i);
                    }
                    if (!pending.isEmpty()) {
                        String[] ids = new String[Math.min(pending.size(), 4_000)];
                        for (int k = 0; k < ids.length; k++) {
                            ids[k] = tag + "-" + pending.get(k);
                        }
                        Array array = c.createArrayOf("text", ids);
                        q.setArray(2, array);
                        long snapshot = System.nanoTime();
                        try (ResultSet rs = q.executeQuery()) {
                            polls++;
                            java.util.Set<Integer> found = new java.util.HashSet<>();
                            while (rs.next()) {
                                int idx = indexOf(rs.getString(1));
                                seen[idx] = snapshot;
                                found.add(idx);
                            }
                            pending.removeIf(found::contains);
                        }
                        array.free();
                    } else if (stopAt != Long.MAX_VALUE && accepted.isEmpty()) {
                        return;
                    }
                    long sleep = pollNanos - (System.nanoTime() - began);
                    if (sleep > 0) {
                        LockSupport.parkNanos(sleep);
                    }
                }
            } catch (SQLException e) {
                System.err.println("visibility poller failed: " + e);
            }
        }

        void finish(long maxSeconds) throws InterruptedException {
            stopAt = System.nanoTime() + TimeUnit.SECONDS.toNanos(maxSeconds);
            join();
        }
    }

    // ---------------------------------------------------------------- requests

    int indexOf(String deliveryId) {
        return Integer.parseInt(deliveryId.substring(tag.length() + 1));
    }

    /** Sends event i (delivery id {@code tag-i}) and returns the HTTP status. */
    int send(HttpConn conn, long i) throws IOException {
        byte[] b = distinct ? payloads.event(i, idBase, hotEvery, hotRows, stamped) : fixedBody;
        String signature = distinct ? sign(b) : fixedSignature;
        String head = "POST " + url.getRawPath() + " HTTP/1.1\r\n"
                + "Host: " + url.getHost() + ":" + url.getPort() + "\r\n"
                + "Content-Type: application/json\r\n"
                + "X-GitHub-Event: issues\r\n"
                + "X-GitHub-Delivery: " + tag + "-" + i + "\r\n"
                + "X-Hub-Signature-256: " + signature + "\r\n"
                + "Content-Length: " + b.length + "\r\n\r\n";
        return conn.exchange(head.getBytes(StandardCharsets.US_ASCII), b);
    }

    private String sign(byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    String required(String key) {
        String v = opts.get(key);
        if (v == null) {
            throw new IllegalArgumentException("missing " + key + "=");
        }
        return v;
    }

    static void putPercentiles(Map<String, Object> r, String prefix, List<Long> nanos) {
        long[] a = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
        r.put(prefix + "n", a.length);
        r.put(prefix + "p50_ms", fmt(pct(a, 0.50) / 1e6));
        r.put(prefix + "p90_ms", fmt(pct(a, 0.90) / 1e6));
        r.put(prefix + "p99_ms", fmt(pct(a, 0.99) / 1e6));
        r.put(prefix + "max_ms", fmt(a.length == 0 ? Double.NaN : a[a.length - 1] / 1e6));
    }

    static double pct(long[] sorted, double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(q * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    static String fmt(double v) {
        return String.format(java.util.Locale.ROOT, "%.1f", v);
    }

    /** One keep-alive HTTP/1.1 connection; reads Content-Length and chunked responses. */
    static final class HttpConn implements AutoCloseable {
        private final InetSocketAddress address;
        private Socket socket;
        private OutputStream out;
        private InputStream in;

        HttpConn(URI url) {
            this.address = new InetSocketAddress(url.getHost(), url.getPort());
        }

        int exchange(byte[] head, byte[] body) throws IOException {
            if (socket == null) {
                socket = new Socket();
                socket.setTcpNoDelay(true);
                socket.connect(address, 5_000);
                socket.setSoTimeout(30_000);
                out = new BufferedOutputStream(socket.getOutputStream(), 32 * 1024);
                in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
            }
            out.write(head);
            out.write(body);
            out.flush();
            String statusLine = readLine();
            if (statusLine == null) {
                throw new IOException("connection closed before the response");
            }
            int status = Integer.parseInt(statusLine.split(" ", 3)[1]);
            long length = -1;
            boolean chunked = false;
            boolean close = false;
            String line;
            while ((line = readLine()) != null && !line.isEmpty()) {
                int colon = line.indexOf(':');
                if (colon < 0) {
                    continue;
                }
                String name = line.substring(0, colon).trim().toLowerCase(java.util.Locale.ROOT);
                String value = line.substring(colon + 1).trim();
                switch (name) {
                    case "content-length" -> length = Long.parseLong(value);
                    case "transfer-encoding" -> chunked = value.toLowerCase(java.util.Locale.ROOT).contains("chunked");
                    case "connection" -> close = value.equalsIgnoreCase("close");
                    default -> { }
                }
            }
            if (chunked) {
                while (true) {
                    String size = readLine();
                    if (size == null) {
                        throw new IOException("truncated chunked body");
                    }
                    int semi = size.indexOf(';');
                    long n = Long.parseLong((semi >= 0 ? size.substring(0, semi) : size).trim(), 16);
                    if (n == 0) {
                        while ((line = readLine()) != null && !line.isEmpty()) {
                            // trailers
                        }
                        break;
                    }
                    skip(n);
                    readLine();
                }
            } else if (length > 0) {
                skip(length);
            } else if (length < 0 && status != 204 && status != 304) {
                close = true;  // body until close: not used by the servers measured here
            }
            if (close) {
                close();
            }
            return status;
        }

        private void skip(long n) throws IOException {
            while (n > 0) {
                long k = in.skip(n);
                if (k <= 0) {
                    if (in.read() < 0) {
                        throw new IOException("truncated body");
                    }
                    k = 1;
                }
                n -= k;
            }
        }

        private String readLine() throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream(64);
            int c;
            while ((c = in.read()) >= 0) {
                if (c == '\n') {
                    int len = line.size();
                    byte[] b = line.toByteArray();
                    return new String(b, 0, len > 0 && b[len - 1] == '\r' ? len - 1 : len, StandardCharsets.ISO_8859_1);
                }
                line.write(c);
            }
            return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
        }

        @Override
        public void close() {
            if (socket != null) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
            }
            socket = null;
        }
    }
}
