package io.hooksync.infra;

import java.util.Collection;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.common.Node;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

/** Kafka is UP when the cluster answers describeCluster within 3 s with at least one broker. */
final class KafkaHealthIndicator implements HealthIndicator {

    private static final int TIMEOUT_MS = 3_000;

    private final Admin admin;
    private final KafkaBackbone backbone;

    KafkaHealthIndicator(Admin admin, KafkaBackbone backbone) {
        this.admin = admin;
        this.backbone = backbone;
    }

    @Override
    public Health health() {
        Health.Builder health = Health.unknown()
                .withDetail("bootstrapServers", backbone.bootstrapServers())
                .withDetail("embedded", backbone.embedded());
        try {
            DescribeClusterResult cluster = admin.describeCluster(new DescribeClusterOptions().timeoutMs(TIMEOUT_MS));
            Collection<Node> nodes = cluster.nodes().get(TIMEOUT_MS + 500L, TimeUnit.MILLISECONDS);
            health.withDetail("nodes", nodes.size())
                    .withDetail("clusterId", cluster.clusterId().get(TIMEOUT_MS, TimeUnit.MILLISECONDS));
            return (nodes.isEmpty() ? health.down() : health.up()).build();
        } catch (ExecutionException e) {
            return health.down(e.getCause() == null ? e : e.getCause()).build();
        } catch (TimeoutException e) {
            return health.down().withDetail("error", "no answer within " + TIMEOUT_MS + " ms").build();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return health.down(e).build();
        }
    }
}
