/**
 * The event timeline: a background Kafka consumer records every accepted event (group
 * {@code hooksync.timeline}), and the API joins it with what happened next (ledger rows per route,
 * dead letters, outbox rows, outbound messages, deliveries and attempts) by reading those features'
 * tables with SQL. It changes nothing it does not own, except pruning old delivery attempts.
 */
package io.hooksync.timeline;
