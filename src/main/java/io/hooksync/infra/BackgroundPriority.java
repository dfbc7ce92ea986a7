package io.hooksync.infra;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accepting a webhook comes first: the threads that work through what was accepted (route consumers, the timeline,
 * the outbox relay, the delivery dispatcher, scheduler, senders and recorder, backfill) and the embedded PostgreSQL
 * run with a higher Linux nice value ({@code hooksync.background-nice}, default 10) than the ingress and the broker.
 * When the machine has CPU to spare this changes nothing; when it has not (a burst, the JIT's first minute after a
 * start), the kernel gives the ingress its share first and the background work catches up from Kafka afterwards,
 * instead of every sender waiting longer for its 202 (GitHub gives up after 10 s and does not retry).
 *
 * <p>Linux only ({@code setpriority(PRIO_PROCESS, tid, nice)} through JNA on the calling thread, whose id comes from
 * {@code /proc/thread-self}); anywhere else, or when the native call is refused, it does nothing and says so once.
 * Raising one's own nice value needs no privilege; it is never lowered again.
 */
public final class BackgroundPriority {

    private static final Logger log = LoggerFactory.getLogger(BackgroundPriority.class);
    private static final int PRIO_PROCESS = 0;
    private static final int MAX_NICE = 19;
    private static final ThreadLocal<Boolean> LOWERED = ThreadLocal.withInitial(() -> false);
    private static final AtomicBoolean WARNED = new AtomicBoolean();
    private static volatile int nice;

    private BackgroundPriority() {
    }

    /** Sets the nice value added to background threads started from now on; 0 leaves them as they are. */
    static void configure(int value) {
        nice = checked(value);
    }

    /** {@code value} if it is a nice value one can add (0 to 19), else the error naming the setting. */
    static int checked(int value) {
        if (value < 0 || value > MAX_NICE) {
            throw new IllegalArgumentException("hooksync.background-nice must be between 0 and " + MAX_NICE + " (was "
                    + value + ")");
        }
        return value;
    }

    /** The nice value background work gets added (0: none). */
    public static int nice() {
        return nice;
    }

    /** A daemon thread that lowers its own priority before it runs {@code body}. */
    public static Thread thread(String name, Runnable body) {
        Thread thread = new Thread(() -> {
            lowerCurrentThread();
            body.run();
        }, name);
        thread.setDaemon(true);
        return thread;
    }

    /**
     * Lowers the calling thread's priority to the JVM's (its main thread's) nice value plus {@link #nice()}, once per
     * thread (cheap to call at the start of every task of a pool whose threads are not Hooksync's own). A thread
     * created by a background thread starts with that value already (Linux threads inherit it) and keeps it: the
     * value is a level, not a step, so it is the same however deep the chain of creators.
     */
    public static void lowerCurrentThread() {
        int by = nice;
        if (by == 0 || LOWERED.get()) {
            return;
        }
        LOWERED.set(true);
        if (!Platform.isLinux()) {
            unavailable("not Linux");
            return;
        }
        long tid = currentThreadId();
        if (tid > 0) {
            raise(tid, ProcessHandle.current().pid(), by, Thread.currentThread().getName());
        }
    }

    /** Lowers the priority of {@code process} and of all its descendants by {@code by} (the embedded PostgreSQL). */
    public static void lowerProcessTree(ProcessHandle process, int by) {
        if (by == 0) {
            return;
        }
        Stream.concat(Stream.of(process), process.descendants())
                .forEach(p -> raise(p.pid(), p.pid(), by, "process " + p.pid()));
    }

    /** Sets the nice value of thread or process {@code id} to that of {@code base} plus {@code by}, unless it is there. */
    private static void raise(long id, long base, int by, String what) {
        if (!Platform.isLinux()) {
            unavailable("not Linux");
            return;
        }
        try {
            CLibrary c = CLibrary.INSTANCE;
            int who = Math.toIntExact(id);   // Linux ids fit pid_t
            int target = Math.min(MAX_NICE, c.getpriority(PRIO_PROCESS, Math.toIntExact(base)) + by);
            if (c.getpriority(PRIO_PROCESS, who) >= target) {
                return;
            }
            if (c.setpriority(PRIO_PROCESS, who, target) != 0) {
                unavailable("setpriority refused for " + what + " (errno " + Native.getLastError() + ")");
            }
        } catch (LinkageError | RuntimeException e) {
            unavailable(e.toString());
        }
    }

    /** This thread's kernel id, from {@code /proc/thread-self} (a link to {@code <pid>/task/<tid>}); -1 if unknown. */
    static long currentThreadId() {
        try {
            Path link = Files.readSymbolicLink(Path.of("/proc/thread-self"));
            return Long.parseLong(link.getFileName().toString());
        } catch (Exception e) {
            unavailable("no /proc/thread-self (" + e.getMessage() + ")");
            return -1;
        }
    }

    private static void unavailable(String why) {
        if (WARNED.compareAndSet(false, true)) {
            log.info("Background work runs at the same priority as the ingress: {}", why);
        }
    }

    /** glibc's getpriority/setpriority. */
    interface CLibrary extends Library {
        CLibrary INSTANCE = Native.load("c", CLibrary.class);

        int getpriority(int which, int who);

        int setpriority(int which, int who, int prio);
    }
}
