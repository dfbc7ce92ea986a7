package io.hooksync.sink;

import java.util.Map;

/**
 * One Kafka record of a source topic as the sink sees it: CloudEvents header values, where it was
 * read from (for the ledger, dead letters and replay) and the payload bytes exactly as accepted.
 */
public record InboundEvent(String source, String id, String type, String action, byte[] key, String topic,
                           int partition, long offset, String receivedAt, Map<String, String> headers,
                           byte[] payload) {
}
