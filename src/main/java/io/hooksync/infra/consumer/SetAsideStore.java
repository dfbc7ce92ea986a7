package io.hooksync.infra.consumer;

/** Where set-aside records are kept durably. A failure to save is an outage: the record is not set aside. */
public interface SetAsideStore {

    void save(SetAsideRecord record);
}
