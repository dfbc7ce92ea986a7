-- When each route identity (a route id, or the id a renamed route continues) was first deployed: a new route
-- without committed offsets starts at the first event accepted from then on (start=now). Written once by
-- io.hooksync.sink.RouteStarts, never updated. Epoch milliseconds.
CREATE TABLE hooksync_route_starts (
    ledger_id     varchar(63) PRIMARY KEY,
    first_seen_at bigint      NOT NULL
);
