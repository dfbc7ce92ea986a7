package io.hooksync.support;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.util.FileSystemUtils;

/** A throw-away data directory and free ports for an embedded-mode test context. */
public final class TestData {

    private TestData() {
    }

    public static Path directory(String name) {
        try {
            Path root = Files.createDirectories(Path.of("target", "it-data"));
            return Files.createTempDirectory(root, name + "-").toAbsolutePath();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static void embedded(DynamicPropertyRegistry registry, Path data) {
        registry.add("hooksync.data-dir", data::toString);
        registry.add("hooksync.kafka.embedded.port", () -> "0");
        registry.add("hooksync.kafka.embedded.controller-port", () -> "0");
        registry.add("hooksync.database.embedded.port", () -> "0");
        registry.add("hooksync.routes-dir", () -> "src/test/resources/routes-none");
        registry.add("hooksync.routes-reload", () -> "false");
        registry.add("hooksync.management.admin-password", () -> Http.ADMIN_PASSWORD);
        Http.adminTokenArguments().forEach(argument -> {
            String[] keyValue = argument.split("=", 2);
            registry.add(keyValue[0], () -> keyValue[1]);
        });
    }

    public static void delete(Path data) {
        FileSystemUtils.deleteRecursively(data.toFile());
    }

    /** A TCP port free on this machine a moment ago (for an engine started in a test). */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The arguments of an engine started in a test process with no routes and receivers on 127.0.0.1 allowed: its
     * own data directory and free ports, the admin password of {@link Http}, the relay every 50 ms; then {@code more}.
     */
    public static String[] outboundEngine(Path data, int httpPort, String... more) {
        List<String> args = new ArrayList<>(List.of(
                "--hooksync.data-dir=" + data, "--hooksync.kafka.embedded.port=" + freePort(),
                "--hooksync.kafka.embedded.controller-port=" + freePort(),
                "--hooksync.database.embedded.port=" + freePort(), "--server.port=" + httpPort,
                "--hooksync.routes-dir=src/test/resources/routes-none", "--hooksync.routes-reload=false",
                "--hooksync.management.admin-password=" + Http.ADMIN_PASSWORD, "--spring.main.banner-mode=off",
                "--GITHUB_WEBHOOK_SECRET=unused", "--STRIPE_WEBHOOK_SECRET=whsec_unused",
                "--hooksync.outbound.allowed-networks=127.0.0.1/32",
                "--hooksync.outbound.relay-interval=50ms"));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }
}
