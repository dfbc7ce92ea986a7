package io.hooksync.infra.consumer;

/** Where set-aside records are kept durably. A failure to save is an outage: the record is not set aside. */
public interface SetAsideStore {

    /**
     * Keeps the record; false when this consumer had set the same Kafka record (topic, partition, offset) aside
     * already (read again after a crash before its offset was committed) and nothing was added.
     */
    boolean save(SetAsideRecord record);
}
