-- Backfill replays (issue 13): one row per preview or apply of a route's history, with its progress and, for a
-- preview, the difference it found. Written by io.hooksync.backfill. Times are epoch milliseconds.
CREATE TABLE hooksync_replays (
    id              varchar(40)   PRIMARY KEY,
    route_id        varchar(200)  NOT NULL,
    active_route    varchar(200)  UNIQUE,           -- the route while queued or running, else null: one at a time
    mode            varchar(10)   NOT NULL,         -- preview | apply
    start_spec      varchar(40)   NOT NULL,         -- beginning, or an ISO-8601 instant
    emit            boolean       NOT NULL,         -- apply: changed rows also write outbox rows
    mapping         varchar(200)  NOT NULL,
    target_table    varchar(200)  NOT NULL,         -- the real table, or the preview's shadow table
    state           varchar(20)   NOT NULL,         -- queued | running | succeeded | failed | cancelled
    cancel_requested boolean      NOT NULL,
    owner           varchar(100),                   -- the instance running it
    lease_until     bigint        NOT NULL,         -- another instance may take it over after this
    events_total    bigint        NOT NULL,
    events_read     bigint        NOT NULL,
    rows_written    bigint        NOT NULL,
    rows_unchanged  bigint        NOT NULL,
    rows_deleted    bigint        NOT NULL,
    mapping_errors  bigint        NOT NULL,
    error           varchar(2000),
    result          text,                           -- preview: the difference as JSON
    created_at      bigint        NOT NULL,
    started_at      bigint,
    finished_at     bigint
);
CREATE INDEX hooksync_replays_route ON hooksync_replays (route_id, created_at);

-- Per partition where a replay stands: resumed from here after a restart, done at end_offset.
CREATE TABLE hooksync_replay_offsets (
    replay_id       varchar(40)   NOT NULL,
    kafka_partition integer       NOT NULL,
    next_offset     bigint        NOT NULL,
    end_offset      bigint        NOT NULL,
    PRIMARY KEY (replay_id, kafka_partition)
);
