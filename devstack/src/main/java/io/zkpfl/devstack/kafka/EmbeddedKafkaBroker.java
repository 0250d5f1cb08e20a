package io.zkpfl.devstack.kafka;

import io.zkpfl.devstack.DevStackLogging;
import io.zkpfl.devstack.TempDirs;
import io.zkpfl.devstack.fault.FaultState;
import io.zkpfl.devstack.fault.LoopbackProxy;
import io.zkpfl.devstack.fault.ProxiedComponent;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Exit;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A real Apache Kafka broker in KRaft mode (one node acting as broker and controller), running in this JVM
 * from the {@code kafka_2.13} jars, on free loopback ports. No ZooKeeper, no Docker.
 *
 * <p>{@link #start()} returns when a plain {@link Admin} client can describe the cluster. {@link #close()}
 * shuts the node down and deletes its log directory.
 *
 * <p>Clients reach the broker through a {@link LoopbackProxy} (its port is the advertised listener), so
 * that the in-process broker can be stalled and killed as clients see it; {@link #restart()} starts a new
 * node on the same log directory and ports (ADR 0012).
 *
 * <p>A Kafka server ends its JVM ({@code Exit.halt}/{@code Exit.exit}) on a fault it deems fatal. Embedded here, that
 * JVM is the caller's (a test run, the demo), so the broker's exit and halt procedures are replaced, once per JVM, by
 * one that prints the fault on standard error and throws instead: the broker's thread dies, {@link #start()} retries
 * on fresh ports and a restart reports the fault, and the host process lives on to say what happened.
 */
public final class EmbeddedKafkaBroker extends ProxiedComponent implements KafkaEndpoint, AutoCloseable {

    private static final int NODE_ID = 1;
    private static final int START_ATTEMPTS = 3;
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private final Properties props;
    private final LoopbackProxy proxy;
    private KafkaRaftServer server;
    private final Path logDir;
    private final int brokerPort;
    private final int controllerPort;
    private final String clusterId;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** How many times an embedded broker in this JVM asked to end it, and the last such request. */
    private static final AtomicLong FATAL_FAULTS = new AtomicLong();
    private static final AtomicReference<String> LAST_FATAL = new AtomicReference<>();

    static {
        Exit.Procedure refuse = (status, message) -> {
            String what = "embedded Kafka asked to end the JVM with status " + status
                    + (message == null ? "" : ": " + message);
            LAST_FATAL.set(what);
            FATAL_FAULTS.incrementAndGet();
            System.err.println("zkpfl devstack: " + what + " (refused; the broker is failed instead)");
            throw new IllegalStateException(what);
        };
        Exit.setExitProcedure(refuse);
        Exit.setHaltProcedure(refuse);
    }

    private EmbeddedKafkaBroker(KafkaRaftServer server, Properties props, LoopbackProxy proxy, Path logDir,
                                int brokerPort, int controllerPort, String clusterId) {
        this.server = server;
        this.props = props;
        this.proxy = proxy;
        this.logDir = logDir;
        this.brokerPort = brokerPort;
        this.controllerPort = controllerPort;
        this.clusterId = clusterId;
    }

    /**
     * Formats a fresh log directory, starts the node and waits until it serves clients.
     *
     * @throws IllegalStateException when the broker cannot be started or is not ready in time
     */
    public static EmbeddedKafkaBroker start() {
        DevStackLogging.quiet();
        RuntimeException last = null;
        for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
            try {
                return startOnce();
            } catch (RuntimeException e) {
                // a port chosen as free may have been taken by another process in between: retry on new ports
                last = e;
            }
        }
        throw new IllegalStateException("embedded Kafka failed to start after " + START_ATTEMPTS + " attempts: "
                + last.getMessage(), last);
    }

    private static EmbeddedKafkaBroker startOnce() {
        Path logDir = TempDirs.create("zkpfl-kafka-");
        int brokerPort = freePort();
        int controllerPort = freePort();
        while (controllerPort == brokerPort) {
            controllerPort = freePort();
        }
        String clusterId = Uuid.randomUuid().toString();
        KafkaRaftServer server = null;
        LoopbackProxy proxy = LoopbackProxy.start("kafka", brokerPort);
        try {
            Properties props = config(logDir, brokerPort, controllerPort, proxy.port());
            KafkaConfig config = KafkaConfig.fromProps(props, false);
            new Formatter()
                    .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                    .setNodeId(NODE_ID)
                    .setClusterId(clusterId)
                    .setDirectories(List.of(logDir.toString()))
                    .setMetadataLogDirectory(logDir.toString())
                    .setControllerListenerName("CONTROLLER")
                    .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                    .setSupportedFeatures(Feature.PRODUCTION_FEATURES)
                    .run();
            server = new KafkaRaftServer(config, Time.SYSTEM);
            server.startup();
            EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(server, props, proxy, logDir, brokerPort,
                    controllerPort, clusterId);
            broker.awaitReady();
            return broker;
        } catch (Exception e) {
            proxy.close();
            if (server != null) {
                try {
                    server.shutdown();
                    server.awaitShutdown();
                } catch (RuntimeException ignored) {
                    // already failing: keep the original cause
                }
            }
            TempDirs.deleteRecursively(logDir);
            throw e instanceof RuntimeException re ? re : new IllegalStateException(e.getMessage(), e);
        }
    }

    private static Properties config(Path logDir, int brokerPort, int controllerPort, int advertisedPort) {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", Integer.toString(NODE_ID));
        p.put("controller.quorum.voters", NODE_ID + "@127.0.0.1:" + controllerPort);
        p.put("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + advertisedPort);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("log.dirs", logDir.toString());
        p.put("num.partitions", "1");
        p.put("auto.create.topics.enable", "true");
        // a share envelope carries D field elements: 1 MiB at D = 2^15, past the broker default (docs/adr/0067)
        p.put("message.max.bytes", String.valueOf(64 << 20));
        p.put("replica.fetch.max.bytes", String.valueOf(64 << 20));
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "1");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "1");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("num.network.threads", "2");
        p.put("num.io.threads", "2");
        p.put("background.threads", "2");
        p.put("log.cleaner.enable", "false");
        return p;
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free loopback port", e);
        }
    }

    private void awaitReady() {
        long faultsBefore = FATAL_FAULTS.get();
        Map<String, Object> conf = Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10000);
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        Exception last = null;
        try (Admin admin = Admin.create(conf)) {
            while (System.nanoTime() < deadline) {
                if (FATAL_FAULTS.get() != faultsBefore) {
                    throw new IllegalStateException("Kafka failed while starting: " + LAST_FATAL.get());
                }
                try {
                    Collection<Node> nodes = admin.describeCluster().nodes().get(10, TimeUnit.SECONDS);
                    if (!nodes.isEmpty()) {
                        return;
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for Kafka", e);
                } catch (Exception e) {
                    last = e;
                }
                sleep(100);
            }
        }
        throw new IllegalStateException("Kafka did not become ready within " + READY_TIMEOUT
                + (last == null ? "" : ": " + last.getMessage()), last);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** The {@code bootstrap.servers} value for clients: {@code 127.0.0.1:PORT}. */
    public String bootstrapServers() {
        return "127.0.0.1:" + proxy.port();
    }

    /** The client port (the proxy's; it stays the same across restarts). */
    public int port() {
        return proxy.port();
    }

    /** The broker's own PLAINTEXT port behind the proxy. */
    public int brokerPort() {
        return brokerPort;
    }

    /** The proxy that is Kafka's advertised listener. */
    @Override
    protected LoopbackProxy proxy() {
        return proxy;
    }

    /** Resets every client connection, closes the client port and shuts the node down. */
    @Override
    protected void terminate(boolean stalled) {
        proxy.drop();
        server.shutdown();
        server.awaitShutdown();
    }

    /** Starts a new node on the same log directory and ports, and waits until it serves clients. */
    @Override
    protected void startAgain() {
        server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
        server.startup();
        proxy.listen();
        awaitReady();
    }

    /** How many fatal faults embedded brokers of this JVM have reported (each one refused rather than ending it). */
    public static long fatalFaults() {
        return FATAL_FAULTS.get();
    }

    /** The KRaft controller port. */
    public int controllerPort() {
        return controllerPort;
    }

    /** The cluster id written when the storage was formatted. */
    public String clusterId() {
        return clusterId;
    }

    /** The log directory (deleted on close). */
    public Path logDirectory() {
        return logDir;
    }

    /** Shuts the node down, waits for it, and deletes the log directory. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            proxy.close();
            if (state() != FaultState.KILLED) {
                server.shutdown();
                server.awaitShutdown();
            }
        } finally {
            TempDirs.deleteRecursively(logDir);
        }
    }

    @Override
    public String toString() {
        return "EmbeddedKafkaBroker[" + bootstrapServers() + "]";
    }
}
