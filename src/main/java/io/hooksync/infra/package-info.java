/**
 * Infrastructure shared by all features: where Kafka is ({@link io.hooksync.infra.KafkaBackbone}),
 * the Camel Kafka component wiring, health indicators, the data directory and the bounds every JSONata
 * evaluation runs within ({@link io.hooksync.infra.ExpressionBounds}).
 */
package io.hooksync.infra;
