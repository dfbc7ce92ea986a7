/**
 * Change data capture: Debezium's embedded engine reads a database's changes (PostgreSQL logical
 * replication through pgoutput) and publishes each as a clean JSON envelope to the CDC source's own
 * Kafka topic, with a stable event id. From there the same {@code hooksync:events} consumers,
 * ledger, mappings and outbox apply as for webhooks. Setup is checked at startup; slot lag is a
 * health indicator.
 */
package io.hooksync.cdc;
