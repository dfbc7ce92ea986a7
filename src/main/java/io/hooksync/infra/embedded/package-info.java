/**
 * Embedded mode: a KRaft Kafka broker inside the JVM and a PostgreSQL server started from
 * Maven-shipped binaries, both keeping their data under the data directory. Active only when no
 * external Kafka or datasource is configured.
 */
package io.hooksync.infra.embedded;
