-- The relay used to find its work in the outbox itself (relayed_at IS NULL) and mark each row relayed: an UPDATE that
-- rewrote the whole row, payload included, and, because relayed_at was indexed, every index entry of it. That was the
-- biggest database statement of a drain (docs/benchmarks.md, issue 15, fourteenth session). Now the outbox is written
-- once and never updated: the rows still to relay are listed in a narrow queue table, written with them in the same
-- statement (OutboxWriter), and the relay deletes its batch from there in the transaction that publishes it.
--
-- No foreign key: the pruner never deletes a queued row (NOT EXISTS), and a key would add a lookup per row to the
-- sink's batch. No trigger either: on MariaDB with a binary log, creating one needs SUPER, which an engine's database
-- user should not need; both databases queue rows the same way, in OutboxWriter.
CREATE TABLE hooksync_outbox_queue (
    outbox_id bigint PRIMARY KEY
);

-- The rows not relayed yet. Stop every instance of an older version before this one starts: an older instance
-- would write rows without their queue entry. So that it cannot do so silently, every row now names the writer's
-- version, with no default: an older instance's insert, which does not name it, is refused (its sink sets the events
-- aside as dead letters, to be replayed once it is upgraded) instead of writing a row no relay would publish.
INSERT INTO hooksync_outbox_queue (outbox_id) SELECT id FROM hooksync_outbox WHERE relayed_at IS NULL;

-- The pruner now asks for rows created before the cutoff and no longer queued; the timeline says "relayed" when a row
-- is not queued. relayed_at and its two indexes have no reader left.
DROP INDEX hooksync_outbox_unrelayed;
DROP INDEX hooksync_outbox_pending;
ALTER TABLE hooksync_outbox DROP COLUMN relayed_at;
CREATE INDEX hooksync_outbox_created ON hooksync_outbox (created_at);
ALTER TABLE hooksync_outbox ADD COLUMN writer_version smallint NOT NULL DEFAULT 1;   -- the rows before: 1
ALTER TABLE hooksync_outbox ALTER COLUMN writer_version DROP DEFAULT;
