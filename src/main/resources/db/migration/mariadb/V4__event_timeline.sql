-- The event timeline (dashboard), MariaDB/MySQL: one row per accepted event record on a source topic, as the
-- ingress produced it. Pruned after hooksync.timeline.retention. Times are epoch milliseconds.
CREATE TABLE hooksync_timeline (
    id              bigint       AUTO_INCREMENT PRIMARY KEY,
    source          varchar(100) NOT NULL,
    event_id        varchar(256) NOT NULL,
    event_type      varchar(200),
    action          varchar(200),
    received_at     bigint       NOT NULL,   -- ce_time (when the ingress accepted it), else the record timestamp
    topic           varchar(255) NOT NULL,
    kafka_partition integer      NOT NULL,
    kafka_offset    bigint       NOT NULL,
    headers         mediumtext   NOT NULL,   -- JSON object of the record headers, secret-looking ones removed
    body            mediumtext   NOT NULL,   -- truncated to hooksync.timeline.max-body
    body_bytes      integer      NOT NULL,   -- size of the whole body
    UNIQUE (topic, kafka_partition, kafka_offset)   -- a re-read record is recorded once
);
CREATE INDEX hooksync_timeline_event ON hooksync_timeline (event_id, source);
CREATE INDEX hooksync_timeline_received ON hooksync_timeline (received_at);
CREATE INDEX hooksync_outbox_cause ON hooksync_outbox (source_event_id, source);
