-- Delivery history is pruned every minute (HistoryPruner: finished deliveries, attempts and messages older than
-- outbound.retention). Without an index on the columns it asks about, each pass read the whole history: at 1,000
-- webhooks/s, three minutes in, 320 ms per table per pass on the delivery recorder's thread, while results waited,
-- and growing with the 14 days of history (docs/benchmarks.md, issue 15, eleventh session).
--
-- Only pending deliveries are ever looked up by endpoint and due time (claims, due endpoints) or by entity key (ordered
-- endpoints): those indexes now hold the pending rows only, so a delivery leaves them when it is delivered or fails for
-- good, and its result no longer adds an entry to each of them (a result's update changes the status, so it is never a
-- HOT update). Finished deliveries are found by when they finished (the pruner), failed ones by endpoint and creation
-- (recover). The unique key leads with the message: one message's deliveries (the event timeline, the pruner's check
-- that a message has none left) are a lookup instead of a scan; resend and the dispatcher's ON CONFLICT use both columns.
-- hooksync_deliveries_pending (status, next_attempt_at) had no query left.
ALTER TABLE hooksync_deliveries DROP CONSTRAINT hooksync_deliveries_endpoint_id_message_id_key;
ALTER TABLE hooksync_deliveries ADD CONSTRAINT hooksync_deliveries_message_endpoint UNIQUE (message_id, endpoint_id);
DROP INDEX hooksync_deliveries_due;
DROP INDEX hooksync_deliveries_key;
DROP INDEX hooksync_deliveries_pending;
CREATE INDEX hooksync_deliveries_due ON hooksync_deliveries (endpoint_id, next_attempt_at, id) WHERE status = 'pending';
CREATE INDEX hooksync_deliveries_key ON hooksync_deliveries (endpoint_id, entity_key, id) WHERE status = 'pending';
CREATE INDEX hooksync_deliveries_finished ON hooksync_deliveries (updated_at) WHERE status <> 'pending';
CREATE INDEX hooksync_deliveries_failed ON hooksync_deliveries (endpoint_id, created_at) WHERE status = 'failed';
CREATE INDEX hooksync_attempts_attempted ON hooksync_attempts (attempted_at);
