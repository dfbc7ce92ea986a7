/**
 * The event envelope, the contract between the features that put events on Kafka (ingress, CDC, the
 * outbox relay) and those that read them (the sink, the timeline, the dispatcher, {@code
 * hooksync-messages} routes): the record header names ({@code ce_*} of the CloudEvents Kafka binding in
 * binary mode, plus Hooksync's {@code hooksync_action} and {@code hooksync_cause_id}), how they are
 * written ({@link io.hooksync.infra.envelope.EventEnvelope#writeTo}) and read ({@link
 * io.hooksync.infra.envelope.EventEnvelope#read}), and the event-type pattern language routes and
 * endpoints subscribe with ({@link io.hooksync.infra.envelope.EventTypePatterns}). No other class names a
 * header ({@code ModularityTest.onlyTheEnvelopeNamesEventHeaders}).
 */
package io.hooksync.infra.envelope;
