/**
 * Backfill: replays a route's history from Kafka through its current mapping. A preview writes into a shadow
 * table and reports the difference with the real table; an apply writes the real table through the version
 * guard, resumable, without outbound events unless asked. Reads by direct partition assignment, never through
 * the route's consumer group. Talks to the sink only through {@link io.hooksync.sink.ReplaySink}.
 */
package io.hooksync.backfill;
