package io.hooksync.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * {@code LoadGen series}: the cold start of a server under load. Waits until the server is UP (polling
 * {@code waitUp} every 100 ms), then drives a closed loop ({@code connections} keep-alive sockets, each sends the
 * next event as soon as its previous answer arrived) for {@code seconds} and counts answers per bucket
 * ({@code bucket} seconds, by the time each answer arrived). The last {@code steadySeconds} are the steady state
 * the first {@code coldSeconds} are compared with.
 * <pre>
 * series url= body= waitUp=http://127.0.0.1:P/actuator/health [upAny=true: any HTTP answer means UP]
 *        launchedAt=(epoch ms of the server's launch) seconds=120 bucket=5 coldSeconds=60 steadySeconds=30
 *        connections=64 timeline=(TSV file, one line per bucket)
 * </pre>
 * RESULT: up_s (launch -> UP), cold_per_s (accepted/s over the first coldSeconds after UP), steady_per_s,
 * cold_ratio, reach80_s (end of the first bucket at >= 80% of steady, seconds after UP), min_bucket_per_s
 * (the slowest bucket of the cold window), series (accepted/s per bucket).
 */
final class ColdSeries {

    private final LoadGen gen;
    private final Map<String, String> opts;

    ColdSeries(LoadGen gen, Map<String, String> opts) {
        this.gen = gen;
        this.opts = opts;
    }

    Map<String, Object> run() throws Exception {
        double seconds = Double.parseDouble(opts.getOrDefault("seconds", "120"));
        double bucketSeconds = Double.parseDouble(opts.getOrDefault("bucket", "5"));
        double coldSeconds = Double.parseDouble(opts.getOrDefault("coldSeconds", "60"));
        double steadySeconds = Double.parseDouble(opts.getOrDefault("steadySeconds", "30"));
        int connections = Integer.parseInt(opts.getOrDefault("connections", "64"));
        long launchedAt = Long.parseLong(opts.getOrDefault("launchedAt", "0"));

        long upWallMs = waitUp(gen.required("waitUp"), Boolean.parseBoolean(opts.getOrDefault("upAny", "false")));
        long upNanos = System.nanoTime();
        long bucketNanos = (long) (bucketSeconds * 1e9);
        int buckets = (int) Math.ceil(seconds / bucketSeconds);
        long end = upNanos + (long) (seconds * 1e9);
        AtomicLongArray accepted = new AtomicLongArray(buckets);
        AtomicLongArray refused = new AtomicLongArray(buckets);
        AtomicLongArray errors = new AtomicLongArray(buckets);
        List<List<long[]>> latencies = new ArrayList<>();   // per thread: {bucket, nanos}
        AtomicLong next = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < connections; t++) {
            List<long[]> mine = new ArrayList<>();
            latencies.add(mine);
            Thread thread = new Thread(() -> {
                try (LoadGen.HttpConn conn = new LoadGen.HttpConn(gen.url)) {
                    long now;
                    while ((now = System.nanoTime()) < end) {
                        int status;
                        try {
                            status = gen.send(conn, next.getAndIncrement());
                        } catch (IOException e) {
                            status = -1;
                            conn.close();
                        }
                        long done = System.nanoTime();
                        int b = (int) Math.min(buckets - 1, (done - upNanos) / bucketNanos);
                        (status == 202 ? accepted : status == -1 ? errors : refused).incrementAndGet(b);
                        mine.add(new long[] {b, done - now});
                    }
                }
            }, "series-" + t);
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        return summarize(launchedAt, upWallMs, bucketSeconds, coldSeconds, steadySeconds, accepted, refused, errors,
                latencies);
    }

    private Map<String, Object> summarize(long launchedAt, long upWallMs, double bucketSeconds, double coldSeconds,
                                          double steadySeconds, AtomicLongArray accepted, AtomicLongArray refused,
                                          AtomicLongArray errors, List<List<long[]>> latencies) throws IOException {
        int buckets = accepted.length();
        List<List<Long>> perBucket = new ArrayList<>();
        for (int b = 0; b < buckets; b++) {
            perBucket.add(new ArrayList<>());
        }
        latencies.forEach(list -> list.forEach(l -> perBucket.get((int) l[0]).add(l[1])));
        double upSeconds = launchedAt > 0 ? (upWallMs - launchedAt) / 1000.0 : Double.NaN;
        StringBuilder tsv = new StringBuilder("from_up_s\tfrom_launch_s\taccepted_per_s\tnon202\terrors\tp50_ms\tp99_ms\n");
        double[] rates = new double[buckets];
        for (int b = 0; b < buckets; b++) {
            rates[b] = accepted.get(b) / bucketSeconds;
            long[] sorted = perBucket.get(b).stream().mapToLong(Long::longValue).sorted().toArray();
            tsv.append(LoadGen.fmt(b * bucketSeconds)).append('\t').append(LoadGen.fmt(upSeconds + b * bucketSeconds))
                    .append('\t').append(LoadGen.fmt(rates[b])).append('\t').append(refused.get(b)).append('\t')
                    .append(errors.get(b)).append('\t').append(LoadGen.fmt(LoadGen.pct(sorted, 0.5) / 1e6)).append('\t')
                    .append(LoadGen.fmt(LoadGen.pct(sorted, 0.99) / 1e6)).append('\n');
        }
        if (opts.containsKey("timeline")) {
            Files.writeString(Path.of(opts.get("timeline")), tsv);
        }
        int coldBuckets = (int) Math.min(buckets, Math.round(coldSeconds / bucketSeconds));
        int steadyBuckets = (int) Math.min(buckets - coldBuckets, Math.round(steadySeconds / bucketSeconds));
        double cold = Arrays.stream(rates, 0, coldBuckets).average().orElse(Double.NaN);
        double steady = Arrays.stream(rates, buckets - steadyBuckets, buckets).average().orElse(Double.NaN);
        double reach80 = Double.NaN;
        for (int b = 0; b < buckets && Double.isNaN(reach80); b++) {
            reach80 = rates[b] >= 0.8 * steady ? (b + 1) * bucketSeconds : Double.NaN;
        }
        long non202 = 0;
        long errorCount = 0;
        for (int b = 0; b < buckets; b++) {
            non202 += refused.get(b);
            errorCount += errors.get(b);
        }
        StringBuilder series = new StringBuilder();
        for (int b = 0; b < buckets; b++) {
            series.append(b == 0 ? "" : ",").append(Math.round(rates[b]));
        }
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("up_s", LoadGen.fmt(upSeconds));
        r.put("cold_per_s", LoadGen.fmt(cold));
        r.put("steady_per_s", LoadGen.fmt(steady));
        r.put("cold_ratio", String.format(java.util.Locale.ROOT, "%.2f", cold / steady));
        r.put("reach80_s", LoadGen.fmt(reach80));
        r.put("min_bucket_per_s", LoadGen.fmt(Arrays.stream(rates, 0, coldBuckets).min().orElse(Double.NaN)));
        r.put("non202", non202);
        r.put("errors", errorCount);
        r.put("bucket_s", LoadGen.fmt(bucketSeconds));
        r.put("series", series);
        r.put("tag", gen.tag);
        return r;
    }

    /** Polls the URL every 100 ms (at most 300 s); UP is a 200 whose body says "status":"UP", or any answer. */
    private static long waitUp(String url, boolean anyAnswer) throws InterruptedException {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).GET().build();
        long deadline = System.nanoTime() + Duration.ofSeconds(300).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> answer = client.send(request, HttpResponse.BodyHandlers.ofString());
                if (anyAnswer || answer.statusCode() == 200 && answer.body().contains("\"status\":\"UP\"")) {
                    return System.currentTimeMillis();
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException(url + " not UP after 300 s");
    }
}
