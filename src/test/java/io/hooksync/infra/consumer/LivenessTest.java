package io.hooksync.infra.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.health.Status;

/** When the {@code consumers} health turns DOWN: a stuck loop, a gone thread; not a loop waiting out an outage. */
class LivenessTest {

    private Instant now = Instant.parse("2026-12-01T12:00:00Z");
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };
    private final ConsumerLoops loops = new ConsumerLoops(new ConsumerProperties(Duration.ofMillis(500),
            Duration.ofSeconds(30), 5, Duration.ofMinutes(2), Duration.ofDays(30)), null, clock);
    private final ConsumersHealth health = new ConsumersHealth(loops);

    private Liveness registered(Thread thread) {
        Liveness liveness = new Liveness("timeline", Duration.ofMinutes(2), clock);
        loops.register(liveness);
        liveness.started(thread);
        liveness.polled();
        liveness.running();
        return liveness;
    }

    @Test
    void aLoopThatPollsIsUpAndOneStuckBeyondItsBoundIsDown() {
        Liveness liveness = registered(Thread.currentThread());
        now = now.plusSeconds(119);
        assertThat(health.health().getStatus()).isEqualTo(Status.UP);
        now = now.plusSeconds(2);
        assertThat(health.health().getStatus()).isEqualTo(Status.DOWN);
        assertThat(liveness.details().get("problem")).asString().contains("no poll completed for 121 s");
    }

    @Test
    void aLoopBackingOffForAnOutageIsUpAndSaysSo() {
        Liveness liveness = registered(Thread.currentThread());
        liveness.backingOff(new java.sql.SQLException("refused", "08001"), Duration.ofSeconds(30));
        liveness.polled();
        assertThat(health.health().getStatus()).isEqualTo(Status.UP);
        assertThat(liveness.details()).containsEntry("state", "backing-off").containsEntry("backoffMillis", 30_000L);
    }

    @Test
    void aLoopWhoseThreadIsGoneIsDown() throws InterruptedException {
        Thread finished = new Thread(() -> { });
        finished.start();
        finished.join();
        registered(finished);
        assertThat(health.health().getStatus()).isEqualTo(Status.DOWN);
    }

    @Test
    void theBoundIsAtLeastFourLongestBackoffs() {
        assertThat(new ConsumerProperties(Duration.ofMillis(500), Duration.ofMinutes(1), 5, Duration.ofMinutes(2),
                Duration.ofDays(30)).staleAfter()).isEqualTo(Duration.ofMinutes(4));
        assertThat(new ConsumerProperties(Duration.ofMillis(500), Duration.ofSeconds(30), 5, Duration.ofMinutes(2),
                Duration.ofDays(30)).staleAfter()).isEqualTo(Duration.ofMinutes(2));
    }
}
