package io.zkpfl.devstack;

import io.zkpfl.zk.kzg.DevSrs;
import io.zkpfl.devstack.chain.DevAccounts;
import io.zkpfl.devstack.demo.DemoChain;
import io.zkpfl.devstack.demo.ServiceProcess;
import java.net.URI;
import java.nio.file.Files;
import java.time.Duration;

import io.zkpfl.devstack.chain.AnvilNode;
import io.zkpfl.devstack.ipfs.IpfsStore;
import io.zkpfl.devstack.kafka.EmbeddedKafkaBroker;
import io.zkpfl.devstack.postgres.EmbeddedPostgresServer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code java -jar devstack/target/devstack-<version>.jar}: starts PostgreSQL, Kafka, Anvil and the IPFS
 * store, prints their endpoints, and keeps them up until Ctrl-C.
 */
@Command(name = "zkpfl-devstack", mixinStandardHelpOptions = true, versionProvider = DevStackMain.Version.class,
        description = {"Starts zkPFL's development stack (PostgreSQL, Kafka, an Anvil EVM chain, an IPFS store) "
                + "on free loopback ports, prints the endpoints and stays up until Ctrl-C.",
                "Any component can point at an external service instead through the zkpfl.devstack.* system "
                        + "properties or ZKPFL_DEVSTACK_* environment variables (see docs/devstack.md)."})
public final class DevStackMain implements Callable<Integer> {

    @Option(names = "--ipfs-dir", paramLabel = "DIR",
            description = "Keep IPFS blocks in DIR across runs (default: a temporary directory deleted on exit).")
    Path ipfsDir;

    @Option(names = "--properties",
            description = "Also print the service properties (key=value) that point an application at the stack.")
    boolean properties;

    @Option(names = "--marketplace", paramLabel = "JAR",
            description = "Also run the marketplace service (its quarkus-run.jar) against the stack and print its API, "
                    + "OpenAPI and health addresses.")
    Path marketplace;

    @Option(names = "--marketplace-port", paramLabel = "PORT", defaultValue = "8080",
            description = "Port for the marketplace when it is free, else any free port (default: ${DEFAULT-VALUE}).")
    int marketplacePort;

    @Option(names = "--srs-power", paramLabel = "P", defaultValue = "15",
            description = "Size of the dev SRS the marketplace's dev platform verifies openings with: 2^P powers, enough "
                    + "for models of up to 2^P − 3 parameters. Made once by a three-contribution ceremony and cached "
                    + "(first run at 2^15: about two minutes) (default: ${DEFAULT-VALUE}).")
    int srsPower;

    @Option(names = "--srs-dir", paramLabel = "DIR",
            description = "Where the dev SRS is cached (default: $XDG_CACHE_HOME/zkpfl/srs or ~/.cache/zkpfl/srs).")
    Path srsDir;

    private final PrintStream out;

    DevStackMain(PrintStream out) {
        this.out = out;
    }

    /** Runs the command line and exits with its status. */
    public static void main(String[] args) {
        DevStackLogging.quiet();
        System.exit(commandLine(System.out).execute(args));
    }

    static CommandLine commandLine(PrintStream out) {
        CommandLine cl = new CommandLine(new DevStackMain(out));
        cl.setExecutionExceptionHandler((e, line, parsed) -> {
            line.getErr().println("zkpfl-devstack: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            return 1;
        });
        return cl;
    }

    @Override
    public Integer call() throws Exception {
        DevStackConfig config = DevStackConfig.fromEnvironment();
        if (ipfsDir != null) {
            config = config.withIpfs(config.ipfs().withDataDir(ipfsDir));
        }
        long t0 = System.nanoTime();
        DevStack stack = DevStack.start(config);
        double seconds = (System.nanoTime() - t0) / 1e9;
        CountDownLatch stopped = new CountDownLatch(1);
        java.util.concurrent.atomic.AtomicReference<ServiceProcess> service = new java.util.concurrent.atomic.AtomicReference<>();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (service.get() != null) {
                service.get().close();
            }
            stack.close();
            out.println("zkpfl-devstack: stopped");
            out.flush();
            stopped.countDown();
        }, "devstack-main-shutdown"));
        out.print(table(stack, seconds));
        if (marketplace != null) {
            Path log = Files.createTempFile("zkpfl-marketplace", ".log");
            out.println("Starting the marketplace service (log: " + log + ") ...");
            out.flush();
            Path srs = DevSrs.ensure(srsDir != null ? srsDir : defaultSrsDir(), srsPower, line -> {
                out.println("  " + line);
                out.flush();
            });
            java.util.Map<String, String> props = new java.util.HashMap<>(stack.serviceProperties());
            // the service deploys the zkPFL contracts with the verifiers of the dev SRS on the dev chain and seeds
            // dev owners and zk-nodes
            props.put("zkpfl.chain.bootstrap", "dev");
            props.put("zkpfl.srs.ptau", srs.toString());
            service.set(ServiceProcess.start("marketplace", marketplace, props, marketplacePort, log, Duration.ofMinutes(3)));
            URI base = service.get().baseUrl();
            out.printf(Locale.ROOT, "%nzkPFL marketplace is up%n");
            out.printf(Locale.ROOT, "  Jobs API     %s/api/v1/jobs%n", base);
            out.printf(Locale.ROOT, "  OpenAPI      %s/q/openapi%n", base);
            out.printf(Locale.ROOT, "  Swagger UI   %s/q/swagger-ui%n", base);
            out.printf(Locale.ROOT, "  Health       %s/q/health%n", base);
            out.printf(Locale.ROOT, "  Metrics      %s/q/metrics%n", base);
            out.print(DemoChain.describe(base, stack.chain().rpcUrl(), DevAccounts.address(1)));
        }
        if (properties) {
            stack.serviceProperties().forEach((k, v) -> out.println(k + "=" + v));
        }
        out.println("Press Ctrl-C to stop.");
        out.flush();
        stopped.await();
        return 0;
    }

    static String table(DevStack stack, double seconds) {
        String[][] rows = {
                {"PostgreSQL", stack.postgres().jdbcUrl(), stack.postgres() instanceof EmbeddedPostgresServer
                        ? "embedded; user " + stack.postgres().username() + ", password " + stack.postgres().password()
                        : "external; user " + stack.postgres().username()},
                {"Kafka", stack.kafka().bootstrapServers(), stack.kafka() instanceof EmbeddedKafkaBroker
                        ? "embedded KRaft broker+controller" : "external"},
                {"EVM chain", stack.chain().rpcUrl(), "chain id " + stack.chain().chainId()
                        + (stack.chain() instanceof AnvilNode ? "; embedded Anvil, dev mnemonic" : "; external")},
                {"IPFS", stack.ipfs().apiUrl(), stack.ipfs() instanceof IpfsStore s
                        ? "embedded Kubo RPC subset; blocks in " + s.dataDirectory() : "external Kubo"},
        };
        int w0 = "COMPONENT".length();
        int w1 = "ENDPOINT".length();
        for (String[] r : rows) {
            w0 = Math.max(w0, r[0].length());
            w1 = Math.max(w1, r[1].length());
        }
        String fmt = "%-" + w0 + "s  %-" + w1 + "s  %s%n";
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "zkPFL devstack %s ready in %.1f s%n", Version.version(), seconds));
        sb.append(String.format(Locale.ROOT, fmt, "COMPONENT", "ENDPOINT", "DETAILS"));
        for (String[] r : rows) {
            sb.append(String.format(Locale.ROOT, fmt, (Object[]) r));
        }
        sb.append(String.format(Locale.ROOT, "Faults: curl -X POST %s/{postgres|kafka|chain|ipfs}/{stall|resume|kill|restart}"
                + " (state: curl %s)%n", stack.faultsUrl(), stack.faultsUrl()));
        return sb.toString();
    }

    /** The version from the jar manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        static String version() {
            String v = DevStackMain.class.getPackage().getImplementationVersion();
            return v == null ? "(development build)" : v;
        }

        @Override
        public String[] getVersion() {
            return new String[] {"zkpfl-devstack " + version(), "Java " + Runtime.version()};
        }
    }


    /** {@code $XDG_CACHE_HOME/zkpfl/srs}, else {@code ~/.cache/zkpfl/srs}. */
    static Path defaultSrsDir() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path cache = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return cache.resolve("zkpfl").resolve("srs");
    }
}
