package io.hooksync.support;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipFile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The packaged engine ({@code target/hooksync-*.jar}) run as a separate JVM in embedded mode, so a test can
 * SIGKILL it and start it again on the same ports and data directory.
 *
 * <p>Layout: {@code target/it-data/<name>-<n>/} holds {@code data/} (the engine's data-dir: Kafka log and
 * PostgreSQL data), {@code engine.log} (stdout and stderr of every start, appended) and {@code hooksync.jar} (a
 * private copy of the packaged jar, so a concurrent {@code mvn package} cannot swap classes under a running
 * engine). {@link #close()} stops the engine gracefully and makes sure no process is left behind, including a
 * PostgreSQL server orphaned by a SIGKILL.
 */
public final class EngineProcess implements AutoCloseable {

    public static final Duration HEALTH_TIMEOUT = Duration.ofSeconds(90);
    public static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String JAR_PROPERTY = "hooksync.jar";
    /** Password of user {@code admin} (API and actuator beyond health), set on every start. */
    public static final String ADMIN_PASSWORD = "crash-admin-password";

    private final String name;
    private final Path workDir;
    private final Path root;
    private final Path dataDir;
    private final Path logFile;
    private final Path jar;
    private final String routesDir;
    private final String githubSecret;
    private final String stripeSecret;
    private final List<String> extraArgs;
    private final int httpPort;
    private final int kafkaPort;
    private final int controllerPort;
    private final int databasePort;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private Process process;
    private int starts;

    private EngineProcess(Builder builder) {
        this.name = builder.name;
        this.workDir = Path.of("").toAbsolutePath();
        this.root = TestData.directory(builder.name);
        this.dataDir = root.resolve("data");
        this.logFile = root.resolve("engine.log");
        this.jar = root.resolve("hooksync.jar");
        this.routesDir = builder.routesDir;
        this.githubSecret = builder.githubSecret;
        this.stripeSecret = builder.stripeSecret;
        this.extraArgs = List.copyOf(builder.extraArgs);
        int[] ports = freePorts(4);
        this.httpPort = ports[0];
        this.kafkaPort = ports[1];
        this.controllerPort = ports[2];
        this.databasePort = ports[3];
        copyJar(packagedJar(workDir), jar);
    }

    /** An engine named {@code name} (its directory under target/it-data starts with it). */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** Options of an engine; ports and data directory are chosen once and kept across restarts. */
    public static final class Builder {
        private final String name;
        private String routesDir = "src/test/resources/routes-none";
        private String githubSecret = "crash-github-secret";
        private String stripeSecret = "whsec_crash_stripe_secret";
        private final List<String> extraArgs = new ArrayList<>();

        private Builder(String name) {
            this.name = name;
        }

        /** {@code hooksync.routes-dir}, relative to the project directory; default: no routes at all. */
        public Builder routesDir(String dir) {
            this.routesDir = dir;
            return this;
        }

        /** Value of GITHUB_WEBHOOK_SECRET in the engine's environment. */
        public Builder githubSecret(String secret) {
            this.githubSecret = secret;
            return this;
        }

        /** Value of STRIPE_WEBHOOK_SECRET in the engine's environment (the engine refuses to start without one). */
        public Builder stripeSecret(String secret) {
            this.stripeSecret = secret;
            return this;
        }

        /** Another {@code --key=value} argument for every start. */
        public Builder arg(String arg) {
            this.extraArgs.add(arg);
            return this;
        }

        /** Creates the engine (ports, directories, jar copy) without starting it. */
        public EngineProcess create() {
            return new EngineProcess(this);
        }

        /** Creates the engine, starts it and waits until it is healthy; stops it again if that fails. */
        public EngineProcess start() {
            EngineProcess engine = create();
            try {
                engine.start();
                return engine;
            } catch (RuntimeException | Error e) {
                engine.close();
                throw e;
            }
        }
    }

    /** Launches the engine JVM and waits until {@code /actuator/health} answers 200 with status UP. */
    public synchronized EngineProcess start() {
        launch();
        waitUntilHealthy();
        return this;
    }

    /** Launches the engine JVM (same ports, same data directory every time) without waiting. */
    public synchronized void launch() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("engine " + name + " is already running (pid " + process.pid() + ")");
        }
        starts++;
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx512m");
        command.add("-jar");
        command.add(jar.toString());
        command.addAll(arguments());
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        Map<String, String> env = builder.environment();
        // nothing from the calling environment may switch the engine to external mode or other settings
        env.keySet().removeIf(key -> key.startsWith("HOOKSYNC_") || key.startsWith("SPRING_") || key.equals("PORT")
                || key.startsWith("GITHUB_WEBHOOK_SECRET") || key.startsWith("STRIPE_WEBHOOK_SECRET"));
        env.put("GITHUB_WEBHOOK_SECRET", githubSecret);
        env.put("STRIPE_WEBHOOK_SECRET", stripeSecret);
        appendToLog("==== start #" + starts + " of engine " + name + " at " + Instant.now() + ": "
                + String.join(" ", command) + System.lineSeparator());
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the engine: " + e.getMessage(), e);
        }
    }

    private List<String> arguments() {
        List<String> args = new ArrayList<>();
        args.add("--server.port=" + httpPort);
        args.add("--hooksync.data-dir=" + dataDir);
        args.add("--hooksync.kafka.embedded.port=" + kafkaPort);
        args.add("--hooksync.kafka.embedded.controller-port=" + controllerPort);
        args.add("--hooksync.database.embedded.port=" + databasePort);
        args.add("--hooksync.routes-dir=" + routesDir);
        args.add("--hooksync.mappings-dir=mappings");
        args.add("--hooksync.routes-reload=false");
        args.add("--hooksync.management.admin-password=" + ADMIN_PASSWORD);
        args.addAll(extraArgs);
        return args;
    }

    /** Polls {@code /actuator/health} until 200 with status UP ({@link #HEALTH_TIMEOUT}); fails with the log tail. */
    public void waitUntilHealthy() {
        long started = System.nanoTime();
        long deadline = started + HEALTH_TIMEOUT.toNanos();
        String last = "no answer yet";
        while (true) {
            Process current;
            synchronized (this) {
                current = process;
            }
            if (current == null || !current.isAlive()) {
                throw new AssertionError("engine " + name + " exited" + (current == null ? "" : " with code "
                        + current.exitValue()) + " before it was healthy; log tail:\n" + logTail(150));
            }
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(baseUrl()
                        + "/actuator/health")).timeout(Duration.ofSeconds(5)).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
                last = response.statusCode() + " " + response.body();
                if (response.statusCode() == 200 && "UP".equals(status(response.body()))) {
                    System.out.printf("[%s] engine healthy after %d ms (start #%d, pid %d)%n", name,
                            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), starts, current.pid());
                    return;
                }
            } catch (IOException e) {
                last = e.toString();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for the engine", e);
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("engine " + name + " not healthy within " + HEALTH_TIMEOUT + "; last answer: "
                        + last + "; log tail:\n" + logTail(150));
            }
            sleep(250);
        }
    }

    private static String status(String body) {
        try {
            JsonNode node = JSON.readTree(body);
            return node.path("status").asText();
        } catch (IOException e) {
            return null;
        }
    }

    /** Sends SIGKILL without waiting (safe to call from any thread, more than once). */
    public void signalKill() {
        Process current;
        synchronized (this) {
            current = process;
        }
        if (current != null) {
            current.destroyForcibly();
        }
    }

    /** SIGKILL: no shutdown hook runs, nothing is closed; waits until the JVM is gone. */
    public void kill() {
        Process current;
        synchronized (this) {
            current = process;
        }
        if (current == null) {
            return;
        }
        current.destroyForcibly();
        try {
            if (!current.waitFor(30, TimeUnit.SECONDS)) {
                throw new AssertionError("engine " + name + " (pid " + current.pid() + ") survived SIGKILL for 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for the killed engine", e);
        }
        appendToLog("==== engine " + name + " killed (SIGKILL) at " + Instant.now() + System.lineSeparator());
    }

    /**
     * SIGTERM and up to {@link #STOP_TIMEOUT} for a graceful shutdown; SIGKILL after that. Then stops a PostgreSQL
     * server the engine left on its data directory (after a kill, or a shutdown that did not finish).
     *
     * @return true when the engine stopped by itself within the timeout (or was not running)
     */
    public boolean stop() {
        boolean graceful = true;
        Process current;
        synchronized (this) {
            current = process;
        }
        if (current != null && current.isAlive()) {
            current.destroy();
            try {
                if (!current.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                    graceful = false;
                    System.out.printf("[%s] engine did not stop within %s after SIGTERM; killing it%n", name,
                            STOP_TIMEOUT);
                    current.destroyForcibly();
                    current.waitFor(30, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                current.destroyForcibly();
            }
            appendToLog("==== engine " + name + " stopped (" + (graceful ? "SIGTERM" : "SIGTERM, then SIGKILL")
                    + ", exit code " + (current.isAlive() ? "?" : current.exitValue()) + ") at " + Instant.now()
                    + System.lineSeparator());
        }
        if (stopLeftoverPostgres()) {
            graceful = false;
        }
        return graceful;
    }

    /** Stops the engine if it runs (gracefully), then starts it again on the same ports and data directory. */
    public EngineProcess restart() {
        Process current;
        synchronized (this) {
            current = process;
        }
        if (current != null && current.isAlive()) {
            stop();
        }
        return start();
    }

    /** Whether the engine JVM is running. */
    public synchronized boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** Process id of the engine JVM of the latest start. */
    public synchronized long pid() {
        if (process == null) {
            throw new IllegalStateException("engine " + name + " was never started");
        }
        return process.pid();
    }

    /**
     * The pid in {@code data/postgres/postmaster.pid} if that process is alive (and not a zombie): the embedded
     * PostgreSQL server of this data directory, whether its engine runs or was killed.
     */
    public OptionalLong livePostmasterPid() {
        Path pidFile = dataDir.resolve("postgres").resolve("postmaster.pid");
        try {
            List<String> lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
            if (lines.isEmpty()) {
                return OptionalLong.empty();
            }
            long pid = Long.parseLong(lines.get(0).trim());
            Optional<ProcessHandle> handle = ProcessHandle.of(pid);
            if (handle.isPresent() && running(handle.get()) && isPostgres(handle.get())) {
                return OptionalLong.of(pid);
            }
            return OptionalLong.empty();
        } catch (IOException | NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /** Whether process {@code pid} is alive (and not a zombie). */
    public static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(EngineProcess::running).orElse(false);
    }

    private boolean stopLeftoverPostgres() {
        OptionalLong pid = livePostmasterPid();
        if (pid.isEmpty()) {
            return false;
        }
        ProcessHandle postmaster = ProcessHandle.of(pid.getAsLong()).orElse(null);
        if (postmaster == null) {
            return false;
        }
        System.out.printf("[%s] stopping PostgreSQL (pid %d) left running on %s%n", name, pid.getAsLong(), dataDir);
        List<ProcessHandle> children = postmaster.children().toList();
        try {
            Process signal = new ProcessBuilder("kill", "-INT", Long.toString(pid.getAsLong()))
                    .redirectErrorStream(true).start();
            signal.waitFor(5, TimeUnit.SECONDS);
        } catch (IOException e) {
            postmaster.destroy();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!awaitExit(postmaster, Duration.ofSeconds(20))) {
            postmaster.destroyForcibly();
            children.forEach(ProcessHandle::destroyForcibly);
            awaitExit(postmaster, Duration.ofSeconds(5));
        }
        appendToLog("==== leftover PostgreSQL (pid " + pid.getAsLong() + ") stopped by the test at " + Instant.now()
                + System.lineSeparator());
        return true;
    }

    private boolean isPostgres(ProcessHandle handle) {
        try {
            String cmdline = Files.readString(Path.of("/proc", Long.toString(handle.pid()), "cmdline"))
                    .replace('\0', ' ');
            return cmdline.contains("postgres") && cmdline.contains(dataDir.resolve("postgres").toString());
        } catch (IOException | RuntimeException e) {
            return handle.info().command().map(c -> c.contains("postgres")).orElse(false);
        }
    }

    private static boolean running(ProcessHandle handle) {
        if (!handle.isAlive()) {
            return false;
        }
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(handle.pid()), "stat"));
            int end = stat.lastIndexOf(')');
            return end < 0 || end + 2 >= stat.length() || stat.charAt(end + 2) != 'Z';
        } catch (IOException | RuntimeException e) {
            return handle.isAlive();
        }
    }

    private static boolean awaitExit(ProcessHandle handle, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (running(handle)) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            sleep(100);
        }
        return true;
    }

    /** {@code http://127.0.0.1:<port>}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + httpPort;
    }

    /** URL of the ingress of {@code source}: {@code http://127.0.0.1:<port>/webhooks/<source>}. */
    public String webhookUrl(String source) {
        return baseUrl() + "/webhooks/" + source;
    }

    public int httpPort() {
        return httpPort;
    }

    public int kafkaPort() {
        return kafkaPort;
    }

    public int controllerPort() {
        return controllerPort;
    }

    public int databasePort() {
        return databasePort;
    }

    /** {@code Authorization} header of user admin, for the actuator endpoints beyond health and the API. */
    public Map<String, String> adminHeaders() {
        return Http.basic("admin", ADMIN_PASSWORD);
    }

    /** {@code 127.0.0.1:<kafka port>}. */
    public String bootstrapServers() {
        return "127.0.0.1:" + kafkaPort;
    }

    /** JDBC URL of the embedded PostgreSQL (user postgres, password {@link #databasePassword()}). */
    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + databasePort + "/postgres";
    }

    /** The embedded PostgreSQL's password, generated by the engine's first start into its data directory. */
    public String databasePassword() {
        try {
            return Files.readString(dataDir.resolve("postgres.password")).trim();
        } catch (IOException e) {
            throw new IllegalStateException("no embedded PostgreSQL password (has the engine started?): " + e, e);
        }
    }

    /** The engine's {@code hooksync.data-dir}. */
    public Path dataDir() {
        return dataDir;
    }

    public Path logFile() {
        return logFile;
    }

    /** The last {@code lines} lines of the engine log (all starts), for failure messages. */
    public String logTail(int lines) {
        try (RandomAccessFile file = new RandomAccessFile(logFile.toFile(), "r")) {
            long length = file.length();
            long from = Math.max(0, length - 256L * 1024);
            byte[] bytes = new byte[(int) (length - from)];
            file.seek(from);
            file.readFully(bytes);
            String[] all = new String(bytes, StandardCharsets.UTF_8).split("\r?\n");
            int start = Math.max(0, all.length - lines);
            return "---- " + logFile + " (last " + (all.length - start) + " lines) ----\n"
                    + String.join("\n", java.util.Arrays.copyOfRange(all, start, all.length));
        } catch (IOException e) {
            return "(no log at " + logFile + ": " + e.getMessage() + ")";
        }
    }

    /** Whether the engine log (all starts so far) contains {@code text}. */
    public boolean logContains(String text) {
        try {
            return Files.readString(logFile, StandardCharsets.UTF_8).contains(text);
        } catch (IOException e) {
            return false;
        }
    }

    /** Ports and directories, for messages. */
    public Map<String, Object> describe() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("name", name);
        d.put("http", httpPort);
        d.put("kafka", kafkaPort);
        d.put("controller", controllerPort);
        d.put("postgres", databasePort);
        d.put("dataDir", dataDir);
        d.put("log", logFile);
        return d;
    }

    /** Deletes the data directory (only while the engine is stopped); the log stays. */
    public void deleteData() {
        if (isAlive() || livePostmasterPid().isPresent()) {
            throw new IllegalStateException("engine " + name + " still runs; stop it before deleting its data");
        }
        TestData.delete(dataDir);
    }

    /** Stops the engine gracefully (see {@link #stop()}), then removes the private jar copy. */
    @Override
    public void close() {
        try {
            stop();
        } finally {
            try {
                Files.deleteIfExists(jar);
            } catch (IOException e) {
                // a leftover copy under target/ is harmless
            }
        }
    }

    @Override
    public String toString() {
        return "EngineProcess" + describe();
    }

    private void appendToLog(String text) {
        try {
            Files.writeString(logFile, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            // the marker lines are a convenience
        }
    }

    /** The jar {@code mvn package} built: -Dhooksync.jar, else target/hooksync-*.jar (not *.original). */
    private static Path packagedJar(Path workDir) {
        String configured = System.getProperty(JAR_PROPERTY);
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured).toAbsolutePath();
        }
        Path target = workDir.resolve("target");
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(target, "hooksync-*.jar")) {
            for (Path candidate : jars) {
                return candidate;
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list " + target + ": " + e.getMessage(), e);
        }
        throw new IllegalStateException("no engine jar in " + target + ": run ./mvnw package -DskipTests first "
                + "(or pass -D" + JAR_PROPERTY + "=path)");
    }

    /** Copies the jar and checks the copy is a complete Spring Boot jar (retrying while a build rewrites it). */
    private static void copyJar(Path source, Path copy) {
        IllegalStateException last = null;
        for (int attempt = 1; attempt <= 5; attempt++) {
            try {
                Files.copy(source, copy, StandardCopyOption.REPLACE_EXISTING);
                try (ZipFile zip = new ZipFile(copy.toFile())) {
                    if (zip.getEntry("BOOT-INF/classes/io/hooksync/HooksyncApplication.class") != null) {
                        return;
                    }
                    last = new IllegalStateException(source + " is not the packaged engine (no HooksyncApplication)");
                }
            } catch (IOException e) {
                last = new IllegalStateException("cannot copy " + source + ": " + e.getMessage(), e);
            }
            sleep(5_000);
        }
        throw last;
    }

    private static int[] freePorts(int count) {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                ServerSocket socket = new ServerSocket(0);
                sockets.add(socket);
                ports[i] = socket.getLocalPort();
            }
            return ports;
        } catch (IOException e) {
            throw new IllegalStateException("no free port: " + e.getMessage(), e);
        } finally {
            for (ServerSocket socket : sockets) {
                try {
                    socket.close();
                } catch (IOException e) {
                    // closed anyway
                }
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
