package io.hooksync.infra.embedded;

import java.nio.file.Path;

/** Child-JVM fixture: starts the broker on a data dir, writes one record, prints READY and waits to be killed. */
public final class KilledKafkaMain {

    private KilledKafkaMain() {
    }

    public static void main(String[] args) throws Exception {
        TestLogs.quiet();
        EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(Path.of(args[0]), 0, 0, 1).start();
        EmbeddedKafkaBrokerIT.produce(broker.bootstrapServers(), "before-kill", "written before SIGKILL");
        System.out.println("READY " + broker.clusterId());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
