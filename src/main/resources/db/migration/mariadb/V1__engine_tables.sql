-- Hooksync engine tables (MariaDB/MySQL). Target tables are created from mapping files, not here.

CREATE TABLE hooksync_ledger (
    consumer        varchar(200) NOT NULL,
    source          varchar(100) NOT NULL,
    event_id        varchar(256) NOT NULL,
    outcome         varchar(20)  NOT NULL,
    row_count       integer      NOT NULL,
    topic           varchar(255),
    kafka_partition integer,
    kafka_offset    bigint,
    processed_at    datetime(6)  NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    PRIMARY KEY (event_id, source, consumer),
    INDEX hooksync_ledger_processed_at (processed_at)
) CHARACTER SET utf8mb4;

CREATE TABLE hooksync_dead_letters (
    id              bigint       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    consumer        varchar(200) NOT NULL,
    source          varchar(100) NOT NULL,
    event_id        varchar(256) NOT NULL,
    event_type      varchar(200),
    mapping         varchar(200),
    error           text         NOT NULL,
    payload         longtext     NOT NULL,
    headers         text         NOT NULL,
    record_key      text,
    topic           varchar(255) NOT NULL,
    kafka_partition integer      NOT NULL,
    kafka_offset    bigint       NOT NULL,
    attempts        integer      NOT NULL,
    created_at      datetime(6)  NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    replayed_at     datetime(6),
    replay_count    integer      NOT NULL DEFAULT 0,
    INDEX hooksync_dead_letters_open (replayed_at, created_at)
) CHARACTER SET utf8mb4;

CREATE TABLE hooksync_outbox (
    id              bigint       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    event_type      varchar(200) NOT NULL,
    entity_key      varchar(500) NOT NULL,
    payload         longtext     NOT NULL,
    source          varchar(100) NOT NULL,
    source_event_id varchar(256) NOT NULL,
    created_at      datetime(6)  NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    relayed_at      datetime(6),
    INDEX hooksync_outbox_pending (relayed_at, id)
) CHARACTER SET utf8mb4;
