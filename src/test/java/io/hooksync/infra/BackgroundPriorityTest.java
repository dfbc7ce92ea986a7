package io.hooksync.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.jna.Platform;
import io.hooksync.support.KernelNice;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Background threads really run with a higher nice value, read back from the kernel; other threads keep theirs. */
class BackgroundPriorityTest {

    private int configured;
    private int base;

    @BeforeEach
    void linuxOnly() throws Exception {
        assumeTrue(Platform.isLinux(), "setpriority on a thread id is Linux's");
        configured = BackgroundPriority.nice();
        base = ownNice();
    }

    @AfterEach
    void restore() {
        BackgroundPriority.configure(configured);
    }

    @Test
    void aBackgroundThreadRunsWithTheConfiguredNiceValueAdded() throws Exception {
        BackgroundPriority.configure(7);

        assertThat(niceSeenBy(body -> BackgroundPriority.thread("test-background", body))).isEqualTo(Math.min(19, base + 7));
        assertThat(niceSeenBy(Thread::new)).as("a thread started plainly").isEqualTo(base);
        assertThat(ownNice()).as("the thread that started them").isEqualTo(base);
    }

    @Test
    void aPoolThreadIsLoweredOnceHoweverOftenItAsks() throws Exception {
        BackgroundPriority.configure(3);
        assertThat(niceSeenBy(body -> new Thread(() -> {
            BackgroundPriority.lowerCurrentThread();
            BackgroundPriority.lowerCurrentThread();
            body.run();
        }))).isEqualTo(Math.min(19, base + 3));
    }

    /** A background thread started by a background thread (a pool created lazily by one) is not lowered twice. */
    @Test
    void aBackgroundThreadStartedByABackgroundThreadGetsTheSameValue() throws Exception {
        BackgroundPriority.configure(5);
        AtomicInteger inner = new AtomicInteger(Integer.MIN_VALUE);
        assertThat(niceSeenBy(body -> BackgroundPriority.thread("test-outer", () -> {
            body.run();
            try {
                inner.set(niceSeenBy(innerBody -> BackgroundPriority.thread("test-inner", innerBody)));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }))).isEqualTo(Math.min(19, base + 5));
        assertThat(inner.get()).as("the thread the background thread started").isEqualTo(Math.min(19, base + 5));
    }

    @Test
    void zeroLeavesThreadsAsTheyAre() throws Exception {
        BackgroundPriority.configure(0);
        assertThat(niceSeenBy(body -> BackgroundPriority.thread("test-background", body))).isEqualTo(base);
    }

    @Test
    void aValueOutsideTheKernelsRangeIsRefused() {
        assertThatThrownBy(() -> BackgroundPriority.configure(20)).hasMessageContaining("hooksync.background-nice")
                .hasMessageContaining("between 0 and 19");
        assertThatThrownBy(() -> BackgroundPriority.configure(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    /** Starts the thread {@code start} makes around a body that reads its own nice value; returns what it read. */
    private static int niceSeenBy(Function<Runnable, Thread> start) throws Exception {
        AtomicInteger nice = new AtomicInteger(Integer.MIN_VALUE);
        Thread thread = start.apply(() -> {
            try {
                nice.set(ownNice());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        thread.start();
        thread.join(10_000);
        assertThat(nice.get()).as("the body ran").isNotEqualTo(Integer.MIN_VALUE);
        return nice.get();
    }

    private static int ownNice() throws Exception {
        return KernelNice.ofThisThread();
    }
}
