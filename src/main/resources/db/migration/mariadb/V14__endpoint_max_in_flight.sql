-- An endpoint's own maximum of requests in flight (the API's maxInFlight, max-in-flight in configuration), for a
-- receiver that must never see more at once than it can take. NULL: the engine's
-- hooksync.outbound.delivery.concurrency-per-endpoint. docs/architecture.md, "Adaptive limit per endpoint".
ALTER TABLE hooksync_endpoints ADD COLUMN max_in_flight integer NULL;
