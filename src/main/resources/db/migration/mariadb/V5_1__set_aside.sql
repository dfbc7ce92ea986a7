-- Records a consumer could not handle and set aside so it could go on (issue: no record stalls a consumer).
-- Written by io.hooksync.infra.consumer.SetAside, read by the dashboard and GET /api/set-aside. Only excerpts:
-- the record itself stays on its topic (Kafka) or in the source database's log (CDC). Epoch milliseconds.
CREATE TABLE hooksync_set_aside (
    id              bigint        AUTO_INCREMENT PRIMARY KEY,
    consumer        varchar(100)  NOT NULL,   -- e.g. timeline, delivery-dispatcher, messages-<route>, cdc-<source>
    topic           varchar(255)  NOT NULL,   -- Kafka topic, or for CDC the captured table's Debezium topic
    kafka_partition integer,                  -- null for a CDC change that never reached Kafka
    kafka_offset    bigint,
    source_position varchar(500),             -- CDC: the change's place in the source log
    record_key      varchar(200),             -- excerpt
    value_excerpt   varchar(500),             -- the first characters of the value
    value_bytes     integer       NOT NULL,   -- size of the whole value
    error           varchar(2000) NOT NULL,
    set_aside_at    bigint        NOT NULL
);
CREATE INDEX hooksync_set_aside_at ON hooksync_set_aside (set_aside_at);
