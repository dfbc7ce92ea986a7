/**
 * The consumer-loop building block every Kafka consumer outside the sink uses: {@link
 * io.hooksync.infra.consumer.ConsumerLoop} polls, hands the records to a processor, commits after success,
 * seeks back and backs off on failure, and sets aside a record that cannot be handled ({@link
 * io.hooksync.infra.consumer.SetAside}: counted, logged once, stored in {@code hooksync_set_aside}) so no
 * record stalls a consumer. {@link io.hooksync.infra.consumer.Failures} tells an outage (wait, keep
 * everything) from a record's fault (set it aside); the sink shares it. Each loop reports its liveness to
 * the {@code consumers} health indicator.
 */
package io.hooksync.infra.consumer;
