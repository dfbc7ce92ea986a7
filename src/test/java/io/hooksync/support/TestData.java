package io.hooksync.support;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

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
}
