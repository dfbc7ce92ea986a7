/**
 * The management plane: who may use the API, Hawtio and the actuator endpoints beyond health.
 * Webhook ingress stays open (it is verified by signatures).
 */
package io.hooksync.management;
