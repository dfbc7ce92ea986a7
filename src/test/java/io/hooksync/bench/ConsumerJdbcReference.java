package io.hooksync.bench;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * A second reference for the sink benchmark, beside {@link JdbcCeiling}'s same-writes ceiling: the program a user
 * would write by hand instead of a route. It does per event the work the engine's github-issues route does, and
 * nothing of the engine's other work (no relay, dispatcher, timeline or broker load of its own besides the fetches):
 * consume the queued events from the engine's broker (a thread, a consumer and a connection per partition, the route
 * consumers' fetch settings, offsets committed after each batch's transaction), parse the payload with Jackson's tree model, take the columns of the
 * github/issues mapping (issue.id, number, repository.full_name, title, state, user.login, the label names joined,
 * updated_at; deleted when the action is "deleted"), and write the row upsert, the ledger row and the outbox row per
 * batch in one transaction with {@link JdbcCeiling}'s engine-claims statements, into the same copy tables. Timed from
 * the first record polled to the last commit. Afterwards it counts the github_issues rows equal, column by column, to
 * the ones the engine wrote ({@code same_as_engine}), so a reference that did less work shows; its ledger and outbox
 * rows are JdbcCeiling's (the outbox payload is that tool's text rendering of the row, not compared).
 *
 * <p>Usage: {@code ConsumerJdbcReference bootstrap=127.0.0.1:port jdbc=jdbc:postgresql://... events=N
 * [topic=hooksync.events.github] [batch=500]}
 */
public final class ConsumerJdbcReference {

    private static final ObjectMapper JSON = new ObjectMapper();

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = BenchArgs.parse(args, 0);
        String bootstrap = opts.get("bootstrap");
        String jdbc = opts.get("jdbc");
        long events = Long.parseLong(opts.get("events"));
        String topic = opts.getOrDefault("topic", "hooksync.events.github");
        int batch = Integer.parseInt(opts.getOrDefault("batch", "500"));
        String copy = "bench_github_issues_copy";

        List<String> columns = new ArrayList<>();
        List<String> types = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(jdbc); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT * FROM github_issues LIMIT 0")) {
                ResultSetMetaData md = rs.getMetaData();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    columns.add(md.getColumnName(i));
                    types.add(md.getColumnTypeName(i));
                }
            }
            JdbcCeiling.createCopies(s, "github_issues", copy);
        }

        String group = "bench-consumer-reference-" + System.currentTimeMillis();
        List<TopicPartition> partitions = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> probe = consumer(bootstrap, group, batch)) {
            for (PartitionInfo p : probe.partitionsFor(topic)) {
                partitions.add(new TopicPartition(topic, p.partition()));
            }
        }
        AtomicLong consumed = new AtomicLong();
        AtomicLong transactions = new AtomicLong();
        AtomicLong firstPoll = new AtomicLong(Long.MAX_VALUE);
        ExecutorService threads = Executors.newFixedThreadPool(partitions.size());
        List<Future<Long>> done = new ArrayList<>();
        for (TopicPartition partition : partitions) {
            done.add(threads.submit(() -> drain(bootstrap, group, jdbc, partition, batch, copy, columns, types,
                    consumed, transactions, events, firstPoll)));
        }
        long written = 0;
        for (Future<Long> f : done) {
            written += f.get();
        }
        threads.shutdown();
        double seconds = (System.nanoTime() - firstPoll.get()) / 1e9;
        long rows;
        long same;
        try (Connection c = DriverManager.getConnection(jdbc); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM " + copy)) {
                rs.next();
                rows = rs.getLong(1);
            }
            // the check that this is the same work: every row equal to the one the engine's route wrote
            List<String> compared = columns.stream().filter(n -> !n.equals("_hooksync_synced_at"))
                    .map(n -> "\"" + n + "\"").toList();
            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM github_issues g JOIN " + copy + " c USING (id)"
                    + " WHERE (" + String.join(", ", compared.stream().map(n -> "g." + n).toList()) + ")"
                    + " IS NOT DISTINCT FROM (" + String.join(", ", compared.stream().map(n -> "c." + n).toList()) + ")")) {
                rs.next();
                same = rs.getLong(1);
            }
            JdbcCeiling.dropCopies(s, copy);
        }
        System.out.printf(Locale.ROOT, "RESULT shape=consumer events=%d written=%d rows=%d same_as_engine=%d threads=%d"
                + " batch=%d events_per_transaction=%.0f seconds=%.2f rows_per_s=%.0f%n", events, written, rows, same,
                partitions.size(), batch, (double) written / Math.max(1, transactions.get()), seconds, written / seconds);
    }

    private static KafkaConsumer<byte[], byte[]> consumer(String bootstrap, String group, int batch) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, String.valueOf(batch));
        // the fetch settings of the engine's route consumers (EventsConsumer): a poll can fill a whole batch
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, String.valueOf(16 * 1024 * 1024));
        p.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, String.valueOf(64 * 1024));
        p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "100");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** One partition from its beginning until its end offset (or until {@code events} are consumed in all). */
    private static long drain(String bootstrap, String group, String jdbc, TopicPartition partition, int batch,
                              String copy, List<String> columns, List<String> types, AtomicLong consumed,
                              AtomicLong transactions, long events, AtomicLong firstPoll) throws Exception {
        long written = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(bootstrap, group, batch);
             Connection c = DriverManager.getConnection(jdbc)) {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            c.setAutoCommit(false);
            while (consumer.position(partition) < end && consumed.get() < events) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(500));
                if (records.isEmpty()) {
                    continue;
                }
                firstPoll.accumulateAndGet(System.nanoTime(), Math::min);
                List<String[]> rows = new ArrayList<>(records.count());
                String[] eventIds = new String[records.count()];
                String[] keys = new String[records.count()];
                String[] payloads = new String[records.count()];
                int n = 0;
                for (ConsumerRecord<byte[], byte[]> record : records) {
                    String eventId = header(record, "ce_id");
                    String[] row = row(JSON.readTree(record.value()), columns, eventId);
                    rows.add(row);
                    eventIds[n] = eventId;
                    keys[n] = "github_issues:" + row[columns.indexOf("id")];
                    payloads[n] = JdbcCeiling.outboxPayload(row, columns, eventId);
                    n++;
                }
                JdbcCeiling.upsertArrays(c, copy, columns, types, rows);
                JdbcCeiling.ledgerAndOutboxArrays(c, eventIds, keys, payloads, " ON CONFLICT DO NOTHING");
                c.commit();
                consumer.commitSync();
                written += n;
                consumed.addAndGet(n);
                transactions.incrementAndGet();
            }
        }
        return written;
    }

    /** The github/issues mapping's columns of one payload, as text, in the table's column order. */
    private static String[] row(JsonNode payload, List<String> columns, String eventId) {
        JsonNode issue = payload.path("issue");
        List<String> labels = new ArrayList<>();
        issue.path("labels").forEach(label -> labels.add(label.path("name").asText()));
        String[] row = new String[columns.size()];
        for (int i = 0; i < row.length; i++) {
            row[i] = switch (columns.get(i)) {
                case "id" -> issue.path("id").asText();
                case "number" -> issue.path("number").asText();
                case "repository" -> payload.path("repository").path("full_name").asText(null);
                case "title" -> issue.path("title").asText(null);
                case "state" -> issue.path("state").asText(null);
                case "author" -> issue.path("user").path("login").asText(null);
                case "labels" -> labels.isEmpty() ? null : String.join(",", labels);   // $join of nothing: null
                case "updated_at" -> issue.path("updated_at").asText(null);
                case "_hooksync_deleted" -> String.valueOf("deleted".equals(payload.path("action").asText()));
                case "_hooksync_event_id" -> eventId;
                case "_hooksync_synced_at" -> OffsetDateTime.now().toString();
                default -> throw new IllegalStateException("github_issues has a column this reference does not"
                        + " know: " + columns.get(i));
            };
        }
        return row;
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) throws SQLException {
        Header header = record.headers().lastHeader(name);
        if (header == null) {
            throw new SQLException("record without " + name + " at " + record.topic() + "-" + record.partition()
                    + "@" + record.offset());
        }
        return new String(header.value(), StandardCharsets.UTF_8);
    }
}
