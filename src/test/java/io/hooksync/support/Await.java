package io.hooksync.support;

import java.time.Duration;
import java.util.function.Supplier;

/** Polls a condition until it holds or a deadline passes (tests wait for asynchronous consumers). */
public final class Await {

    private Await() {
    }

    public static <T> T until(Duration timeout, Supplier<T> value, java.util.function.Predicate<T> done) {
        long deadline = System.nanoTime() + timeout.toNanos();
        T last = value.get();
        while (!done.test(last)) {
            if (System.nanoTime() > deadline) {
                dumpEngineThreads();
                throw new AssertionError("condition not met within " + timeout + "; last value: " + last);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted");
            }
            last = value.get();
        }
        return last;
    }

    /** What the engine's own threads were doing when a wait timed out: the first clue to a stalled consumer. */
    private static void dumpEngineThreads() {
        StringBuilder dump = new StringBuilder("Await timed out; engine threads:\n");
        Thread.getAllStackTraces().forEach((thread, stack) -> {
            if (thread.getName().startsWith("hooksync-")) {
                dump.append('"').append(thread.getName()).append("\" ").append(thread.getState()).append('\n');
                for (StackTraceElement frame : stack) {
                    dump.append("    at ").append(frame).append('\n');
                }
            }
        });
        System.err.print(dump);
    }
}
