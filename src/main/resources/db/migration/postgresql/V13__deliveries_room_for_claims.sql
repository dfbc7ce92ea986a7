-- Room on each page of hooksync_deliveries for the claim's new row version (PostgreSQL only; InnoDB updates in place).
-- A delivery is inserted by the dispatcher, claimed (locked_until, locked_by) and finished (status, times) by its
-- result. The claim changes no indexed column and so can be a heap-only-tuple (HOT) update, which adds no index entry,
-- but only when the new version fits on the row's own page; the dispatcher's batches filled every page, and in a
-- 1,000 webhooks/s run 15% of the table's updates were HOT: a claim added an entry to the primary key, the unique key
-- and both pending indexes (the ones every claim and due-endpoints probe walks), which then waited for vacuum.
-- Pages written from now on keep half their space free for later versions of their rows; existing pages keep theirs
-- until they are rewritten (no table rewrite here). docs/architecture.md, "Delivery indexes"; docs/benchmarks.md.
ALTER TABLE hooksync_deliveries SET (fillfactor = 50);
