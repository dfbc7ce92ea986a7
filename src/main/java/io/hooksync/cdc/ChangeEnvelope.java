package io.hooksync.cdc;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hooksync.infra.PlainJson;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * Debezium change record -> {@link CdcEvent} with the envelope
 * {@code {table, op: create|update|delete|snapshot, key, before, after, source: {position, ts, snapshot, ...}}}.
 * {@code table} is {@code schema.table} (PostgreSQL) or {@code database.table} (MariaDB). {@code key} is
 * always there (a delete has no {@code after}; on PostgreSQL its {@code before} holds only the key unless
 * the table has REPLICA IDENTITY FULL). {@code source.position} is a number that grows with the change's
 * place in the log, the same meaning for both kinds, so a mapping can use it as its version: the LSN on
 * PostgreSQL (also given as {@code lsn}, with {@code txId}); on MariaDB binlog file index, byte offset and
 * row packed as {@code index * 2^43 + offset * 2^11 + row} (also given as {@code file}, {@code pos},
 * {@code row} and {@code gtid}). Heartbeats and other non-row records give null.
 * Event id = {@code <lsn>:<table>:<op>:<key digest>} or {@code <file>:<pos>:<row>:<table>:<op>:<key digest>}:
 * replaying the same log gives the same ids; a snapshot row's id is
 * {@code snapshot:<table>:<key digest>:<row digest>}, the same in a repeated snapshot.
 */
final class ChangeEnvelope {

    private static final ObjectMapper JSON = PlainJson.MAPPER;

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
        Object schema = field(source, "schema");
        String table = (schema != null ? schema : field(source, "db")) + "." + source.getString("table");
        Long tsMs = (Long) field(source, "ts_ms");
        String time = tsMs == null ? null : Instant.ofEpochMilli(tsMs).toString();
        Map<String, Object> key = record.key() instanceof Struct k ? StructJson.toMap(k) : null;

        Map<String, Object> position = new LinkedHashMap<>();
        String logPlace = logPlace(source, position);
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
                    : logPlace + ":" + table + ":" + op + ":" + digest(keyJson);
            return new CdcEvent(id, keyJson, JSON.writeValueAsBytes(envelope), table, op, time);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("change of " + table + " cannot be written as JSON", e);
        }
    }

    /**
     * Puts the change's place in the source log into {@code position} (PostgreSQL: the LSN and transaction;
     * MariaDB: binlog file, offset, row and GTID, and one growing number) and returns it as id text.
     */
    private static String logPlace(Struct source, Map<String, Object> position) {
        Object lsn = field(source, "lsn");
        if (lsn != null || field(source, "file") == null) {
            position.put("position", lsn);
            position.put("lsn", lsn);
            position.put("txId", field(source, "txId"));
            return String.valueOf(lsn);
        }
        String file = source.getString("file");
        long pos = ((Number) source.get("pos")).longValue();
        int row = field(source, "row") == null ? 0 : ((Number) source.get("row")).intValue();
        position.put("position", binlogPosition(file, pos, row));
        position.put("file", file);
        position.put("pos", pos);
        position.put("row", row);
        position.put("gtid", field(source, "gtid"));
        return file + ":" + pos + ":" + row;
    }

    /**
     * A binlog place as one growing number: file index (the suffix of {@code mysql-bin.000042}, below 2^20),
     * byte offset in the file (below 2^32; MariaDB caps files at 1 GiB) and row within the event (clamped
     * to 2047; a row event holds at most a few hundred rows).
     */
    static long binlogPosition(String file, long pos, int row) {
        long index = Long.parseLong(file.substring(file.lastIndexOf('.') + 1));
        return (index << 43) | (Math.min(pos, (1L << 32) - 1) << 11) | Math.min(Math.max(row, 0), 2047);
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
