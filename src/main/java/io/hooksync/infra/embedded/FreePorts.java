package io.hooksync.infra.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

import io.hooksync.infra.InvalidConfigurationException;

/**
 * Turns requested port 0 into ports that are free on 127.0.0.1 right now (all distinct), and says which setting to
 * change when a fixed port is taken: the embedded servers would otherwise fail in ways that do not say so (Kafka halts
 * the JVM with a stack trace; PostgreSQL's readiness check reaches whatever answers on the port and the engine goes on
 * with that server's database).
 */
final class FreePorts {

    private FreePorts() {
    }

    /**
     * Fails with a configuration problem naming {@code setting} when {@code port} (not 0) cannot be bound on 127.0.0.1,
     * e.g. because {@code usualOccupant} listens there.
     */
    static void requireFree(int port, String setting, String usualOccupant) {
        if (port == 0) {
            return;
        }
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);   // as the servers bind: connections of a previous run in TIME_WAIT do not count
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
        } catch (IOException e) {
            throw new InvalidConfigurationException(List.of(setting + ": port " + port + " on 127.0.0.1 is in use ("
                    + usualOccupant + " already running?); set " + setting + " to a free port, or 0 for any free one"));
        }
    }

    /** Returns the requested ports with each 0 replaced by a distinct free port. */
    static int[] resolve(int... requested) {
        int[] resolved = requested.clone();
        List<ServerSocket> held = new ArrayList<>();
        try {
            for (int i = 0; i < resolved.length; i++) {
                if (resolved[i] == 0) {
                    ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                    held.add(socket);
                    resolved[i] = socket.getLocalPort();
                }
            }
            return resolved;
        } catch (IOException e) {
            throw new UncheckedIOException("No free port on 127.0.0.1", e);
        } finally {
            for (ServerSocket socket : held) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // the port is released either way
                }
            }
        }
    }
}
