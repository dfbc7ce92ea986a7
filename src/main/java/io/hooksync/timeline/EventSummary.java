package io.hooksync.timeline;

/**
 * One accepted event in the list and the live stream: where it came from and landed, and its status (received: no
 * route has it yet or none subscribes; processed: a route's ledger has it; dead_letter: an open dead letter).
 */
record EventSummary(long id, String source, String eventId, String type, String action, String receivedAt,
                    String topic, int partition, long offset, int bodyBytes, String status) {
}
