package io.hooksync.cdc;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * Debezium change record -> {@link CdcEvent} with the envelope
 * {@code {table, op: create|update|delete|snapshot, key, before, after, source: {lsn, txId, ts, snapshot}}}.
 * {@code key} is always there (a delete has no {@code after}, and {@code before} holds only the key
 * unless the table has REPLICA IDENTITY FULL). Heartbeats and other non-row records give null.
 * Event id = {@code <lsn>:<table>:<op>:<key digest>}: replaying the same WAL gives the same ids; a
 * snapshot row's id is {@code snapshot:<table>:<key digest>:<row digest>}, the same in a repeated snapshot.
 */
final class ChangeEnvelope {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ChangeEnvelope() {
    }

    static CdcEvent of(SourceRecord record) {
        if (!(record.value() instanceof Struct value) || value.schema().field("op") == null) {
            return null;
        }
        String op = switch (value.getString("op")) {
            case "c" -> "create";
            case "u" -> "update";
            case "d" -> "delete";
            case "r" -> "snapshot";
            default -> null;
        };
        if (op == null) {
            return null;
        }
        Struct source = value.getStruct("source");
        String table = source.getString("schema") + "." + source.getString("table");
        Object lsn = field(source, "lsn");
        Long tsMs = (Long) field(source, "ts_ms");
        String time = tsMs == null ? null : Instant.ofEpochMilli(tsMs).toString();
        Map<String, Object> key = record.key() instanceof Struct k ? StructJson.toMap(k) : null;

        Map<String, Object> position = new LinkedHashMap<>();
        position.put("lsn", lsn);
        position.put("txId", field(source, "txId"));
        position.put("ts", time);
        position.put("snapshot", "snapshot".equals(op));
        Map<String, Object> envelope = new LinkedHashMap<>();
        envelope.put("table", table);
        envelope.put("op", op);
        envelope.put("key", key);
        envelope.put("before", StructJson.toMap((Struct) field(value, "before")));
        envelope.put("after", StructJson.toMap((Struct) field(value, "after")));
        envelope.put("source", position);
        try {
            byte[] keyJson = JSON.writeValueAsBytes(key);
            // a snapshot repeated after a crash mid-snapshot reads the rows at a new LSN: its ids come from
            // the row itself, so unchanged rows are duplicates for the ledger instead of new "created" events
            String id = "snapshot".equals(op)
                    ? "snapshot:" + table + ":" + digest(keyJson) + ":" + digest(JSON.writeValueAsBytes(envelope.get("after")))
                    : lsn + ":" + table + ":" + op + ":" + digest(keyJson);
            return new CdcEvent(id, keyJson, JSON.writeValueAsBytes(envelope), table, op, time);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("change of " + table + " cannot be written as JSON", e);
        }
    }

    private static Object field(Struct struct, String name) {
        return struct.schema().field(name) == null ? null : struct.get(name);
    }

    private static String digest(byte[] key) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(key);
            return HexFormat.of().formatHex(hash, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

}
