package io.hooksync.infra.consumer;

import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Handles records for a {@link ConsumerLoop}: returns normally when all of them took effect, throws
 * when none did (a failed batch must leave no partial effect, e.g. one transaction; a loop in
 * {@link LoopSpec.Mode#RECORDS} mode passes one record at a time). Records arrive in partition order.
 */
@FunctionalInterface
public interface RecordProcessor {

    void process(List<ConsumerRecord<byte[], byte[]>> records) throws Exception;
}
