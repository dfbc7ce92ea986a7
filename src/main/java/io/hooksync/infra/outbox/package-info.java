/**
 * The outbox: {@link io.hooksync.infra.outbox.OutboxWriter} is the one class that inserts {@code
 * hooksync_outbox} rows, in the caller's transaction (the sink's batch, the deliverer's results); the
 * outbound relay reads them. {@code ModularityTest.onlyTheOutboxWriterInsertsOutboxRows} keeps it so.
 */
package io.hooksync.infra.outbox;
