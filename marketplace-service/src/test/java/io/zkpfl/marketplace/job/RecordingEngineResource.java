package io.zkpfl.marketplace.job;

import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The receiving end of the marketplace's artefact hand-over, standing where the reward engine's
 * {@code POST /api/v1/jobs/{job}/artifacts} is (the engine itself is built after this module; the system tests run
 * both): it records every request, answers 503 to the first {@link #FAILING} requests for each set of artefacts (chain job ids repeat when the shared
 * chain is restarted by other tests, CIDs do not), as an engine that
 * is restarting would, then 200, or 409 for the jobs marked by {@code POST /refuse/{job}}. {@code GET /recorded} lists
 * what it received, one {@code path answered nanos body} line each (the test reads it over HTTP: this resource runs
 * in another class loader than the test).
 */
public final class RecordingEngineResource implements QuarkusTestResourceLifecycleManager {

    /** A request as received. */
    record Received(String path, String body, int answered, long atNanos) {
    }

    static final int FAILING = 2;
    static final List<Received> RECEIVED = new CopyOnWriteArrayList<>();
    static final Set<String> REFUSE = ConcurrentHashMap.newKeySet();
    private static final Map<String, AtomicInteger> SEEN = new ConcurrentHashMap<>();

    private HttpServer server;

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/api/v1/jobs/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String job = path.replaceAll("^/api/v1/jobs/([0-9]+)/artifacts$", "$1");
            int status;
            String answer;
            if (!"POST".equals(exchange.getRequestMethod()) || job.equals(path)) {
                status = 404;
                answer = "{\"status\":404,\"detail\":\"no such endpoint\"}";
            } else if (SEEN.computeIfAbsent(body, b -> new AtomicInteger()).incrementAndGet() <= FAILING) {
                status = 503;
                answer = "{\"status\":503,\"detail\":\"the engine is starting\"}";
            } else if (REFUSE.contains(job)) {
                status = 409;
                answer = "{\"status\":409,\"detail\":\"job " + job + " names another evaluator than this engine\"}";
            } else {
                status = 200;
                answer = "{\"job\":\"" + job + "\",\"round\":-1}";
            }
            RECEIVED.add(new Received(path, body, status, System.nanoTime()));
            byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", status == 200 ? "application/json" : "application/problem+json");
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.createContext("/refuse/", exchange -> {
            REFUSE.add(exchange.getRequestURI().getPath().substring("/refuse/".length()));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.createContext("/recorded", exchange -> {
            StringBuilder sb = new StringBuilder();
            for (Received r : RECEIVED) {
                sb.append(r.path()).append(' ').append(r.answered()).append(' ').append(r.atNanos()).append(' ')
                        .append(r.body().replace('\n', ' ')).append('\n');
            }
            byte[] bytes = sb.toString().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
        return Map.of("zkpfl.audit.url", "http://127.0.0.1:" + server.getAddress().getPort(),
                "zkpfl.audit.register-interval", "0.2s");
    }

    @Override
    public void stop() {
        server.stop(0);
    }
}
