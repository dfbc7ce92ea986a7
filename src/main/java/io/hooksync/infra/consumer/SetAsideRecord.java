package io.hooksync.infra.consumer;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * What is kept of a record that was set aside: where it was (Kafka topic, partition and offset, or for
 * a change captured from a database its source position), an excerpt of its key and value, and the
 * error. Every text is cut to its column's size and cleaned of control characters, so a huge or binary
 * record costs a few hundred bytes.
 */
public record SetAsideRecord(String consumer, String topic, Integer partition, Long offset, String position,
                             String key, String valueExcerpt, int valueBytes, String error, long at) {

    static final int TOPIC = 255;
    static final int POSITION = 500;
    static final int KEY = 200;
    static final int VALUE = 500;
    static final int ERROR = 2000;

    public SetAsideRecord {
        consumer = Excerpts.cut(consumer, 100);
        topic = Excerpts.cut(topic, TOPIC);
        position = Excerpts.cut(position, POSITION);
        key = Excerpts.cut(key, KEY);
        valueExcerpt = Excerpts.cut(valueExcerpt, VALUE);
        error = Excerpts.cut(error, ERROR);
    }

    /** A Kafka record. */
    public static SetAsideRecord of(String consumer, ConsumerRecord<byte[], byte[]> record, Throwable error, long at) {
        return new SetAsideRecord(consumer, record.topic(), record.partition(), record.offset(), null,
                Excerpts.text(record.key(), KEY), Excerpts.text(record.value(), VALUE), length(record.value()),
                Excerpts.describe(error), at);
    }

    /** A change that never reached Kafka: {@code topic} names where it came from, {@code position} where in its log. */
    public static SetAsideRecord ofChange(String consumer, String topic, String position, byte[] key, byte[] value,
                                          Throwable error, long at) {
        return new SetAsideRecord(consumer, topic, null, null, position, Excerpts.text(key, KEY),
                Excerpts.text(value, VALUE), length(value), Excerpts.describe(error), at);
    }

    /** {@code topic/partition@offset}, or {@code topic@position}. */
    public String where() {
        return partition == null ? topic + "@" + position : topic + "/" + partition + "@" + offset;
    }

    private static int length(byte[] value) {
        return value == null ? 0 : value.length;
    }

    /** Bounded, printable excerpts. */
    static final class Excerpts {

        private Excerpts() {
        }

        static String text(byte[] bytes, int maxChars) {
            if (bytes == null) {
                return null;
            }
            // decode no more than a character can take (4 bytes), so a 100 MB value costs nothing
            int length = (int) Math.min(bytes.length, 4L * maxChars);
            return cut(new String(bytes, 0, length, StandardCharsets.UTF_8), maxChars);
        }

        /**
         * At most {@code maxChars} code points (the last one an ellipsis when cut), never a split pair;
         * line breaks and tabs become spaces and other control characters (NUL included) U+FFFD, so an
         * excerpt can forge no log line and every database takes it.
         */
        static String cut(String text, int maxChars) {
            if (text == null) {
                return null;
            }
            int total = text.codePointCount(0, text.length());
            int keep = total <= maxChars ? total : maxChars - 1;
            StringBuilder out = new StringBuilder();
            text.codePoints().limit(keep).forEach(cp -> out.appendCodePoint(!Character.isISOControl(cp) ? cp
                    : Character.isWhitespace(cp) ? ' ' : '\uFFFD'));
            if (keep < total) {
                out.append('\u2026');
            }
            return out.toString();
        }

        /**
         * The failure and, when different, its root cause, and the SQLState if any:
         * {@code Type: message; caused by Root: message [SQLState 22001]}.
         */
        static String describe(Throwable error) {
            if (error == null) {
                return "unknown";
            }
            Throwable root = error;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            String top = error.getClass().getSimpleName() + ": " + error.getMessage();
            String described = root == error ? top
                    : top + "; caused by " + root.getClass().getSimpleName() + ": " + root.getMessage();
            for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
                if (t instanceof java.sql.SQLException sql && sql.getSQLState() != null) {
                    return described + " [SQLState " + sql.getSQLState() + "]";
                }
            }
            return described;
        }
    }
}
