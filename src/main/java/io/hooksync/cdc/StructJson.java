package io.hooksync.cdc;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hooksync.infra.PlainJson;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;

/**
 * Turns Debezium's Kafka Connect values into plain JSON values a mapping can use without knowing
 * Debezium's encodings: {@code timestamp} columns (epoch micros/millis/nanos) become ISO instants
 * (the stored wall-clock read as UTC), {@code date} (days since epoch) an ISO date, {@code time} an ISO
 * time, {@code json}/{@code jsonb} nested JSON, bytes base64. {@code timestamptz} already arrives as ISO text.
 */
final class StructJson {

    private static final ObjectMapper JSON = PlainJson.MAPPER;

    private StructJson() {
    }

    static Map<String, Object> toMap(Struct struct) {
        if (struct == null) {
            return null;
        }
        Map<String, Object> map = new LinkedHashMap<>();
        for (Field field : struct.schema().fields()) {
            map.put(field.name(), value(field.schema(), struct.get(field)));
        }
        return map;
    }

    static Object value(Schema schema, Object value) {
        if (value == null) {
            return null;
        }
        Object logical = logical(schema.name() == null ? "" : schema.name(), value);
        return logical != NOT_LOGICAL ? logical : structural(schema, value);
    }

    private static final Object NOT_LOGICAL = new Object();

    /** Debezium's logical types (dates, times, JSON) as ISO text or a JSON tree; {@link #NOT_LOGICAL} for others. */
    private static Object logical(String logical, Object value) {
        switch (logical) {
            case "io.debezium.time.Date":
                return LocalDate.ofEpochDay(((Number) value).longValue()).toString();
            case "io.debezium.time.Time":
                return LocalTime.ofNanoOfDay(((Number) value).longValue() * 1_000_000L).toString();
            case "io.debezium.time.MicroTime":
                return LocalTime.ofNanoOfDay(((Number) value).longValue() * 1_000L).toString();
            case "io.debezium.time.NanoTime":
                return LocalTime.ofNanoOfDay(((Number) value).longValue()).toString();
            case "io.debezium.time.Timestamp":
                return Instant.ofEpochMilli(((Number) value).longValue()).toString();
            case "io.debezium.time.MicroTimestamp":
                return micros(((Number) value).longValue()).toString();
            case "io.debezium.time.NanoTimestamp":
                long nanos = ((Number) value).longValue();
                return Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L))
                        .toString();
            case "io.debezium.data.Json":
                try {
                    return JSON.readTree(value.toString());
                } catch (JsonProcessingException e) {
                    return value.toString();
                }
            default:
                return NOT_LOGICAL;
        }
    }

    /** Structs, arrays and maps converted item by item; bytes as base64; anything else as it is. */
    private static Object structural(Schema schema, Object value) {
        if (value instanceof Struct struct) {
            return toMap(struct);
        }
        if (value instanceof List<?> list) {
            List<Object> converted = new ArrayList<>(list.size());
            list.forEach(item -> converted.add(value(schema.valueSchema(), item)));
            return converted;
        }
        if (value instanceof Map<?, ?> source) {
            Map<String, Object> converted = new LinkedHashMap<>();
            source.forEach((k, v) -> converted.put(String.valueOf(k), value(schema.valueSchema(), v)));
            return converted;
        }
        if (value instanceof ByteBuffer buffer) {
            byte[] bytes = new byte[buffer.remaining()];
            buffer.duplicate().get(bytes);
            return Base64.getEncoder().encodeToString(bytes);
        }
        if (value instanceof byte[] bytes) {
            return Base64.getEncoder().encodeToString(bytes);
        }
        return value;
    }

    static Instant micros(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L);
    }
}
