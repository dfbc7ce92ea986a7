package io.hooksync.infra.embedded;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs a fixture's main in a second JVM with this test classpath, to be killed with SIGKILL. */
final class ChildJvm implements AutoCloseable {

    private final Process process;
    private final CompletableFuture<String> ready = new CompletableFuture<>();
    private final StringBuilder output = new StringBuilder();

    ChildJvm(Class<?> main, String... args) throws Exception {
        String[] command = new String[args.length + 4];
        command[0] = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        command[1] = "-cp";
        command[2] = System.getProperty("java.class.path");
        command[3] = main.getName();
        System.arraycopy(args, 0, command, 4, args.length);
        process = new ProcessBuilder(command).redirectErrorStream(true).start();
        Thread drain = new Thread(this::drain, "child-jvm-output");
        drain.setDaemon(true);
        drain.start();
    }

    private void drain() {
        try (BufferedReader out = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                synchronized (output) {
                    output.append(line).append('\n');
                }
                if (line.startsWith("READY")) {
                    ready.complete(line.substring("READY".length()).trim());
                }
            }
        } catch (Exception e) {
            // the child was killed
        }
        ready.complete(null);
    }

    /** The text after READY, or an AssertionError with the child's output if it never got there. */
    String awaitReady() throws Exception {
        String value = ready.get(120, TimeUnit.SECONDS);
        if (value == null) {
            synchronized (output) {
                throw new AssertionError("Child JVM ended before READY:\n" + output);
            }
        }
        return value;
    }

    /** SIGKILL: no shutdown hooks, nothing closed. */
    @Override
    public void close() throws Exception {
        process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
}
