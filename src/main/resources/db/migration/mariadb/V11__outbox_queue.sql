-- The outbox is written once and never updated: the rows still to relay are listed in a narrow queue table, written
-- with them (OutboxWriter), and the relay deletes its batch from there in the transaction that publishes it, where it
-- used to rewrite each outbox row to mark it relayed. See the PostgreSQL migration of the same version for the reasons.
CREATE TABLE hooksync_outbox_queue (
    outbox_id bigint NOT NULL PRIMARY KEY
);

-- The rows not relayed yet. Stop every instance of an older version before this one starts: an older instance
-- would write rows without their queue entry. So that it cannot do so silently, every row now names the writer's
-- version, with no default: an older instance's insert, which does not name it, is refused (its sink sets the events
-- aside as dead letters, to be replayed once it is upgraded) instead of writing a row no relay would publish.
INSERT INTO hooksync_outbox_queue (outbox_id) SELECT id FROM hooksync_outbox WHERE relayed_at IS NULL;

DROP INDEX hooksync_outbox_pending ON hooksync_outbox;
ALTER TABLE hooksync_outbox DROP COLUMN relayed_at;
CREATE INDEX hooksync_outbox_created ON hooksync_outbox (created_at);
-- (refused in MariaDB's default strict mode; a server without STRICT_TRANS_TABLES would store 0 with a warning)
ALTER TABLE hooksync_outbox ADD COLUMN writer_version smallint NOT NULL DEFAULT 1;   -- the rows before: 1
ALTER TABLE hooksync_outbox ALTER COLUMN writer_version DROP DEFAULT;
