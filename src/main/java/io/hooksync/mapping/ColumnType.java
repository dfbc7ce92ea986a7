package io.hooksync.mapping;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hooksync.infra.PlainJson;

/**
 * The SQL types a mapping column may declare, and how a JSONata result becomes a JDBC value of that
 * type. A value that does not fit is a {@link MappingException} (the event is poison, not the database).
 */
public enum ColumnType {
    TEXT, INTEGER, BIGINT, NUMERIC, DOUBLE, BOOLEAN, TIMESTAMPTZ, DATE, JSON;

    private static final ObjectMapper MAPPER = PlainJson.MAPPER;
    private static final Set<String> TRUE = Set.of("true", "t", "yes", "1");
    private static final Set<String> FALSE = Set.of("false", "f", "no", "0");

    /** Parses a type name as written in a mapping file (case-insensitive, a few common aliases). */
    static ColumnType parse(String name) {
        return switch (name.trim().toLowerCase()) {
            case "text", "string", "varchar" -> TEXT;
            case "integer", "int" -> INTEGER;
            case "bigint", "long" -> BIGINT;
            case "numeric", "decimal" -> NUMERIC;
            case "double", "float", "double precision" -> DOUBLE;
            case "boolean", "bool" -> BOOLEAN;
            case "timestamptz", "timestamp" -> TIMESTAMPTZ;
            case "date" -> DATE;
            case "json", "jsonb" -> JSON;
            default -> throw new IllegalArgumentException("unknown type '" + name
                    + "' (use text, integer, bigint, numeric, double, boolean, timestamptz, date or json)");
        };
    }

    /** Converts a JSONata result; null stays null. Timestamps become UTC {@link OffsetDateTime}s. */
    public Object convert(Object value) throws MappingException {
        if (value == null) {
            return null;
        }
        try {
            return switch (this) {
                case TEXT -> value instanceof Map || value instanceof List ? json(value) : scalarText(value);
                case INTEGER -> Math.toIntExact(integral(value));
                case BIGINT -> integral(value);
                case NUMERIC -> new BigDecimal(scalarText(value));
                case DOUBLE -> value instanceof Number n ? n.doubleValue() : Double.parseDouble(scalarText(value));
                case BOOLEAN -> bool(value);
                case TIMESTAMPTZ -> timestamp(value);
                case DATE -> LocalDate.parse(scalarText(value).substring(0, Math.min(10, scalarText(value).length())));
                case JSON -> json(value);
            };
        } catch (MappingException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new MappingException("value " + abbreviate(value) + " is not a valid " + name().toLowerCase()
                    + " (" + e.getClass().getSimpleName() + ")");
        }
    }

    private static String scalarText(Object value) throws MappingException {
        if (value instanceof Map || value instanceof List) {
            throw new MappingException("expected a single value but got " + abbreviate(value));
        }
        if (value instanceof Double d && d == Math.rint(d) && !Double.isInfinite(d) && Math.abs(d) < 1e15) {
            return Long.toString(d.longValue());
        }
        return value.toString();
    }

    private static long integral(Object value) throws MappingException {
        if (value instanceof Integer || value instanceof Long || value instanceof Short) {
            return ((Number) value).longValue();
        }
        return new BigDecimal(scalarText(value)).longValueExact();
    }

    private static Boolean bool(Object value) throws MappingException {
        if (value instanceof Boolean b) {
            return b;
        }
        String text = scalarText(value).toLowerCase();
        if (TRUE.contains(text)) {
            return true;
        }
        if (FALSE.contains(text)) {
            return false;
        }
        throw new MappingException("value " + abbreviate(value) + " is not a boolean");
    }

    private static OffsetDateTime timestamp(Object value) throws MappingException {
        if (value instanceof Number n) {
            return Instant.ofEpochSecond(n.longValue()).atOffset(ZoneOffset.UTC);
        }
        String text = scalarText(value);
        try {
            return OffsetDateTime.parse(text).withOffsetSameInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            if (text.matches("-?\\d+")) {
                return Instant.ofEpochSecond(Long.parseLong(text)).atOffset(ZoneOffset.UTC);
            }
            throw new MappingException("value " + abbreviate(value) + " is not an ISO-8601 timestamp or epoch seconds");
        }
    }

    private static String json(Object value) throws MappingException {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new MappingException("value cannot be written as JSON: " + e.getOriginalMessage());
        }
    }

    private static String abbreviate(Object value) {
        String text = String.valueOf(value);
        return "'" + (text.length() > 60 ? text.substring(0, 57) + "..." : text) + "'";
    }
}
