-- The timeline no longer copies event bodies: a receipt's body is read from its event topic (topic, partition,
-- offset) when one event is opened. Rows written before keep theirs.
ALTER TABLE hooksync_timeline ALTER COLUMN body DROP NOT NULL;
