package io.hooksync.outbound;

import static io.hooksync.support.TestData.freePort;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import io.hooksync.HooksyncApplication;
import io.hooksync.support.Await;
import io.hooksync.support.Http;
import io.hooksync.support.Outbox;
import io.hooksync.support.Receiver;
import io.hooksync.support.TestData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * An endpoint's lane is claimed for again while claims still wait in it, not only once it ran dry: with one request
 * in flight, eight claims queued and the due deliveries looked up once a minute, 40 deliveries to a receiver
 * answering in 100 ms arrive in seconds. A lane refilled only when empty would get its first nine and then wait
 * for the next lookup, a minute later.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LaneRefillIT {

    private final Path data = TestData.directory("lane-refill");
    private final int httpPort = freePort();
    private ConfigurableApplicationContext engine;
    private Receiver receiver;

    @BeforeAll
    void start() {
        engine = new SpringApplicationBuilder(HooksyncApplication.class).run(
                Http.withAdminToken(TestData.outboundEngine(data, httpPort,
                "--hooksync.outbound.delivery.concurrency-per-endpoint=1",
                "--hooksync.outbound.delivery.queue-per-endpoint=8",
                "--hooksync.outbound.delivery.poll-interval=1m")));
    }

    @AfterAll
    void stop() {
        if (engine != null) {
            engine.close();
        }
        if (receiver != null) {
            receiver.close();
        }
        TestData.delete(data);
    }

    @Test
    void aLaneWithClaimsStillQueuedIsClaimedForAgain() throws Exception {
        receiver = new Receiver(i -> new Receiver.Reply(200, Map.of(), 100));
        Http.createEndpoint(httpPort, receiver.url(), "refill.tick");
        int messages = 40;
        for (int i = 0; i < messages; i++) {
            Outbox.emit(engine, "refill.tick", "r" + i, "{\"n\":" + i + "}");
        }
        // 4 s of answers one after the other; the next lookup of due deliveries would come after 60 s
        Await.until(Duration.ofSeconds(30), receiver::requests, r -> r.size() >= messages);
        assertThat(receiver.requests().stream().map(r -> r.header("webhook-id")).distinct()).hasSize(messages);
    }
}
