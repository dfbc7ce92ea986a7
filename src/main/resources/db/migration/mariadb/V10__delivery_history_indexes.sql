-- Delivery history is pruned every minute (HistoryPruner: finished deliveries, attempts and messages older than
-- outbound.retention); without an index on the columns it asks about, each pass read the whole history (see the
-- PostgreSQL migration of the same version). MariaDB has no partial indexes: finished deliveries are found by
-- (status, updated_at), which replaces (status, next_attempt_at) (no query left for it). The unique key leads with the
-- message, so one message's deliveries (the event timeline, the pruner's check that a message has none left) are a
-- lookup; resend and INSERT IGNORE use both columns. An unnamed UNIQUE key is named after its first column.
ALTER TABLE hooksync_deliveries DROP INDEX endpoint_id,
    ADD UNIQUE INDEX hooksync_deliveries_message_endpoint (message_id, endpoint_id);
DROP INDEX hooksync_deliveries_pending ON hooksync_deliveries;
CREATE INDEX hooksync_deliveries_finished ON hooksync_deliveries (status, updated_at);
CREATE INDEX hooksync_attempts_attempted ON hooksync_attempts (attempted_at);
