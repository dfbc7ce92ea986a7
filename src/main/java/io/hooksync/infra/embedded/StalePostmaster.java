package io.hooksync.infra.embedded;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops a PostgreSQL server left running on a data directory by an earlier JVM that was killed: without
 * this, the next start would silently attach to the leftover server.
 */
final class StalePostmaster {

    private static final Logger log = LoggerFactory.getLogger(StalePostmaster.class);
    private static final Duration FAST_SHUTDOWN_WAIT = Duration.ofSeconds(15);
    private static final Duration KILL_WAIT = Duration.ofSeconds(5);

    private StalePostmaster() {
    }

    /** If {@code pgData/postmaster.pid} names a live postgres process, stops it (SIGINT, then SIGKILL). */
    static void stopIfRunning(Path pgData) throws IOException {
        Path pidFile = pgData.resolve("postmaster.pid");
        OptionalLong pid = readPid(pidFile);
        if (pid.isEmpty()) {
            return;
        }
        Optional<ProcessHandle> process = ProcessHandle.of(pid.getAsLong()).filter(StalePostmaster::running);
        if (process.isEmpty()) {
            return; // postgres removes a lock file whose process is gone
        }
        Optional<String> command = process.get().info().command();
        if (command.isPresent() && !command.get().contains("postgres")) {
            log.warn("Removing {}: its pid {} now belongs to {}", pidFile, pid.getAsLong(), command.get());
            Files.deleteIfExists(pidFile);
            return;
        }
        String how = stop(process.get());
        log.warn("Stopped a PostgreSQL server (pid {}) left running on {} by an earlier run ({})",
                pid.getAsLong(), pgData, how);
    }

    private static String stop(ProcessHandle postmaster) {
        List<ProcessHandle> children = postmaster.children().toList();
        signalInt(postmaster);
        if (awaitExit(postmaster, FAST_SHUTDOWN_WAIT)) {
            return "fast shutdown";
        }
        postmaster.destroyForcibly();
        children.forEach(ProcessHandle::destroyForcibly);
        if (awaitExit(postmaster, KILL_WAIT)) {
            return "killed after " + FAST_SHUTDOWN_WAIT.toSeconds() + " s";
        }
        throw new IllegalStateException("Could not stop the PostgreSQL server with pid " + postmaster.pid());
    }

    /** SIGINT asks postgres for a fast shutdown; where there is no kill command, SIGTERM (smart) it is. */
    private static void signalInt(ProcessHandle postmaster) {
        try {
            Process kill = new ProcessBuilder("kill", "-INT", String.valueOf(postmaster.pid()))
                    .redirectErrorStream(true).start();
            if (kill.waitFor(5, TimeUnit.SECONDS) && kill.exitValue() == 0) {
                return;
            }
        } catch (IOException e) {
            log.debug("kill -INT failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        postmaster.destroy();
    }

    private static boolean awaitExit(ProcessHandle process, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (running(process)) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return !running(process);
            }
        }
        return true;
    }

    /** Alive and not a zombie waiting to be reaped by a parent that is not us. */
    static boolean running(ProcessHandle process) {
        if (!process.isAlive()) {
            return false;
        }
        try {
            String stat = Files.readString(Path.of("/proc", String.valueOf(process.pid()), "stat"));
            int end = stat.lastIndexOf(')');
            return end < 0 || end + 2 >= stat.length() || stat.charAt(end + 2) != 'Z';
        } catch (IOException | RuntimeException e) {
            return process.isAlive(); // no /proc (macOS): trust isAlive
        }
    }

    static OptionalLong readPid(Path pidFile) {
        try {
            List<String> lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
            return lines.isEmpty() ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(lines.get(0).trim()));
        } catch (IOException | NumberFormatException e) {
            return OptionalLong.empty();
        }
    }
}
