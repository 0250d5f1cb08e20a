package io.zkpfl.devstack.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zkpfl.devstack.DevStack;
import io.zkpfl.devstack.DevStackConfig;
import io.zkpfl.devstack.DevStackLogging;
import io.zkpfl.devstack.chain.AnvilOptions;
import io.zkpfl.devstack.chain.JsonRpc;
import io.zkpfl.protocol.chain.DevChainKeys;
import io.zkpfl.protocol.model.ModelSpec;
import io.zkpfl.zk.kzg.DevSrs;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./zkpfl demo}: the whole system on this machine (docs/demo.md). The embedded stack with a chain that mines
 * every second; the marketplace, which deploys the dev platform with the verifiers of the dev SRS; three
 * zk-aggregator nodes (dev accounts 5–7); the reward engine (dev account 8, the job's evaluator); a Fashion-MNIST job
 * posted and signed by the dev owner (account 1); and trainers (dev trainer keys) on a Dirichlet split of the training
 * set, each a separate process. Prints one line per round and, at the end, the final model and what everyone earned.
 */
@Command(name = "zkpfl demo", mixinStandardHelpOptions = true,
        header = "Trains a model to its target through the whole zkPFL protocol on this machine.",
        description = {"Starts PostgreSQL, Kafka, a dev chain and an IPFS store, the marketplace, three zk-nodes and the reward "
                + "engine as separate processes, posts a Fashion-MNIST job as the dev owner and runs trainers until the "
                + "target accuracy or the round budget. Ctrl-C stops everything."})
public final class DemoCommand implements Callable<Integer> {

    @Option(names = "--trainers", defaultValue = "4", description = "trainer processes to run (default: ${DEFAULT-VALUE})")
    int trainers;

    @Option(names = "--model", defaultValue = "mlp", description = "built-in model: logreg, mlp or cnn (default: ${DEFAULT-VALUE})")
    String model;

    @Option(names = "--target", defaultValue = "0.80", description = "target accuracy in (0, 1] (default: ${DEFAULT-VALUE})")
    BigDecimal target;

    @Option(names = "--rounds", defaultValue = "15", description = "round budget (default: ${DEFAULT-VALUE})")
    int rounds;

    @Option(names = "--samples", defaultValue = "5000",
            description = "training samples each trainer uses from its share of the split (default: ${DEFAULT-VALUE})")
    int samples;

    @Option(names = "--alpha", defaultValue = "0.5", description = "Dirichlet concentration of the split (default: ${DEFAULT-VALUE})")
    double alpha;

    @Option(names = "--no-trainers", description = "post the job and wait for your own trainers (see docs/trainer.md)")
    boolean noTrainers;

    @Option(names = "--data", defaultValue = "/usr/share/datasets/fashion-mnist",
            description = "Fashion-MNIST IDX files (default: ${DEFAULT-VALUE})")
    Path data;

    @Option(names = "--marketplace-port", defaultValue = "8080", description = "preferred marketplace port (default: ${DEFAULT-VALUE})")
    int marketplacePort;

    @Option(names = "--srs-dir", description = "dev SRS cache (default: $XDG_CACHE_HOME/zkpfl/srs or ~/.cache/zkpfl/srs)")
    Path srsDir;

    @Option(names = "--work-dir", description = "logs, keystores and trainer data (default: a new folder under the system temp)")
    Path workDir;

    @Option(names = "--marketplace-jar", required = true, hidden = true)
    Path marketplaceJar;

    @Option(names = "--node-jar", required = true, hidden = true)
    Path nodeJar;

    @Option(names = "--engine-jar", required = true, hidden = true)
    Path engineJar;

    @Option(names = "--trainer-jar", required = true, hidden = true)
    Path trainerJar;

    private final PrintStream out;
    private volatile DevStack stack;
    private volatile LocalSystem system;

    DemoCommand(PrintStream out) {
        this.out = out;
    }

    public static void main(String[] args) {
        DevStackLogging.quiet();
        CommandLine cl = new CommandLine(new DemoCommand(System.out));
        cl.setExecutionExceptionHandler((e, line, parsed) -> {
            line.getErr().println("zkpfl demo: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            return 1;
        });
        System.exit(cl.execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (target.signum() <= 0 || target.compareTo(BigDecimal.ONE) > 0) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--target must be in (0, 1], got " + target);
        }
        Path work = workDir != null ? Files.createDirectories(workDir) : Files.createTempDirectory("zkpfl-demo");
        Runtime.getRuntime().addShutdownHook(new Thread(this::stopAll, "zkpfl-demo-stop"));
        Instant t0 = Instant.now();
        String spec = modelSpec(work).strip();
        long d = ModelSpec.parse(spec).parameterCount();
        int power = 2;
        while ((1L << power) < d + 3) {
            power++;
        }
        step("Starting PostgreSQL, Kafka, the dev chain (a block a second) and the IPFS store");
        DevStack stack = DevStack.start(DevStackConfig.fromEnvironment()
                .withAnvil(AnvilOptions.defaults().withBlockTime(Duration.ofSeconds(1))));
        this.stack = stack;
        Path ptau = DevSrs.ensure(srsDir != null ? srsDir : defaultSrsDir(), power, line -> step(line));
        step("Starting the marketplace (it deploys the platform with the dev SRS's verifiers), three zk-nodes and the "
                + "reward engine");
        LocalSystem system = new LocalSystem(stack, ptau, new LocalSystem.Jars(marketplaceJar, nodeJar, engineJar, trainerJar), work);
        this.system = system;
        system.start(marketplacePort);
        JsonNode chain = system.chain();

        step("Posting a " + model + " job (" + d + " parameters, target " + target.stripTrailingZeros().toPlainString()
                + ", at most " + rounds + " rounds) signed by the dev owner "
                + LocalSystem.address(DevChainKeys.privateKey(LocalSystem.OWNER)));
        long id = system.postJob(job(chain, spec));
        JsonNode view = system.awaitOnChain(id, Duration.ofMinutes(2));
        String chainJob = view.get("submission").get("chainJobId").asText();
        URI marketplace = system.marketplace().baseUrl();
        URI engine = system.engine().baseUrl();
        out.printf(Locale.ROOT, "%nJob %d is on chain as job %s. Watch it:%n  dashboard    %s/dashboard/%n  marketplace  %s/api/v1/jobs/%d%n"
                        + "  audit        %s/api/v1/audit/jobs/%s/rounds%n"
                        + "  as the owner ./zkpfl job watch %d --marketplace %s --rpc %s --audit %s%n"
                        + "  logs         %s%n%n", id, chainJob, marketplace, marketplace, id, engine, chainJob, id, marketplace,
                stack.chain().rpcUrl(), engine, work);
        if (noTrainers) {
            out.printf(Locale.ROOT, "Join with your own trainer (docs/trainer.md), e.g.:%n  ./zkpfl trainer run --job %d "
                    + "--marketplace %s --rpc %s --kafka %s --ipfs %s --srs %s%n%n", id, marketplace,
                    stack.chain().rpcUrl(), stack.kafka().bootstrapServers(), stack.ipfs().apiUrl(), ptau);
        } else {
            startTrainers(system, work, id);
        }
        follow(system, stack, marketplace, engine, id, chainJob, t0);
        return 0;
    }

    private void startTrainers(LocalSystem system, Path work, long id) throws Exception {
        step("Splitting Fashion-MNIST among " + trainers + " trainers (Dirichlet " + alpha + ")");
        Path split = work.resolve("split");
        system.trainerOutput("partition", "--data", data.toString(), "--out", split.toString(), "--trainers",
                Integer.toString(trainers), "--alpha", Double.toString(alpha), "--force");
        for (int i = 0; i < trainers; i++) {
            system.enrolTrainer(i, id);
        }
        for (int i = 0; i < trainers; i++) {
            system.startTrainer(i, "run", "run", "--job", Long.toString(id), "--rounds", Integer.toString(rounds), "--data",
                    split.resolve(String.format(Locale.ROOT, "trainer-%02d", i + 1)).toString(), "--limit",
                    Integer.toString(samples), "--threads", "1");
        }
        step(trainers + " trainers staked, joined and are training (logs: " + work.resolve("trainer-N/run.log") + ")");
    }

    /** How long, after the chain ended the job, the summary waits for the engine's index to show its last round. */
    private static final Duration LAST_ROUND_WAIT = Duration.ofSeconds(60);

    /** Prints a line per round until the job ends, then the summary. */
    private void follow(LocalSystem system, DevStack stack, URI marketplace, URI engine, long id, String chainJob, Instant t0)
            throws Exception {
        out.printf(Locale.ROOT, "%-6s %-9s %-9s %-22s %-11s %-8s%n", "round", "trainers", "accuracy", "paid (tokens)", "gas",
                "seconds");
        JsonRpc rpc = new JsonRpc(stack.chain().rpcUrl());
        Set<Integer> printed = new LinkedHashSet<>();
        Instant last = Instant.now();
        Instant endedAt = null;
        double accuracy = 0;
        while (true) {
            JsonNode rounds = system.get(engine.resolve("/api/v1/audit/jobs/" + chainJob + "/rounds?limit=100"));
            for (JsonNode r : rounds.path("items")) {
                int round = r.get("round").asInt();
                JsonNode result = r.get("result");
                if (result == null || result.isNull() || printed.contains(round)) {
                    continue;
                }
                printed.add(round);
                Instant now = Instant.now();
                accuracy = result.get("accuracyPpm").asLong() / 1e6;
                int included = 0;
                // a transaction once, however many of the round's events it carries (the leader's batches)
                java.util.Set<String> txs = new java.util.LinkedHashSet<>();
                for (JsonNode a : r.path("attempts")) {
                    if (a.path("included").has("trainers")) {
                        included = a.path("included").path("trainers").size();
                    }
                    txs.addAll(transactions(a));
                }
                txs.add(result.path("tx").asText(""));
                long gas = 0;
                for (String tx : txs) {
                    gas += gasOf(rpc, tx);
                }
                out.printf(Locale.ROOT, "%-6d %-9d %-9.4f %-22s %-11d %-8.1f%n", round, included, accuracy,
                        tokens(result.path("paid").asText("0")), gas, Duration.between(last, now).toMillis() / 1000.0);
                last = now;
            }
            JsonNode job = system.get(marketplace.resolve("/api/v1/jobs/" + id));
            String status = job.path("chain").path("status").asText("");
            if ("COMPLETED".equals(status) || "FAILED".equals(status)) {
                // the chain may end the job a block or two before the engine's index shows its last round: print that first
                int paidOnChain = job.path("chain").path("roundsPaid").asInt(0);
                if (printed.size() < paidOnChain && endedAt == null) {
                    endedAt = Instant.now();
                }
                if (printed.size() >= paidOnChain || Duration.between(endedAt, Instant.now()).compareTo(LAST_ROUND_WAIT) > 0) {
                    summary(system, stack, engine, id, chainJob, status, accuracy, t0);
                    return;
                }
                Thread.sleep(500);
                continue;
            }
            // a trainer that took part in its last round exits 0 while that round is still being aggregated
            if (!noTrainers && system.trainers().stream().noneMatch(Process::isAlive)
                    && system.trainers().stream().anyMatch(p -> p.exitValue() != 0)) {
                throw new IllegalStateException("the trainers stopped before the job ended, at least one with an error; see "
                        + system.work().resolve("trainer-N/run.log"));
            }
            Thread.sleep(2_000);
        }
    }

    private void summary(LocalSystem system, DevStack stack, URI engine, long id, String chainJob, String status, double accuracy,
            Instant t0) {
        out.printf(Locale.ROOT, "%nJob %s %s after %.0f s: accuracy %.4f (target %s)%n", chainJob, status.toLowerCase(Locale.ROOT),
                Duration.between(t0, Instant.now()).toMillis() / 1000.0, accuracy, target.stripTrailingZeros().toPlainString());
        try {
            JsonNode m = system.get(engine.resolve("/api/v1/jobs/" + chainJob + "/model"));
            out.printf(Locale.ROOT, "Final model: keccak-256 %s, IPFS %s (%s/api/v1/jobs/%s/model)%n"
                            + "  fetch it, checked against the chain: ./zkpfl job fetch %s --marketplace %s --rpc %s --engine %s "
                            + "--ipfs %s%n", m.path("weightsHash").asText(), m.path("weightsCid").asText(), engine, chainJob,
                    id, system.marketplace().baseUrl(), stack.chain().rpcUrl(), engine, stack.ipfs().apiUrl());
        } catch (RuntimeException e) {
            out.println("Final model: " + e.getMessage());
        }
        List<String> accounts = new ArrayList<>();
        LocalSystem.NODES.forEach(k -> accounts.add("node-" + (LocalSystem.NODES.indexOf(k) + 1) + " " + LocalSystem.address(DevChainKeys.privateKey(k))));
        for (int i = 0; i < (noTrainers ? 0 : trainers); i++) {
            accounts.add("trainer-" + (i + 1) + " " + LocalSystem.address(DevChainKeys.trainerKey(i)));
        }
        out.println("Earned (tokens, credited on chain, claimable):");
        for (String a : accounts) {
            String[] parts = a.split(" ");
            try {
                JsonNode v = system.get(engine.resolve("/api/v1/audit/accounts/" + parts[1]));
                out.printf(Locale.ROOT, "  %-10s %s %s%n", parts[0], parts[1], tokens(v.path("earned").asText("0")));
            } catch (RuntimeException e) {
                out.printf(Locale.ROOT, "  %-10s %s (%s)%n", parts[0], parts[1], e.getMessage());
            }
        }
    }

    /** The transactions of an attempt's commits, openings, reveals and result opening. */
    private static List<String> transactions(JsonNode attempt) {
        List<String> txs = new ArrayList<>();
        for (String list : new String[] {"commits", "openings", "reveals"}) {
            for (JsonNode t : attempt.path(list)) {
                txs.add(t.path("tx").asText(""));
            }
        }
        txs.add(attempt.path("aggregate").path("tx").asText(""));
        return txs;
    }

    private static long gasOf(JsonRpc rpc, String tx) {
        if (tx == null || tx.isEmpty()) {
            return 0;
        }
        try {
            JsonNode r = rpc.call("eth_getTransactionReceipt", "[\"" + tx + "\"]");
            return r == null || r.isNull() ? 0 : Long.decode(r.get("gasUsed").asText());
        } catch (IOException e) {
            return 0;
        }
    }

    private static String tokens(String wei) {
        return new BigDecimal(new BigInteger(wei)).movePointLeft(18).setScale(4, java.math.RoundingMode.DOWN).toPlainString();
    }

    /** The built-in model's specification JSON, as the trainer jar prints it. */
    private String modelSpec(Path work) throws Exception {
        Path outFile = Files.createTempFile(work, "model", ".json");
        Path errFile = Files.createTempFile(work, "model", ".err");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                trainerJar.toString(), "models", "--show", model).redirectOutput(outFile.toFile()).redirectError(errFile.toFile())
                .start();
        if (!p.waitFor(2, TimeUnit.MINUTES) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IllegalStateException("no built-in model '" + model + "': " + Files.readString(errFile).strip());
        }
        return Files.readString(outFile, StandardCharsets.UTF_8);
    }

    /** The demo's job, unsigned: the defaults of {@link DemoJob} with this command's options. */
    private ObjectNode job(JsonNode chain, String spec) {
        int min = noTrainers ? 2 : Math.max(2, trainers);
        return DemoJob.of(spec, chain.get("token").asText()).target(target).rounds(rounds)
                .trainers(min, Math.max(min, noTrainers ? 16 : trainers)).json();
    }

    private void step(String line) {
        out.println("• " + line);
        out.flush();
    }

    /** Stops trainers and services, then the stack: nothing is left running. */
    private void stopAll() {
        if (system != null) {
            system.close();
        }
        if (stack != null) {
            stack.close();
        }
        out.println("zkpfl demo: stopped");
        out.flush();
    }

    static Path defaultSrsDir() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path cache = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return cache.resolve("zkpfl").resolve("srs");
    }
}
