/**
 * Ingress: {@code POST /webhooks/{source}}: a servlet filter that bounds every request under the ingress path and
 * reads bodies without blocking, then the Camel route {@code ingress}. Turns an unverified request
 * (raw bytes and headers) into a verified event in one step, and answers 202 only after Kafka
 * acknowledged the record (acks=all). Every rejection is an RFC 9457 problem and a metric.
 */
package io.hooksync.ingress;
