/**
 * Infrastructure shared by all features: where Kafka is ({@link io.hooksync.infra.KafkaBackbone}),
 * the Camel Kafka component wiring, health indicators and the data directory.
 */
package io.hooksync.infra;
