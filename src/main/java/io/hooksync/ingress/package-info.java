/**
 * Ingress: {@code POST /webhooks/{source}} through Camel Platform HTTP. Turns an unverified request
 * (raw bytes and headers) into a verified event in one step, and answers 202 only after Kafka
 * acknowledged the record (acks=all). Every rejection is an RFC 9457 problem and a metric.
 */
package io.hooksync.ingress;
