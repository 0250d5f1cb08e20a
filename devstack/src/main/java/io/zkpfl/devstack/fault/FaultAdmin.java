package io.zkpfl.devstack.fault;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * A small HTTP API on a loopback port through which faults are injected into a running stack (the demo,
 * or a stack started by another class loader or process):
 *
 * <ul>
 *   <li>{@code GET /faults}: {@code {"postgres":"RUNNING","kafka":"STALLED",…}} for the embedded
 *       components;</li>
 *   <li>{@code POST /faults/{postgres|kafka|chain|ipfs}/{stall|resume|kill|restart}}: applies the fault
 *       and answers {@code {"component":"kafka","state":"STALLED"}} once it is in effect; 404 for an
 *       unknown component or action, 409 for a component that is not embedded, 500 when the fault
 *       cannot be applied.</li>
 * </ul>
 */
public final class FaultAdmin implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService executor;
    private final Function<Component, Optional<FaultControl>> controls;

    private FaultAdmin(HttpServer server, ExecutorService executor,
                       Function<Component, Optional<FaultControl>> controls) {
        this.server = server;
        this.executor = executor;
        this.controls = controls;
    }

    /**
     * Serves the fault API on a free loopback port.
     *
     * @param controls the control of each component, empty for one that is not embedded
     */
    public static FaultAdmin start(Function<Component, Optional<FaultControl>> controls) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
            ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
            server.setExecutor(executor);
            FaultAdmin admin = new FaultAdmin(server, executor, controls);
            server.createContext("/faults", admin::handle);
            server.start();
            return admin;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the fault admin API", e);
        }
    }

    /** The API's base URL, {@code http://127.0.0.1:PORT/faults}. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/faults";
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String[] parts = ex.getRequestURI().getPath().replaceAll("/+$", "").split("/");
            if (parts.length == 2 && "GET".equals(ex.getRequestMethod())) {
                StringBuilder json = new StringBuilder("{");
                for (Component c : Component.values()) {
                    controls.apply(c).ifPresent(control -> json.append(json.length() > 1 ? "," : "")
                            .append('"').append(c.id()).append("\":\"").append(control.state()).append('"'));
                }
                send(ex, 200, json.append('}').toString());
                return;
            }
            if (parts.length != 4 || !"POST".equals(ex.getRequestMethod())) {
                send(ex, 404, error("use GET /faults or POST /faults/{component}/{stall|resume|kill|restart}"));
                return;
            }
            Component component;
            try {
                component = Component.of(parts[2]);
            } catch (IllegalArgumentException e) {
                send(ex, 404, error(e.getMessage()));
                return;
            }
            Optional<FaultControl> control = controls.apply(component);
            if (control.isEmpty()) {
                send(ex, 409, error(component.id() + " is not embedded: faults cannot be injected"));
                return;
            }
            FaultControl c = control.get();
            switch (parts[3]) {
                case "stall" -> c.stall();
                case "resume" -> c.resume();
                case "kill" -> c.kill();
                case "restart" -> c.restart();
                default -> {
                    send(ex, 404, error("unknown fault '" + parts[3] + "' (stall, resume, kill, restart)"));
                    return;
                }
            }
            send(ex, 200, "{\"component\":\"" + component.id() + "\",\"state\":\"" + c.state() + "\"}");
        } catch (RuntimeException e) {
            send(ex, 500, error(String.valueOf(e.getMessage())));
        }
    }

    private static String error(String message) {
        return "{\"error\":\"" + message.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", " ") + "\"}";
    }

    private static void send(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        ex.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
