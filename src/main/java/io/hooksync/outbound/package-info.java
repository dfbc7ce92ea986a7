/**
 * Outbound: outbox rows (written by the sink in the same transaction as the rows they describe) are
 * relayed to the {@code hooksync.outbound} Kafka topic. Delivery to webhook endpoints builds on it.
 */
package io.hooksync.outbound;
