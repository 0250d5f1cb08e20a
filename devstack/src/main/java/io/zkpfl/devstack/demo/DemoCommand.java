package io.zkpfl.devstack.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Sign;
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

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PASSWORD = "zkpfl-demo";
    private static final int OWNER = 1;
    private static final int EVALUATOR = 8;
    private static final List<Integer> NODES = List.of(5, 6, 7);

    @Option(names = "--trainers", defaultValue = "4", description = "trainer processes to run (default: ${DEFAULT-VALUE})")
    int trainers;

    @Option(names = "--model", defaultValue = "mlp", description = "built-in model: logreg, mlp or cnn (default: ${DEFAULT-VALUE})")
    String model;

    @Option(names = "--target", defaultValue = "0.80", description = "target accuracy in (0, 1] (default: ${DEFAULT-VALUE})")
    BigDecimal target;

    @Option(names = "--rounds", defaultValue = "10", description = "round budget (default: ${DEFAULT-VALUE})")
    int rounds;

    @Option(names = "--samples", defaultValue = "3000",
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
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<AutoCloseable> running = java.util.Collections.synchronizedList(new ArrayList<>());
    private final List<Process> trainerProcesses = new ArrayList<>();

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
        String spec = trainerOutput(work, "models", "--show", model).strip();
        long d = ModelSpec.parse(spec).parameterCount();
        int power = 2;
        while ((1L << power) < d + 3) {
            power++;
        }
        step("Starting PostgreSQL, Kafka, the dev chain (a block a second) and the IPFS store");
        DevStack stack = DevStack.start(DevStackConfig.fromEnvironment()
                .withAnvil(AnvilOptions.defaults().withBlockTime(Duration.ofSeconds(1))));
        running.add(stack);
        Path ptau = DevSrs.ensure(srsDir != null ? srsDir : defaultSrsDir(), power, line -> step(line));

        step("Starting the marketplace (it deploys the platform with the dev SRS's verifiers)");
        Map<String, String> props = new LinkedHashMap<>(stack.serviceProperties());
        props.put("zkpfl.chain.bootstrap", "dev");
        props.put("zkpfl.srs.ptau", ptau.toString());
        props.put("zkpfl.chain.evaluator", address(DevChainKeys.privateKey(EVALUATOR)));
        // one machine runs every process of the demo: give PostgreSQL, the chain and IPFS more than the 3 s default
        for (String dependency : new String[] {"db", "chain", "ipfs"}) {
            props.put("zkpfl." + dependency + ".timeout", "PT10S");
        }
        ServiceProcess marketplace = service("marketplace", marketplaceJar, props, marketplacePort, work);
        JsonNode chain = get(marketplace.baseUrl().resolve("/api/v1/chain"));
        long fromBlock = new JsonRpc(stack.chain().rpcUrl()).call("eth_blockNumber", "[]").asText().startsWith("0x")
                ? Long.decode(new JsonRpc(stack.chain().rpcUrl()).call("eth_blockNumber", "[]").asText()) : 0;

        step("Starting three zk-aggregator nodes and the reward engine");
        List<java.util.concurrent.CompletableFuture<ServiceProcess>> starting = new ArrayList<>();
        for (int k = 0; k < NODES.size(); k++) {
            Map<String, String> p = common(stack, chain);
            Path keystore = keystore(work, "node-" + (k + 1), DevChainKeys.privateKey(NODES.get(k)));
            p.put("zkpfl.node.schema", "zk_node_" + (k + 1));
            p.put("zkpfl.chain.from-block", Long.toString(fromBlock));
            p.put("zkpfl.srs.ptau", ptau.toString());
            p.put("zkpfl.node.keystore", keystore.toString());
            p.put("zkpfl.node.password-file", keystore.resolveSibling("password").toString());
            String name = "node-" + (k + 1);
            starting.add(java.util.concurrent.CompletableFuture.supplyAsync(() -> service(name, nodeJar, p, 0, work)));
        }
        Map<String, String> e = common(stack, chain);
        Path engineKey = keystore(work, "engine", DevChainKeys.privateKey(EVALUATOR));
        e.put("quarkus.flyway.schemas", "reward_engine");
        e.put("quarkus.flyway.default-schema", "reward_engine");
        e.put("quarkus.datasource.jdbc.additional-jdbc-properties.currentSchema", "reward_engine");
        e.put("zkpfl.engine.keystore", engineKey.toString());
        e.put("zkpfl.engine.keystore-password-file", engineKey.resolveSibling("password").toString());
        e.put("zkpfl.engine.srs-file", ptau.toString());
        e.put("zkpfl.engine.validation-dir", data.toString());
        e.put("zkpfl.index.confirmations", "1");
        var engineStart = java.util.concurrent.CompletableFuture.supplyAsync(() -> service("engine", engineJar, e, 0, work));
        starting.forEach(java.util.concurrent.CompletableFuture::join);
        ServiceProcess engine = engineStart.join();

        step("Posting a " + model + " job (" + d + " parameters, target " + target.stripTrailingZeros().toPlainString()
                + ", at most " + rounds + " rounds) signed by the dev owner " + address(DevChainKeys.privateKey(OWNER)));
        long id = postJob(marketplace.baseUrl(), chain, spec);
        JsonNode view = awaitOnChain(marketplace.baseUrl(), id);
        String chainJob = view.get("submission").get("chainJobId").asText();
        JsonNode artifacts = view.get("artifacts");
        send(HttpRequest.newBuilder(engine.baseUrl().resolve("/api/v1/jobs/" + chainJob + "/artifacts"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(JSON.createObjectNode()
                        .put("manifestCid", artifacts.get("manifest.json").get("cid").asText())
                        .put("modelCid", artifacts.get("model.json").get("cid").asText())
                        .put("weightsCid", artifacts.get("weights.bin").get("cid").asText()).toString())), 200);
        out.printf(Locale.ROOT, "%nJob %d is on chain as job %s. Watch it:%n  marketplace  %s/api/v1/jobs/%d%n"
                        + "  audit        %s/api/v1/audit/jobs/%s/rounds%n  logs         %s%n%n", id, chainJob,
                marketplace.baseUrl(), id, engine.baseUrl(), chainJob, work);
        if (noTrainers) {
            out.printf(Locale.ROOT, "Join with your own trainer (docs/trainer.md), e.g.:%n  ./zkpfl trainer run --job %d "
                    + "--marketplace %s --rpc %s --kafka %s --ipfs %s --srs %s%n%n", id, marketplace.baseUrl(),
                    stack.chain().rpcUrl(), stack.kafka().bootstrapServers(), stack.ipfs().apiUrl(), ptau);
        } else {
            startTrainers(work, stack, marketplace, chain, ptau, id);
        }
        follow(stack, marketplace.baseUrl(), engine.baseUrl(), id, chainJob, t0);
        return 0;
    }

    private void startTrainers(Path work, DevStack stack, ServiceProcess marketplace, JsonNode chain, Path ptau, long id)
            throws Exception {
        step("Splitting Fashion-MNIST among " + trainers + " trainers (Dirichlet " + alpha + ")");
        Path split = work.resolve("split");
        trainerOutput(work, "partition", "--data", data.toString(), "--out", split.toString(), "--trainers",
                Integer.toString(trainers), "--alpha", Double.toString(alpha), "--force");
        for (int i = 0; i < trainers; i++) {
            Map<String, String> env = trainerEnv(work, i, stack, marketplace, chain, ptau);
            Path key = work.resolve("trainer-" + (i + 1)).resolve("key.hex");
            Files.createDirectories(key.getParent());
            Files.writeString(key, DevChainKeys.trainerKey(i).substring(2));
            runTrainer(work, i, env, "wallet", "import", "--private-key-file", key.toString(), "--light");
            Files.delete(key);
            runTrainer(work, i, env, "stake");
            runTrainer(work, i, env, "join", "--job", Long.toString(id));
        }
        for (int i = 0; i < trainers; i++) {
            Map<String, String> env = trainerEnv(work, i, stack, marketplace, chain, ptau);
            Path dir = work.resolve("trainer-" + (i + 1));
            ProcessBuilder pb = new ProcessBuilder(java(), "-Xmx1g", "-jar", trainerJar.toString(), "run", "--job",
                    Long.toString(id), "--rounds", Integer.toString(rounds), "--data",
                    split.resolve(String.format(Locale.ROOT, "trainer-%02d", i + 1)).toString(), "--limit",
                    Integer.toString(samples), "--threads", "1")
                    .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(dir.resolve("run.log").toFile());
            pb.environment().putAll(env);
            trainerProcesses.add(pb.start());
        }
        step(trainers + " trainers staked, joined and are training (logs: " + work.resolve("trainer-N/run.log") + ")");
    }

    /** Prints a line per round until the job ends, then the summary. */
    private void follow(DevStack stack, URI marketplace, URI engine, long id, String chainJob, Instant t0) throws Exception {
        out.printf(Locale.ROOT, "%-6s %-9s %-9s %-22s %-11s %-8s%n", "round", "trainers", "accuracy", "paid (tokens)", "gas",
                "seconds");
        JsonRpc rpc = new JsonRpc(stack.chain().rpcUrl());
        Set<Integer> printed = new LinkedHashSet<>();
        Instant last = Instant.now();
        double accuracy = 0;
        while (true) {
            JsonNode rounds = get(engine.resolve("/api/v1/audit/jobs/" + chainJob + "/rounds?limit=100"));
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
                long gas = 0;
                for (JsonNode a : r.path("attempts")) {
                    if (a.path("included").has("trainers")) {
                        included = a.path("included").path("trainers").size();
                    }
                    gas += gasOf(rpc, a);
                }
                gas += gasOf(rpc, result.path("tx").asText(null));
                out.printf(Locale.ROOT, "%-6d %-9d %-9.4f %-22s %-11d %-8.1f%n", round, included, accuracy,
                        tokens(result.path("paid").asText("0")), gas, Duration.between(last, now).toMillis() / 1000.0);
                last = now;
            }
            JsonNode job = get(marketplace.resolve("/api/v1/jobs/" + id));
            String status = job.path("chain").path("status").asText("");
            if ("COMPLETED".equals(status) || "FAILED".equals(status)) {
                summary(engine, chainJob, status, accuracy, t0);
                return;
            }
            if (!noTrainers && trainerProcesses.stream().noneMatch(Process::isAlive)) {
                throw new IllegalStateException("every trainer exited before the job ended; see their run.log files");
            }
            Thread.sleep(2_000);
        }
    }

    private void summary(URI engine, String chainJob, String status, double accuracy, Instant t0) {
        out.printf(Locale.ROOT, "%nJob %s %s after %.0f s: accuracy %.4f (target %s)%n", chainJob, status.toLowerCase(Locale.ROOT),
                Duration.between(t0, Instant.now()).toMillis() / 1000.0, accuracy, target.stripTrailingZeros().toPlainString());
        try {
            JsonNode m = get(engine.resolve("/api/v1/jobs/" + chainJob + "/model"));
            out.printf(Locale.ROOT, "Final model: keccak-256 %s, IPFS %s (%s/api/v1/jobs/%s/model)%n",
                    m.path("weightsHash").asText(), m.path("weightsCid").asText(), engine, chainJob);
        } catch (RuntimeException e) {
            out.println("Final model: " + e.getMessage());
        }
        List<String> accounts = new ArrayList<>();
        NODES.forEach(k -> accounts.add("node-" + (NODES.indexOf(k) + 1) + " " + address(DevChainKeys.privateKey(k))));
        for (int i = 0; i < (noTrainers ? 0 : trainers); i++) {
            accounts.add("trainer-" + (i + 1) + " " + address(DevChainKeys.trainerKey(i)));
        }
        out.println("Earned (tokens, credited on chain, claimable):");
        for (String a : accounts) {
            String[] parts = a.split(" ");
            try {
                JsonNode v = get(engine.resolve("/api/v1/audit/accounts/" + parts[1]));
                out.printf(Locale.ROOT, "  %-10s %s %s%n", parts[0], parts[1], tokens(v.path("earned").asText("0")));
            } catch (RuntimeException e) {
                out.printf(Locale.ROOT, "  %-10s %s (%s)%n", parts[0], parts[1], e.getMessage());
            }
        }
    }

    private static long gasOf(JsonRpc rpc, JsonNode attempt) {
        long gas = 0;
        for (String list : new String[] {"commits", "openings", "reveals"}) {
            for (JsonNode t : attempt.path(list)) {
                gas += gasOf(rpc, t.path("tx").asText(null));
            }
        }
        gas += gasOf(rpc, attempt.path("aggregate").path("tx").asText(null));
        return gas;
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

    private long postJob(URI marketplace, JsonNode chain, String spec) throws Exception {
        ObjectNode j = JSON.createObjectNode();
        j.put("owner", address(DevChainKeys.privateKey(OWNER)).toLowerCase(Locale.ROOT));
        j.set("model", JSON.readTree(spec));
        j.putObject("training").put("localEpochs", 1).put("batchSize", 32).put("learningRate", 0.05).put("optimiser", "sgd");
        j.put("targetAccuracy", target);
        j.put("maxRounds", rounds);
        j.putObject("fee").put("token", chain.get("token").asText()).put("amount", "1000000000000000000000");
        j.putObject("committee").put("size", 3).put("threshold", 2);
        int min = noTrainers ? 2 : Math.max(2, trainers);
        j.put("minTrainers", min).put("maxTrainers", Math.max(min, noTrainers ? 16 : trainers)).put("maxSamples", 60_000);
        j.putObject("windows").put("commit", 600).put("complaint", 10).put("partial", 120).put("proof", 300).put("reveal", 120);
        j.put("nonce", String.valueOf(System.currentTimeMillis()));
        j.put("deadline", Instant.now().getEpochSecond() + 3_600);
        JsonNode typed = send(HttpRequest.newBuilder(marketplace.resolve("/api/v1/jobs/typed-data"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(j.toString())), 200);
        byte[] digest = HexFormat.of().parseHex(typed.get("digest").asText().substring(2));
        Sign.SignatureData s = Sign.signMessage(digest, Credentials.create(DevChainKeys.privateKey(OWNER)).getEcKeyPair(), false);
        byte[] sig = new byte[65];
        System.arraycopy(s.getR(), 0, sig, 0, 32);
        System.arraycopy(s.getS(), 0, sig, 32, 32);
        sig[64] = s.getV()[0];
        j.put("signature", "0x" + HexFormat.of().formatHex(sig));
        return send(HttpRequest.newBuilder(marketplace.resolve("/api/v1/jobs")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(j.toString())), 201).get("id").asLong();
    }

    private JsonNode awaitOnChain(URI marketplace, long id) throws InterruptedException {
        Instant until = Instant.now().plus(Duration.ofMinutes(2));
        while (Instant.now().isBefore(until)) {
            JsonNode j = get(marketplace.resolve("/api/v1/jobs/" + id));
            String state = j.path("submission").path("state").asText();
            if ("ON_CHAIN".equals(state)) {
                return j;
            }
            if ("FAILED".equals(state)) {
                throw new IllegalStateException("the job did not reach the chain: " + j.path("submission").path("error").asText());
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("job " + id + " did not reach the chain within 2 minutes");
    }

    private Map<String, String> common(DevStack stack, JsonNode chain) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("quarkus.datasource.jdbc.url", stack.postgres().jdbcUrl());
        p.put("quarkus.datasource.username", stack.postgres().username());
        p.put("quarkus.datasource.password", stack.postgres().password());
        p.put("kafka.bootstrap.servers", stack.kafka().bootstrapServers());
        p.put("zkpfl.ipfs.api-url", stack.ipfs().apiUrl());
        p.put("zkpfl.chain.rpc-url", stack.chain().rpcUrl());
        p.put("zkpfl.chain.id", Long.toString(stack.chain().chainId()));
        for (String c : new String[] {"token", "registry", "market", "certifier"}) {
            p.put("zkpfl.chain.contracts." + c, chain.get(c).asText());
        }
        return p;
    }

    private Map<String, String> trainerEnv(Path work, int i, DevStack stack, ServiceProcess marketplace, JsonNode chain, Path ptau) {
        Path dir = work.resolve("trainer-" + (i + 1));
        Map<String, String> env = new LinkedHashMap<>();
        env.put("HOME", dir.resolve("home").toString());
        env.put("ZKPFL_KEYSTORE", dir.resolve("wallet.json").toString());
        env.put("ZKPFL_WALLET_PASSWORD", PASSWORD);
        env.put("ZKPFL_MARKETPLACE", marketplace.baseUrl().toString());
        env.put("ZKPFL_RPC", stack.chain().rpcUrl());
        env.put("ZKPFL_MARKET", chain.get("market").asText());
        env.put("ZKPFL_KAFKA", stack.kafka().bootstrapServers());
        env.put("ZKPFL_IPFS", stack.ipfs().apiUrl());
        env.put("ZKPFL_SRS", ptau.toString());
        return env;
    }

    private void runTrainer(Path work, int i, Map<String, String> env, String... args) throws Exception {
        Path dir = Files.createDirectories(work.resolve("trainer-" + (i + 1)));
        List<String> cmd = new ArrayList<>(List.of(java(), "-jar", trainerJar.toString()));
        cmd.addAll(List.of(args));
        Path log = dir.resolve("setup.log");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
            p.destroyForcibly();
            List<String> lines = Files.readAllLines(log);
            throw new IllegalStateException("trainer " + (i + 1) + " " + args[0] + " failed: "
                    + (lines.isEmpty() ? "no output" : lines.getLast()));
        }
    }

    /** Runs the trainer jar for a one-off answer (models, partition); returns its standard output. */
    private String trainerOutput(Path work, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(java(), "-jar", trainerJar.toString()));
        cmd.addAll(List.of(args));
        Path outFile = Files.createTempFile(work, "trainer", ".out");
        Path errFile = Files.createTempFile(work, "trainer", ".err");
        Process p = new ProcessBuilder(cmd).redirectOutput(outFile.toFile()).redirectError(errFile.toFile()).start();
        if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IllegalStateException("trainer " + String.join(" ", args) + " failed: "
                    + Files.readString(errFile, StandardCharsets.UTF_8).strip());
        }
        return Files.readString(outFile, StandardCharsets.UTF_8);
    }

    private ServiceProcess service(String name, Path jar, Map<String, String> props, int port, Path work) {
        ServiceProcess s = ServiceProcess.start(name, jar, props, port, work.resolve(name + ".log"), Duration.ofMinutes(4));
        running.add(s);
        return s;
    }

    /**
     * A light-scrypt Web3 Secret Storage keystore of {@code privateKey} with its password file beside it, made by the
     * trainer's own {@code wallet import} (the format every zkPFL service reads).
     */
    private Path keystore(Path work, String name, String privateKey) throws Exception {
        Path folder = Files.createDirectories(work.resolve("keys").resolve(name));
        Path key = folder.resolve("key.hex");
        Files.writeString(key, privateKey.substring(2));
        Path file = folder.resolve("keystore.json");
        try {
            List<String> cmd = List.of(java(), "-jar", trainerJar.toString(), "wallet", "import", "--private-key-file",
                    key.toString(), "--light");
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(folder.resolve("import.log").toFile());
            pb.environment().put("ZKPFL_KEYSTORE", file.toString());
            pb.environment().put("ZKPFL_WALLET_PASSWORD", PASSWORD);
            Process p = pb.start();
            if (!p.waitFor(2, TimeUnit.MINUTES) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IllegalStateException("making the keystore of " + name + " failed: "
                        + Files.readString(folder.resolve("import.log")).strip());
            }
        } finally {
            Files.delete(key);
        }
        Files.writeString(folder.resolve("password"), PASSWORD + "\n");
        return file;
    }

    private static String address(String privateKey) {
        return Credentials.create(privateKey).getAddress();
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private JsonNode get(URI uri) {
        return send(HttpRequest.newBuilder(uri).GET(), 200);
    }

    private JsonNode send(HttpRequest.Builder request, int expected) {
        try {
            HttpResponse<String> r = http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != expected) {
                throw new IllegalStateException(r.request().method() + " " + r.request().uri() + " answered " + r.statusCode()
                        + ": " + r.body());
            }
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new IllegalStateException(request.build().uri() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private void step(String line) {
        out.println("• " + line);
        out.flush();
    }

    /** Stops trainers, then services, then the stack: nothing is left running. */
    private void stopAll() {
        for (Process p : trainerProcesses) {
            p.destroy();
        }
        for (Process p : trainerProcesses) {
            try {
                if (!p.waitFor(10, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
            }
        }
        for (int i = running.size() - 1; i >= 0; i--) {
            try {
                running.get(i).close();
            } catch (Exception ignored) {
                // keep stopping the rest
            }
        }
        running.clear();
        out.println("zkpfl demo: stopped");
        out.flush();
    }

    static Path defaultSrsDir() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path cache = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return cache.resolve("zkpfl").resolve("srs");
    }
}
