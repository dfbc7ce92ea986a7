/**
 * The sink: the {@code hooksync:} Camel component. {@code hooksync:events} consumes a source's Kafka
 * topic in batches; {@code hooksync:upsert} applies a batch through a mapping in one database
 * transaction (ledger + version-guarded upserts + outbox), after which the consumer commits offsets.
 * Poison events go to dead letters; database outages pause the consumer behind a circuit breaker.
 */
package io.hooksync.sink;
