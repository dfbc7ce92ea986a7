-- Outbound delivery (MariaDB/MySQL): endpoints, the messages they are sent, one delivery per (endpoint, message), and
-- every attempt. Times of the delivery machinery are epoch milliseconds (bigint): the scheduler compares
-- them on every poll, they mean the same on every database and in every JVM time zone.

CREATE TABLE hooksync_endpoints (
    id                  varchar(64)   PRIMARY KEY,
    url                 varchar(2000) NOT NULL,
    description         varchar(500),
    event_types         mediumtext        NOT NULL,   -- JSON array of exact names and wildcards (issue.*, *)
    filter              text,                     -- JSONata on the message data; null = every message
    headers             mediumtext        NOT NULL,   -- JSON object of extra request headers
    secret              varchar(200)  NOT NULL,   -- whsec_...
    previous_secret     varchar(200),             -- still signs until previous_secret_until (rotation overlap)
    previous_secret_until bigint,
    enabled             boolean       NOT NULL,
    ordered             boolean       NOT NULL,   -- one delivery in flight per entity key, in message order
    disabled_reason     varchar(500),
    managed_by          varchar(20)   NOT NULL,   -- api | config
    failing_since       bigint,                   -- first failure after the last success; null = healthy
    created_at          bigint        NOT NULL,
    updated_at          bigint        NOT NULL
) CHARACTER SET utf8mb4;

CREATE TABLE hooksync_messages (
    id                  varchar(100)  PRIMARY KEY,   -- webhook-id, stable across retries (msg_<outbox id>)
    event_type          varchar(200)  NOT NULL,
    entity_key          varchar(500)  NOT NULL,
    payload             mediumtext        NOT NULL,      -- the message data (JSON)
    created_at          bigint        NOT NULL
) CHARACTER SET utf8mb4;
CREATE INDEX hooksync_messages_created ON hooksync_messages (created_at);

CREATE TABLE hooksync_deliveries (
    id                  bigint        NOT NULL AUTO_INCREMENT PRIMARY KEY,
    endpoint_id         varchar(64)   NOT NULL,
    message_id          varchar(100)  NOT NULL,
    entity_key          varchar(200)  NOT NULL,   -- the message's key (table:key): ordered endpoints serialise on it
    status              varchar(20)   NOT NULL,   -- pending | delivered | failed
    attempts            integer       NOT NULL,
    next_attempt_at     bigint        NOT NULL,
    locked_until        bigint        NOT NULL,   -- claimed by an instance until then (0 = free)
    locked_by           varchar(100),
    last_status_code    integer,
    last_error          varchar(500),
    created_at          bigint        NOT NULL,
    updated_at          bigint        NOT NULL,
    UNIQUE (endpoint_id, message_id)
) CHARACTER SET utf8mb4;
CREATE INDEX hooksync_deliveries_due ON hooksync_deliveries (endpoint_id, status, next_attempt_at);
CREATE INDEX hooksync_deliveries_key ON hooksync_deliveries (endpoint_id, entity_key, status, id);
CREATE INDEX hooksync_deliveries_pending ON hooksync_deliveries (status, next_attempt_at);

CREATE TABLE hooksync_attempts (
    id                  bigint        NOT NULL AUTO_INCREMENT PRIMARY KEY,
    endpoint_id         varchar(64)   NOT NULL,
    message_id          varchar(100)  NOT NULL,
    attempted_at        bigint        NOT NULL,
    outcome             varchar(20)   NOT NULL,   -- delivered | failed | refused (SSRF guard) | disabled (410)
    status_code         integer,
    latency_ms          integer       NOT NULL,
    response_body       varchar(2000),            -- truncated
    error               varchar(500)              -- exception class and message when there was no response
) CHARACTER SET utf8mb4;
CREATE INDEX hooksync_attempts_endpoint ON hooksync_attempts (endpoint_id, id);
CREATE INDEX hooksync_attempts_message ON hooksync_attempts (message_id);

-- Values the engine keeps for itself: message_id_prefix makes outbound message ids (webhook-id) unique
-- across installations and database resets, so a receiver deduplicating on them never drops a new message.
CREATE TABLE hooksync_settings (
    name                varchar(100)  PRIMARY KEY,
    value               varchar(500)  NOT NULL
) CHARACTER SET utf8mb4;
