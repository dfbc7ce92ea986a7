package io.hooksync.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * {@code LoadGen ladder}: the whole pipeline at a ladder of fixed open-loop rates. Event i is due at its step's
 * start + j / rate; the steps follow each other without a pause. Per event: the 202, the moment its ledger row is
 * visible (polled, as in {@code rate visible=}), and the moment the receiver this tool runs got the outbound
 * message the row emitted (the Standard Webhooks body carries {@code data.cause.id}, the delivery id {@code tag-i}).
 * <pre>
 * ladder url= body= rates=250,500,1000,1500 stepSeconds=60 skipSeconds=5 connections=64
 *        visible=jdbc:postgresql://... consumer=github-issues pollMs=20 receiverPort=P drainSeconds=60
 *        [hot=0.1 hotRows=10 stamped=true idBase= tag=] timeline=(TSV, per second: due, 202, visible, delivered)
 * </pre>
 * Prints one {@code STEP ...} line per rate (events due in the step after its first skipSeconds) and a RESULT line
 * naming the highest rate held: every event accepted (at most 0.1% refused), and the backlogs (accepted but not
 * visible, visible and applied but not delivered) at the step's end under 2 s of events and not growing over the
 * step's second half by more than 1 s of events.
 */
final class PipelineLadder {

    private static final Pattern CAUSE_ID = Pattern.compile("\"cause\":\\{[^}]*\"id\":\"([^\"]+)\"");

    private final LoadGen gen;
    private final Map<String, String> opts;

    PipelineLadder(LoadGen gen, Map<String, String> opts) {
        this.gen = gen;
        this.opts = opts;
    }

    Map<String, Object> run() throws Exception {
        double[] rates = Arrays.stream(gen.required("rates").split(",")).mapToDouble(Double::parseDouble).toArray();
        double stepSeconds = Double.parseDouble(opts.getOrDefault("stepSeconds", "60"));
        double skipSeconds = Double.parseDouble(opts.getOrDefault("skipSeconds", "5"));
        int connections = Integer.parseInt(opts.getOrDefault("connections", "64"));
        Events ev = new Events(rates, stepSeconds);
        HttpServer receiver = receiver(Integer.parseInt(gen.required("receiverPort")), ev);
        ConcurrentLinkedQueue<Integer> acceptedQueue = new ConcurrentLinkedQueue<>();
        LoadGen.VisibilityPoller poller = gen.new VisibilityPoller(gen.required("visible"),
                opts.getOrDefault("consumer", "github-issues"), acceptedQueue, ev.seen,
                Integer.parseInt(opts.getOrDefault("pollMs", "20")));
        poller.start();
        drive(ev, connections, acceptedQueue);
        long drain = Long.parseLong(opts.getOrDefault("drainSeconds", "60"));
        poller.finish(drain);
        boolean[] applied = applied(ev);
        long drainEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(drain);
        while (ev.deliveredCount.get() < count(applied) && System.nanoTime() < drainEnd) {
            Thread.sleep(100);
        }
        receiver.stop(0);
        return report(ev, applied, rates, stepSeconds, skipSeconds);
    }

    /** Event indices, due times and what happened to each. */
    static final class Events {
        final long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300);
        final long startWallMs = System.currentTimeMillis() + 300;
        final int total;
        final int[] stepOf;
        final long[] due;
        final int[] status;
        final long[] at202;
        final long[] seen;
        final long[] delivered;
        final AtomicLong deliveredCount = new AtomicLong();
        final AtomicLong duplicates = new AtomicLong();
        final AtomicLong foreign = new AtomicLong();

        Events(double[] rates, double stepSeconds) {
            int n = 0;
            for (double r : rates) {
                n += (int) Math.round(r * stepSeconds);
            }
            total = n;
            stepOf = new int[n];
            due = new long[n];
            status = new int[n];
            at202 = new long[n];
            seen = new long[n];
            delivered = new long[n];
            Arrays.fill(seen, -1);
            Arrays.fill(delivered, -1);
            for (int k = 0, i = 0; k < rates.length; k++) {
                long stepStart = start + (long) (k * stepSeconds * 1e9);
                for (int j = 0; j < Math.round(rates[k] * stepSeconds); j++, i++) {
                    stepOf[i] = k;
                    due[i] = stepStart + (long) (j * 1e9 / rates[k]);
                }
            }
        }
    }

    private void drive(Events ev, int connections, ConcurrentLinkedQueue<Integer> acceptedQueue) throws Exception {
        BlockingQueue<Integer> due = new ArrayBlockingQueue<>(ev.total + 1);
        Thread pacer = new Thread(() -> {
            for (int i = 0; i < ev.total; i++) {
                long now;
                while ((now = System.nanoTime()) < ev.due[i]) {
                    LockSupport.parkNanos(Math.min(ev.due[i] - now, 100_000));
                }
                due.add(i);
            }
        }, "pacer");
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < connections; t++) {
            workers.add(new Thread(() -> {
                try (LoadGen.HttpConn conn = new LoadGen.HttpConn(gen.url)) {
                    while (pacer.isAlive() || !due.isEmpty()) {
                        Integer i = due.poll(200, TimeUnit.MILLISECONDS);
                        if (i == null) {
                            continue;
                        }
                        int s;
                        try {
                            s = gen.send(conn, i);
                        } catch (IOException e) {
                            s = -1;
                            conn.close();
                        }
                        ev.at202[i] = System.nanoTime();
                        ev.status[i] = s;
                        if (s == 202) {
                            acceptedQueue.add(i);
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "ladder-" + t));
        }
        pacer.start();
        workers.forEach(Thread::start);
        pacer.join();
        for (Thread w : workers) {
            w.join();
        }
    }

    /** The receiver endpoint: records when each event's outbound message first arrived. */
    private HttpServer receiver(int port, Events ev) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 1000);
        server.setExecutor(Executors.newFixedThreadPool(8));
        server.createContext("/", exchange -> received(exchange, ev));
        server.start();
        return server;
    }

    private void received(HttpExchange exchange, Events ev) throws IOException {
        long now = System.nanoTime();
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Matcher m = CAUSE_ID.matcher(body);
        if (m.find() && m.group(1).startsWith(gen.tag + "-")) {
            int i = gen.indexOf(m.group(1));
            if (i >= 0 && i < ev.total && ev.delivered[i] < 0) {
                ev.delivered[i] = now;
                ev.deliveredCount.incrementAndGet();
            } else {
                ev.duplicates.incrementAndGet();
            }
        } else {
            ev.foreign.incrementAndGet();
        }
        exchange.sendResponseHeaders(204, -1);
        exchange.close();
    }

    /** Which events' rows were applied (and so emitted a message): the ledger outcome per delivery id. */
    private boolean[] applied(Events ev) throws Exception {
        boolean[] applied = new boolean[ev.total];
        try (Connection c = DriverManager.getConnection(gen.required("visible"));
             PreparedStatement q = c.prepareStatement("SELECT event_id FROM hooksync_ledger"
                     + " WHERE consumer = ? AND event_id LIKE ? AND outcome = 'applied'")) {
            q.setString(1, opts.getOrDefault("consumer", "github-issues"));
            q.setString(2, gen.tag + "-%");
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    int i = gen.indexOf(rs.getString(1));
                    if (i >= 0 && i < ev.total) {
                        applied[i] = true;
                    }
                }
            }
        }
        return applied;
    }

    private static long count(boolean[] flags) {
        long n = 0;
        for (boolean f : flags) {
            n += f ? 1 : 0;
        }
        return n;
    }

    private Map<String, Object> report(Events ev, boolean[] applied, double[] rates, double stepSeconds,
                                       double skipSeconds) throws IOException {
        double held = 0;
        for (int k = 0; k < rates.length; k++) {
            Map<String, Object> step = step(ev, applied, k, rates[k], stepSeconds, skipSeconds);
            StringBuilder line = new StringBuilder("STEP");
            step.forEach((key, v) -> line.append(' ').append(key).append('=').append(v));
            System.out.println(line);
            if ("yes".equals(step.get("held"))) {
                held = Math.max(held, rates[k]);
            }
        }
        if (opts.containsKey("timeline")) {
            Files.writeString(Path.of(opts.get("timeline")), timeline(ev, applied));
        }
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("highest_rate_held", LoadGen.fmt(held));
        r.put("start_ms", ev.startWallMs);
        r.put("events", ev.total);
        r.put("delivered", ev.deliveredCount.get());
        r.put("applied", count(applied));
        r.put("duplicates", ev.duplicates.get());
        r.put("foreign", ev.foreign.get());
        r.put("tag", gen.tag);
        return r;
    }

    private static Map<String, Object> step(Events ev, boolean[] applied, int k, double rate, double stepSeconds,
                                            double skipSeconds) {
        long stepStart = ev.start + (long) (k * stepSeconds * 1e9);
        long from = stepStart + (long) (skipSeconds * 1e9);
        long end = stepStart + (long) (stepSeconds * 1e9);
        List<Long> http = new ArrayList<>();
        List<Long> toRow = new ArrayList<>();
        List<Long> toDelivery = new ArrayList<>();
        long accepted = 0;
        long refused = 0;
        long notVisible = 0;
        long notDelivered = 0;
        long appliedCount = 0;
        for (int i = 0; i < ev.total; i++) {
            if (ev.stepOf[i] != k || ev.due[i] < from) {
                continue;
            }
            http.add(ev.at202[i] - ev.due[i]);
            if (ev.status[i] != 202) {
                refused++;
                continue;
            }
            accepted++;
            if (ev.seen[i] < 0) {
                notVisible++;
            } else {
                toRow.add(Math.max(0, ev.seen[i] - ev.at202[i]));
            }
            if (applied[i]) {
                appliedCount++;
                if (ev.delivered[i] < 0) {
                    notDelivered++;
                } else {
                    toDelivery.add(Math.max(0, ev.delivered[i] - ev.at202[i]));
                }
            }
        }
        long mid = (from + end) / 2;
        long rowsAtEnd = backlog(ev, null, end, true);
        long rowsAtMid = backlog(ev, null, mid, true);
        long msgsAtEnd = backlog(ev, applied, end, false);
        long msgsAtMid = backlog(ev, applied, mid, false);
        boolean held = refused <= 0.001 * (accepted + refused)
                && rowsAtEnd < 2 * rate && rowsAtEnd - rowsAtMid < rate
                && msgsAtEnd < 2 * rate && msgsAtEnd - msgsAtMid < rate;
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("rate", LoadGen.fmt(rate));
        s.put("accepted_per_s", LoadGen.fmt(accepted / ((end - from) / 1e9)));
        s.put("refused", refused);
        LoadGen.putPercentiles(s, "http_", http);
        LoadGen.putPercentiles(s, "row_", toRow);
        LoadGen.putPercentiles(s, "delivered_", toDelivery);
        s.put("not_visible", notVisible);
        s.put("applied", appliedCount);
        s.put("not_delivered", notDelivered);
        s.put("row_backlog_mid", rowsAtMid);
        s.put("row_backlog_end", rowsAtEnd);
        s.put("msg_backlog_mid", msgsAtMid);
        s.put("msg_backlog_end", msgsAtEnd);
        s.put("held", held ? "yes" : "no");
        return s;
    }

    /** At time t: accepted but not yet visible (rows), or visible and applied but not yet delivered (messages). */
    private static long backlog(Events ev, boolean[] applied, long t, boolean rows) {
        long n = 0;
        for (int i = 0; i < ev.total; i++) {
            if (ev.status[i] != 202) {
                continue;
            }
            if (rows && ev.at202[i] <= t && (ev.seen[i] < 0 || ev.seen[i] > t)) {
                n++;
            } else if (!rows && applied[i] && ev.seen[i] >= 0 && ev.seen[i] <= t
                    && (ev.delivered[i] < 0 || ev.delivered[i] > t)) {
                n++;
            }
        }
        return n;
    }

    private static String timeline(Events ev, boolean[] applied) {
        StringBuilder out = new StringBuilder("second\tstep\tdue\taccepted\tvisible\tdelivered\trow_backlog\tmsg_backlog\n");
        long last = Arrays.stream(ev.due).max().orElse(ev.start);
        for (int s = 0; ev.start + s * 1_000_000_000L <= last + 1_000_000_000L; s++) {
            long t = ev.start + (s + 1) * 1_000_000_000L;
            long lo = t - 1_000_000_000L;
            int due = 0;
            int accepted = 0;
            int visible = 0;
            int delivered = 0;
            int step = -1;
            for (int i = 0; i < ev.total; i++) {
                if (ev.due[i] >= lo && ev.due[i] < t) {
                    due++;
                    step = ev.stepOf[i];
                }
                accepted += ev.status[i] == 202 && ev.at202[i] >= lo && ev.at202[i] < t ? 1 : 0;
                visible += ev.seen[i] >= lo && ev.seen[i] < t ? 1 : 0;
                delivered += ev.delivered[i] >= lo && ev.delivered[i] < t ? 1 : 0;
            }
            out.append(s).append('\t').append(step).append('\t').append(due).append('\t').append(accepted).append('\t')
                    .append(visible).append('\t').append(delivered).append('\t').append(backlog(ev, null, t, true))
                    .append('\t').append(backlog(ev, applied, t, false)).append('\n');
        }
        return out.toString();
    }
}
