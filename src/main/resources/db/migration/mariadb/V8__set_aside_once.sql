-- A Kafka record is set aside once per consumer: a consumer that crashed after setting a record aside and before
-- committing its offset reads the record again after the restart and sets it aside again, which listed it twice.
-- Keep the first row of each (consumer, topic, partition, offset), then let the unique index refuse the repeat
-- (JdbcSetAsideStore inserts ignoring it). CDC changes (no partition: null is never equal) are not covered.
DELETE a FROM hooksync_set_aside a JOIN hooksync_set_aside b
    ON a.consumer = b.consumer AND a.topic = b.topic AND a.kafka_partition = b.kafka_partition
   AND a.kafka_offset = b.kafka_offset AND a.id > b.id;
CREATE UNIQUE INDEX hooksync_set_aside_once ON hooksync_set_aside (consumer, topic, kafka_partition, kafka_offset);
