package io.zkpfl.marketplace.job;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An audit service that has stalled: a loopback socket that accepts connections and never answers, the way an engine
 * stuck in a long pause looks to its clients. The marketplace is pointed at it with a 2 s audit deadline.
 */
public final class StalledAuditResource implements QuarkusTestResourceLifecycleManager {

    static final String TIMEOUT = "PT2S";

    private ServerSocket server;
    private final List<Socket> held = new CopyOnWriteArrayList<>();

    @Override
    public Map<String, String> start() {
        try {
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread accept = new Thread(() -> {
            while (!server.isClosed()) {
                try {
                    held.add(server.accept());
                } catch (IOException e) {
                    return;
                }
            }
        }, "stalled-audit");
        accept.setDaemon(true);
        accept.start();
        return Map.of("zkpfl.audit.url", "http://127.0.0.1:" + server.getLocalPort(),
                "zkpfl.audit.timeout", TIMEOUT,
                "zkpfl.audit.poll-interval", "PT0.5S");
    }

    @Override
    public void stop() {
        try {
            server.close();
            for (Socket s : held) {
                s.close();
            }
        } catch (IOException ignored) {
            // closing a test socket
        }
    }
}
