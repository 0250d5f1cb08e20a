package io.zkpfl.devstack.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A zkPFL Quarkus service run as a child JVM ({@code java -jar …/quarkus-run.jar}) against given
 * configuration, on a loopback port; ready when {@code /q/health/ready} answers 200. Closing it stops
 * the process; its owner closes it (e.g. from a shutdown hook, before the components it depends on).
 */
public final class ServiceProcess implements AutoCloseable {

    private final String name;
    private final Process process;
    private final URI baseUrl;
    private final Path log;

    private ServiceProcess(String name, Process process, URI baseUrl, Path log) {
        this.name = name;
        this.process = process;
        this.baseUrl = baseUrl;
        this.log = log;
    }

    /**
     * Starts {@code jar} with {@code properties} as system properties and waits until it is ready.
     *
     * @param log file that receives the service's console output
     * @throws IllegalStateException if the service exits or is not ready within {@code timeout}
     */
    public static ServiceProcess start(String name, Path jar, Map<String, String> properties, Path log, Duration timeout) {
        return start(name, jar, properties, 0, log, timeout);
    }

    /**
     * As {@link #start(String, Path, Map, Path, Duration)} on {@code preferredPort} when it is free, else on
     * any free port ({@code 0}: any free port).
     */
    public static ServiceProcess start(String name, Path jar, Map<String, String> properties, int preferredPort, Path log,
            Duration timeout) {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(name + " is not built: " + jar + " is missing (run ./mvnw -DskipTests install)");
        }
        int port = preferredPort > 0 && isFree(preferredPort) ? preferredPort : freePort();
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        Map<String, String> props = new TreeMap<>(properties);
        props.put("quarkus.http.port", String.valueOf(port));
        props.put("quarkus.http.host", "127.0.0.1");
        props.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.add("-jar");
        command.add(jar.toString());
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            ServiceProcess service = new ServiceProcess(name, process, URI.create("http://127.0.0.1:" + port), log);
            service.awaitReady(timeout);
            return service;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name, e);
        }
    }

    private void awaitReady(Duration timeout) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with code " + process.exitValue() + " during start-up; see " + log);
            }
            try {
                HttpResponse<Void> response = http.send(HttpRequest.newBuilder(baseUrl.resolve("/q/health/ready"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + name, e);
            }
            sleep(250);
        }
        close();
        throw new IllegalStateException(name + " was not ready within " + timeout + "; see " + log);
    }

    /** Base URL, e.g. {@code http://127.0.0.1:41234}. */
    public URI baseUrl() {
        return baseUrl;
    }

    /** File with the service's console output. */
    public Path log() {
        return log;
    }

    /** Whether the process still runs. */
    public boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }

    private static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** A loopback port free now, to hand a service's address to another before it starts. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
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
