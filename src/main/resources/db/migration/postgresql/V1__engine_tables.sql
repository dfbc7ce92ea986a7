-- Hooksync engine tables. Target tables are created from mapping files, not here.

-- One row per (consumer route, source, event id) applied: the dedupe ledger of the sink.
CREATE TABLE hooksync_ledger (
    consumer        varchar(200) NOT NULL,
    source          varchar(100) NOT NULL,
    event_id        varchar(256) NOT NULL,
    outcome         varchar(20)  NOT NULL,   -- applied | stale | filtered | deleted
    row_count       integer      NOT NULL,
    topic           varchar(255),
    kafka_partition integer,
    kafka_offset    bigint,
    processed_at    timestamptz  NOT NULL DEFAULT now(),
    PRIMARY KEY (event_id, source, consumer)   -- event_id first: the IN-list lookup is an index condition even before ANALYZE
);
CREATE INDEX hooksync_ledger_processed_at ON hooksync_ledger (processed_at);

-- Events a route could not apply after bounded retries, with everything needed to replay them.
CREATE TABLE hooksync_dead_letters (
    id              bigserial    PRIMARY KEY,
    consumer        varchar(200) NOT NULL,
    source          varchar(100) NOT NULL,
    event_id        varchar(256) NOT NULL,
    event_type      varchar(200),
    mapping         varchar(200),
    error           text         NOT NULL,
    payload         text         NOT NULL,
    headers         text         NOT NULL,   -- JSON object of the Kafka record headers
    record_key      text,
    topic           varchar(255) NOT NULL,
    kafka_partition integer      NOT NULL,
    kafka_offset    bigint       NOT NULL,
    attempts        integer      NOT NULL,
    created_at      timestamptz  NOT NULL DEFAULT now(),
    replayed_at     timestamptz,
    replay_count    integer      NOT NULL DEFAULT 0
);
CREATE INDEX hooksync_dead_letters_open ON hooksync_dead_letters (replayed_at, created_at);

-- Outbound events written in the same transaction as the rows they describe.
CREATE TABLE hooksync_outbox (
    id              bigserial    PRIMARY KEY,
    event_type      varchar(200) NOT NULL,
    entity_key      varchar(500) NOT NULL,
    payload         text         NOT NULL,
    source          varchar(100) NOT NULL,
    source_event_id varchar(256) NOT NULL,
    created_at      timestamptz  NOT NULL DEFAULT now(),
    relayed_at      timestamptz
);
CREATE INDEX hooksync_outbox_pending ON hooksync_outbox (relayed_at, id);
