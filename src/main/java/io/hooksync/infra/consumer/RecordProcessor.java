package io.hooksync.infra.consumer;

import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Handles records for a {@link ConsumerLoop}: returns normally when all of them took effect, throws
 * otherwise. A failed call is repeated (after an outage) or split into single records (to find one at
 * fault), so what it did before failing must be undone (one transaction) or harmless to repeat
 * (idempotent writes); a loop in {@link LoopSpec.Mode#RECORDS} mode passes one record at a time.
 * Records arrive in partition order. Throw {@link RecordRejectedException} for a record that can never
 * be handled.
 */
@FunctionalInterface
public interface RecordProcessor {

    void process(List<ConsumerRecord<byte[], byte[]>> records) throws Exception;
}
