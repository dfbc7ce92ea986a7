package io.hooksync.ingress;

import java.time.Instant;

/**
 * A webhook whose signature, size and JSON were checked: the only thing the ingress writes to Kafka.
 * Made only by {@link WebhookGate#admit}, so nothing downstream can hold an unverified payload.
 * {@code body} is the JSON exactly as signed (for GitHub's form encoding, the decoded {@code payload} field).
 */
record VerifiedEvent(Source source, String id, String type, String action, String key, Instant receivedAt,
                     byte[] body) {
}
