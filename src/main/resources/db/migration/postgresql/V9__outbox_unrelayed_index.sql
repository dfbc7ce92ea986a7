-- The outbox relay asks for the oldest rows not relayed yet (WHERE relayed_at IS NULL ORDER BY id LIMIT n). Relayed
-- rows stay (the timeline shows what an event emitted) until the history pruner removes them, so the table holds
-- mostly relayed rows. With statistics taken while more rows were pending (any burst), PostgreSQL walked the primary
-- key from the first row ever written and filtered out every relayed one: 700 ms per relay batch with 200,000 rows
-- (docs/benchmarks.md, issue 15), growing with the history. This index holds the pending rows only, in id order: the
-- relay reads its batch and nothing else, whatever the statistics say. hooksync_outbox_pending (relayed_at, id) stays
-- for the pruner. MariaDB needs no such index: it reads IS NULL on (relayed_at, id) as a lookup ordered by id.
CREATE INDEX hooksync_outbox_unrelayed ON hooksync_outbox (id) WHERE relayed_at IS NULL;
