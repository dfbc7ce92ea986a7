package io.hooksync.infra.consumer;

import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

/**
 * {@code consumers} in /actuator/health: one entry per loop (state, last poll, last error, backoff).
 * DOWN when a loop's thread died or a loop completed no poll within its bound. A loop waiting out a
 * database or broker outage is UP with state {@code backing-off}: it is alive and will catch up by itself;
 * the database and Kafka indicators already report the outage, and a DOWN here would make an
 * orchestrator restart an engine that a restart cannot fix.
 */
final class ConsumersHealth implements HealthIndicator {

    private final ConsumerLoops loops;

    ConsumersHealth(ConsumerLoops loops) {
        this.loops = loops;
    }

    @Override
    public Health health() {
        Health.Builder builder = Health.up();
        for (Liveness liveness : loops.all()) {
            if (liveness.problem() != null) {
                builder.down();
            }
            builder.withDetail(liveness.name(), liveness.details());
        }
        return builder.build();
    }
}
