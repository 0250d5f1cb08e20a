package io.zkpfl.devstack;

import io.zkpfl.devstack.chain.AnvilNode;
import io.zkpfl.devstack.chain.ChainEndpoint;
import io.zkpfl.devstack.fault.Component;
import io.zkpfl.devstack.fault.FaultAdmin;
import io.zkpfl.devstack.fault.FaultControl;
import io.zkpfl.devstack.fault.RemoteFaultControl;
import io.zkpfl.devstack.ipfs.IpfsEndpoint;
import io.zkpfl.devstack.ipfs.IpfsStore;
import io.zkpfl.devstack.kafka.EmbeddedKafkaBroker;
import io.zkpfl.devstack.kafka.KafkaEndpoint;
import io.zkpfl.devstack.postgres.EmbeddedPostgresServer;
import io.zkpfl.devstack.postgres.PostgresEndpoint;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * PostgreSQL, Kafka, an EVM chain and an IPFS (Kubo RPC) store, ready to use: the embedded components
 * start in parallel on free loopback ports, external endpoints from {@link DevStackConfig} are used as given.
 *
 * <p>{@link #shared()} gives one JVM-wide instance, started on first use and closed at JVM exit, so test
 * classes do not restart the components.
 *
 * <p>Faults (stall, resume, kill, restart) are injected through {@link #faults(Component)}, or over HTTP
 * through {@link #faultsUrl()} (see {@link FaultAdmin}).
 */
public final class DevStack implements AutoCloseable {

    /** Property keys of {@link #serviceProperties()}. */
    public static final String DATASOURCE_REACTIVE_URL = "quarkus.datasource.reactive.url";
    public static final String DATASOURCE_USERNAME = "quarkus.datasource.username";
    public static final String DATASOURCE_PASSWORD = "quarkus.datasource.password";
    public static final String DATASOURCE_JDBC_URL = "quarkus.datasource.jdbc.url";
    public static final String KAFKA_BOOTSTRAP_SERVERS = "kafka.bootstrap.servers";
    public static final String CHAIN_RPC_URL = "zkpfl.chain.rpc-url";
    public static final String CHAIN_ID = "zkpfl.chain.id";
    public static final String IPFS_API_URL = "zkpfl.ipfs.api-url";

    /** Prefix of the system properties through which {@link #shared()} is found from other class loaders. */
    public static final String SHARED_PREFIX = "zkpfl.devstack.shared.";
    /** Key, under {@link #SHARED_PREFIX}, of the shared stack's fault admin URL. */
    public static final String FAULTS_URL = "faults-url";

    private static final String GLOBAL_LOCK = "io.zkpfl.devstack.DevStack#shared lock";
    private static final Object SHARED_LOCK = new Object();
    private static volatile DevStack shared;


    private final PostgresEndpoint postgres;
    private final KafkaEndpoint kafka;
    private final ChainEndpoint chain;
    private final IpfsEndpoint ipfs;
    private final boolean isShared;
    private final FaultAdmin admin;
    private final String faultsUrl;
    private final AtomicBoolean closed = new AtomicBoolean();

    private DevStack(PostgresEndpoint postgres, KafkaEndpoint kafka, ChainEndpoint chain, IpfsEndpoint ipfs,
                     boolean isShared, String remoteFaultsUrl) {
        this.postgres = postgres;
        this.kafka = kafka;
        this.chain = chain;
        this.ipfs = ipfs;
        this.isShared = isShared;
        this.admin = remoteFaultsUrl == null ? FaultAdmin.start(this::localFaults) : null;
        this.faultsUrl = admin != null ? admin.url() : remoteFaultsUrl;
    }

    /**
     * Starts what {@code config} asks for and returns when every component is ready.
     *
     * @throws IllegalStateException when a component fails to start (the others are stopped again)
     */
    public static DevStack start(DevStackConfig config) {
        return start(config, false);
    }

    private static DevStack start(DevStackConfig config, boolean isShared) {
        ExecutorService pool = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "devstack-start");
            t.setDaemon(true);
            return t;
        });
        try {
            CompletableFuture<PostgresEndpoint> pg = async(pool, () -> config.postgres()
                    .<PostgresEndpoint>map(e -> e).orElseGet(EmbeddedPostgresServer::start));
            CompletableFuture<KafkaEndpoint> kafka = async(pool, () -> config.kafka()
                    .<KafkaEndpoint>map(e -> e).orElseGet(EmbeddedKafkaBroker::start));
            CompletableFuture<ChainEndpoint> chain = async(pool, () -> config.chainRpcUrl()
                    .<ChainEndpoint>map(ChainEndpoint.External::probe).orElseGet(() -> AnvilNode.start(config.anvil())));
            CompletableFuture<IpfsEndpoint> ipfs = async(pool, () -> config.ipfsApiUrl()
                    .<IpfsEndpoint>map(IpfsEndpoint.External::new).orElseGet(() -> IpfsStore.start(config.ipfs())));
            List<CompletableFuture<?>> all = List.of(pg, kafka, chain, ipfs);
            try {
                CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
            } catch (CompletionException e) {
                all.forEach(f -> f.thenAccept(DevStack::closeQuietly));
                CompletableFuture.allOf(all.stream().map(f -> f.exceptionally(t -> null))
                        .toArray(CompletableFuture[]::new)).join();
                Throwable cause = e.getCause() == null ? e : e.getCause();
                throw new IllegalStateException("devstack failed to start: " + cause.getMessage(), cause);
            }
            return new DevStack(pg.join(), kafka.join(), chain.join(), ipfs.join(), isShared, null);
        } finally {
            pool.shutdown();
        }
    }

    private static <T> CompletableFuture<T> async(ExecutorService pool, Supplier<T> s) {
        return CompletableFuture.supplyAsync(s, pool);
    }

    /**
     * The JVM-wide instance, configured by {@link DevStackConfig#fromEnvironment()}, started on the first
     * call and closed by a shutdown hook. Calling {@link #close()} on it has no effect.
     *
     * <p>"JVM-wide" holds across class loaders (Quarkus tests load devstack more than once): the first
     * loader to start the stack publishes its endpoints as {@value #SHARED_PREFIX}{@code *} system
     * properties, and {@code shared()} in any other loader returns a view of the same components (as
     * external endpoints) instead of starting a second stack.
     */
    public static DevStack shared() {
        DevStack s = shared;
        if (s != null) {
            return s;
        }
        synchronized (globalLock()) {
            synchronized (SHARED_LOCK) {
                if (shared == null) {
                    DevStack published = fromPublished();
                    if (published != null) {
                        shared = published;
                    } else {
                        DevStack started = start(DevStackConfig.fromEnvironment(), true);
                        Runtime.getRuntime().addShutdownHook(new Thread(started::shutdown, "devstack-shutdown"));
                        started.serviceProperties().forEach((k, v) -> {
                            if (!k.equals(DATASOURCE_PASSWORD)) { // secrets stay out of system properties
                                System.setProperty(SHARED_PREFIX + k, v);
                            }
                        });
                        System.setProperty(SHARED_PREFIX + FAULTS_URL, started.faultsUrl);
                        shared = started;
                    }
                }
                return shared;
            }
        }
    }

    /**
     * One monitor per JVM, whatever loader loaded this class: string literals are interned JVM-wide, and
     * this one is used for nothing else.
     */
    private static Object globalLock() {
        return GLOBAL_LOCK;
    }

    private static DevStack fromPublished() {
        String jdbc = System.getProperty(SHARED_PREFIX + DATASOURCE_JDBC_URL);
        if (jdbc == null) {
            return null;
        }
        String password = DevStackConfig.fromEnvironment().postgres().map(PostgresEndpoint.External::password)
                .orElse(EmbeddedPostgresServer.PASSWORD);
        return new DevStack(
                new PostgresEndpoint.External(jdbc, System.getProperty(SHARED_PREFIX + DATASOURCE_USERNAME), password),
                new KafkaEndpoint.External(System.getProperty(SHARED_PREFIX + KAFKA_BOOTSTRAP_SERVERS)),
                new ChainEndpoint.External(System.getProperty(SHARED_PREFIX + CHAIN_RPC_URL),
                        Long.parseLong(System.getProperty(SHARED_PREFIX + CHAIN_ID))),
                new IpfsEndpoint.External(System.getProperty(SHARED_PREFIX + IPFS_API_URL)),
                true, System.getProperty(SHARED_PREFIX + FAULTS_URL));
    }

    /** PostgreSQL ({@link EmbeddedPostgresServer} unless configured externally). */
    public PostgresEndpoint postgres() {
        return postgres;
    }

    /** Kafka ({@link EmbeddedKafkaBroker} unless configured externally). */
    public KafkaEndpoint kafka() {
        return kafka;
    }

    /** The EVM chain ({@link AnvilNode} unless configured externally). */
    public ChainEndpoint chain() {
        return chain;
    }

    /** The IPFS RPC API ({@link IpfsStore} unless configured externally). */
    public IpfsEndpoint ipfs() {
        return ipfs;
    }

    /**
     * Fault injection into an embedded component of this stack (directly, or through the owning stack's
     * {@link FaultAdmin} when this is a view of the shared stack from another class loader).
     *
     * @throws UnsupportedOperationException when the component is an external one
     */
    public FaultControl faults(Component component) {
        if (admin != null) {
            return localFaults(component).orElseThrow(() -> new UnsupportedOperationException(
                    component.id() + " is external: faults cannot be injected"));
        }
        return new RemoteFaultControl(faultsUrl, component);
    }

    /** The HTTP API through which faults are injected ({@link FaultAdmin}): {@code http://127.0.0.1:PORT/faults}. */
    public String faultsUrl() {
        return faultsUrl;
    }

    private Optional<FaultControl> localFaults(Component component) {
        Object endpoint = switch (component) {
            case POSTGRES -> postgres;
            case KAFKA -> kafka;
            case CHAIN -> chain;
            case IPFS -> ipfs;
        };
        return endpoint instanceof FaultControl control ? Optional.of(control) : Optional.empty();
    }

    /**
     * The configuration a service needs to use this stack: {@value #DATASOURCE_REACTIVE_URL},
     * {@value #DATASOURCE_USERNAME}, {@value #DATASOURCE_PASSWORD}, {@value #DATASOURCE_JDBC_URL},
     * {@value #KAFKA_BOOTSTRAP_SERVERS}, {@value #CHAIN_RPC_URL}, {@value #CHAIN_ID}, {@value #IPFS_API_URL}.
     */
    public Map<String, String> serviceProperties() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put(DATASOURCE_REACTIVE_URL, postgres.reactiveUrl());
        p.put(DATASOURCE_USERNAME, postgres.username());
        p.put(DATASOURCE_PASSWORD, postgres.password());
        p.put(DATASOURCE_JDBC_URL, postgres.jdbcUrl());
        p.put(KAFKA_BOOTSTRAP_SERVERS, kafka.bootstrapServers());
        p.put(CHAIN_RPC_URL, chain.rpcUrl());
        p.put(CHAIN_ID, Long.toString(chain.chainId()));
        p.put(IPFS_API_URL, ipfs.apiUrl());
        return Collections.unmodifiableMap(p);
    }

    /** Stops the embedded components (in parallel). No effect on the {@link #shared()} instance. */
    @Override
    public void close() {
        if (!isShared) {
            shutdown();
        }
    }

    private void shutdown() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (admin != null) {
            admin.close();
        }
        List<Thread> stoppers = new ArrayList<>();
        for (Object component : List.of(postgres, kafka, chain, ipfs)) {
            if (component instanceof AutoCloseable c) {
                stoppers.add(Thread.ofPlatform().name("devstack-stop").start(() -> closeQuietly(c)));
            }
        }
        for (Thread t : stoppers) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static void closeQuietly(Object component) {
        if (component instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception ignored) {
                // best effort while shutting down or unwinding a failed start
            }
        }
    }

    @Override
    public String toString() {
        return "DevStack[postgres=" + postgres + ", kafka=" + kafka + ", chain=" + chain + ", ipfs=" + ipfs + "]";
    }
}
