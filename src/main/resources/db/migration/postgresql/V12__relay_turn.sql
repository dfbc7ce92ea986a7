-- The outbox relay's turn: one row, locked (FOR UPDATE SKIP LOCKED) by the transaction that relays a batch, so the
-- instances of an installation relay one at a time. Two relays side by side each took the queue's next batch and
-- published an entity's later rows while its earlier ones still waited for their acknowledgement: per-entity order on
-- the outbound topic, which ordered endpoints rely on, broke as soon as a second instance ran (OutboxRelay.TURN).
CREATE TABLE hooksync_relay_turn (
    id integer NOT NULL PRIMARY KEY
);
INSERT INTO hooksync_relay_turn (id) VALUES (1);
