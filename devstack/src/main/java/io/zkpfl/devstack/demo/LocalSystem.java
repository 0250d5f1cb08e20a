package io.zkpfl.devstack.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zkpfl.devstack.DevStack;
import io.zkpfl.protocol.chain.DevChainKeys;
import java.io.IOException;
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
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Sign;

/**
 * Every zkPFL party as its own process on one machine, on a {@link DevStack}: the marketplace (its dev bootstrap
 * deploys the platform with the verifiers of {@code ptau}), three zk-aggregator nodes (dev accounts 5–7), the reward
 * engine (dev account 8, the jobs' evaluator) and trainer processes (dev trainer keys), each with a log under
 * {@link #work()}. What the demo runs and what the system tests run, so both exercise the same wiring.
 */
public final class LocalSystem implements AutoCloseable {

    /** The packaged applications. */
    public record Jars(Path marketplace, Path node, Path engine, Path trainer) {

        /** Absolute paths, since processes run in folders of their own. */
        public Jars {
            marketplace = marketplace.toAbsolutePath();
            node = node.toAbsolutePath();
            engine = engine.toAbsolutePath();
            trainer = trainer.toAbsolutePath();
        }
    }

    public static final String PASSWORD = "zkpfl-dev";
    public static final int OWNER = 1;
    public static final int EVALUATOR = 8;
    public static final List<Integer> NODES = List.of(5, 6, 7);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final DevStack stack;
    private final Path ptau;
    private final Jars jars;
    private final Path work;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<AutoCloseable> services = Collections.synchronizedList(new ArrayList<>());
    private final List<Process> trainers = Collections.synchronizedList(new ArrayList<>());
    private ServiceProcess marketplace;
    private ServiceProcess engine;
    private JsonNode chain;

    public LocalSystem(DevStack stack, Path ptau, Jars jars, Path work) {
        this.stack = stack;
        this.ptau = ptau;
        this.jars = jars;
        this.work = work;
    }

    /**
     * Starts the marketplace, then the three nodes and the engine side by side; stops what did start if one does not.
     *
     * @param marketplacePort preferred port, 0 for any
     */
    public LocalSystem start(int marketplacePort) throws Exception {
        Map<String, String> props = new LinkedHashMap<>(stack.serviceProperties());
        props.put("zkpfl.chain.bootstrap", "dev");
        props.put("zkpfl.srs.ptau", ptau.toString());
        props.put("zkpfl.chain.evaluator", address(DevChainKeys.privateKey(EVALUATOR)));
        // one machine runs every process: give PostgreSQL, the chain and IPFS more than the 3 s default
        for (String dependency : new String[] {"db", "chain", "ipfs"}) {
            props.put("zkpfl." + dependency + ".timeout", "PT15S");
        }
        // the marketplace's dashboard reads rounds and payments from the engine's audit API, which starts after it
        int enginePort = ServiceProcess.freePort();
        props.put("zkpfl.audit.url", "http://127.0.0.1:" + enginePort);
        marketplace = service("marketplace", jars.marketplace(), props, marketplacePort);
        chain = get(marketplace.baseUrl().resolve("/api/v1/chain"));
        long fromBlock = Long.decode(new io.zkpfl.devstack.chain.JsonRpc(stack.chain().rpcUrl())
                .call("eth_blockNumber", "[]").asText());
        List<CompletableFuture<ServiceProcess>> starting = new ArrayList<>();
        // Raft among the committee (the leader batches the openings, certifying before D2 when nobody disputes,
        // docs/adr/0110-early-certification.md): the dev nodes are registered without a Raft port, so each node
        // gets its port and the others' addresses here
        List<Integer> raftPorts = new ArrayList<>();
        List<String> raftPeers = new ArrayList<>();
        for (int k = 0; k < NODES.size(); k++) {
            raftPorts.add(ServiceProcess.freePort());
            raftPeers.add(address(DevChainKeys.privateKey(NODES.get(k))).toLowerCase() + "=127.0.0.1:" + raftPorts.get(k));
        }
        for (int k = 0; k < NODES.size(); k++) {
            Map<String, String> p = common();
            Path keystore = keystore("node-" + (k + 1), DevChainKeys.privateKey(NODES.get(k)));
            p.put("zkpfl.raft.port", Integer.toString(raftPorts.get(k)));
            p.put("zkpfl.raft.peers", String.join(",", raftPeers));
            // a fresh Raft folder per start: a reused --work-dir must not bring back groups of an earlier chain
            p.put("zkpfl.raft.storage", keystore.resolveSibling("raft-" + System.currentTimeMillis()).toString());
            p.put("zkpfl.node.schema", "zk_node_" + (k + 1));
            p.put("zkpfl.chain.from-block", Long.toString(fromBlock));
            // half the dev chain's block time: a node sees each phase change within a block
            p.put("zkpfl.chain.poll-interval", "500ms");
            p.put("zkpfl.srs.ptau", ptau.toString());
            p.put("zkpfl.node.keystore", keystore.toString());
            p.put("zkpfl.node.password-file", keystore.resolveSibling("password").toString());
            String name = "node-" + (k + 1);
            starting.add(CompletableFuture.supplyAsync(() -> service(name, jars.node(), p, 0)));
        }
        Map<String, String> e = common();
        Path engineKey = keystore("engine", DevChainKeys.privateKey(EVALUATOR));
        e.put("quarkus.flyway.schemas", "reward_engine");
        e.put("quarkus.flyway.default-schema", "reward_engine");
        e.put("quarkus.datasource.jdbc.additional-jdbc-properties.currentSchema", "reward_engine");
        e.put("zkpfl.engine.keystore", engineKey.toString());
        e.put("zkpfl.engine.keystore-password-file", engineKey.resolveSibling("password").toString());
        e.put("zkpfl.engine.srs-file", ptau.toString());
        e.put("zkpfl.index.confirmations", "1");
        starting.add(CompletableFuture.supplyAsync(() -> service("engine", jars.engine(), e, enginePort)));
        RuntimeException failed = null;
        for (CompletableFuture<ServiceProcess> f : starting) {
            try {
                f.join();
            } catch (CompletionException ex) {
                failed = ex.getCause() instanceof RuntimeException r ? r : ex;
            }
        }
        if (failed != null) {
            close();
            throw failed;
        }
        engine = starting.getLast().join();
        return this;
    }

    public Path work() {
        return work;
    }

    public Path ptau() {
        return ptau;
    }

    public ServiceProcess marketplace() {
        return marketplace;
    }

    public ServiceProcess engine() {
        return engine;
    }

    /** {@code GET /api/v1/chain} of the marketplace: chain id and the platform's contract addresses. */
    public JsonNode chain() {
        return chain;
    }

    /** Signs {@code job} (the unsigned JSON) as the dev owner and posts it; returns the marketplace's job id. */
    public long postJob(ObjectNode job) {
        JsonNode typed = send(HttpRequest.newBuilder(marketplace.baseUrl().resolve("/api/v1/jobs/typed-data"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(job.toString())), 200);
        byte[] digest = HexFormat.of().parseHex(typed.get("digest").asText().substring(2));
        Sign.SignatureData s = Sign.signMessage(digest, Credentials.create(DevChainKeys.privateKey(OWNER)).getEcKeyPair(), false);
        byte[] sig = new byte[65];
        System.arraycopy(s.getR(), 0, sig, 0, 32);
        System.arraycopy(s.getS(), 0, sig, 32, 32);
        sig[64] = s.getV()[0];
        job.put("signature", "0x" + HexFormat.of().formatHex(sig));
        return send(HttpRequest.newBuilder(marketplace.baseUrl().resolve("/api/v1/jobs")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(job.toString())), 201).get("id").asLong();
    }

    /**
     * Waits until job {@code id} is on chain, then registers its round-0 artefacts with the engine; returns the
     * marketplace's view of the job.
     */
    public JsonNode awaitOnChain(long id, Duration timeout) throws InterruptedException {
        Instant until = Instant.now().plus(timeout);
        while (Instant.now().isBefore(until)) {
            JsonNode j = get(marketplace.baseUrl().resolve("/api/v1/jobs/" + id));
            String state = j.path("submission").path("state").asText();
            if ("ON_CHAIN".equals(state)) {
                JsonNode a = j.get("artifacts");
                send(HttpRequest.newBuilder(engine.baseUrl().resolve("/api/v1/jobs/" + j.get("submission").get("chainJobId").asText()
                        + "/artifacts")).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                        JSON.createObjectNode().put("manifestCid", a.get("manifest.json").get("cid").asText())
                                .put("modelCid", a.get("model.json").get("cid").asText())
                                .put("weightsCid", a.get("weights.bin").get("cid").asText()).toString())), 200);
                return j;
            }
            if ("FAILED".equals(state)) {
                throw new IllegalStateException("job " + id + " did not reach the chain: " + j.path("submission").path("error").asText());
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("job " + id + " did not reach the chain within " + timeout);
    }

    /** What trainer {@code i}'s jar needs in its environment: its wallet and every endpoint. */
    public Map<String, String> trainerEnv(int i) {
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

    /** Imports dev trainer key {@code i} into trainer {@code i}'s wallet, stakes and joins marketplace job {@code job}. */
    public void enrolTrainer(int i, long job) throws Exception {
        Path key = Files.createDirectories(work.resolve("trainer-" + (i + 1))).resolve("key.hex");
        Files.writeString(key, DevChainKeys.trainerKey(i).substring(2));
        try {
            runTrainer(i, "wallet", "import", "--private-key-file", key.toString(), "--light");
        } finally {
            Files.deleteIfExists(key);
        }
        runTrainer(i, "stake");
        runTrainer(i, "join", "--job", Long.toString(job));
    }

    /**
     * Runs trainer {@code i}'s jar to its end (a user retries a 503 "retry later", so this does, twice); output in
     * {@code trainer-<i+1>/setup.log}.
     *
     * @throws IllegalStateException with the command's last line when it fails
     */
    public void runTrainer(int i, String... args) throws Exception {
        Path dir = Files.createDirectories(work.resolve("trainer-" + (i + 1)));
        for (int attempt = 1; ; attempt++) {
            Path log = dir.resolve("setup.log");
            List<String> cmd = new ArrayList<>(List.of(java(), "-jar", jars.trainer().toString()));
            cmd.addAll(List.of(args));
            long before = Files.exists(log) ? Files.size(log) : 0;
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            pb.environment().putAll(trainerEnv(i));
            Process p = pb.start();
            if (p.waitFor(5, TimeUnit.MINUTES) && p.exitValue() == 0) {
                return;
            }
            p.destroyForcibly();
            String out = Files.readString(log, StandardCharsets.UTF_8).substring((int) before).strip();
            String last = out.isEmpty() ? "no output" : out.lines().reduce((a, b) -> b).orElse(out);
            if (attempt == 3 || !last.contains(" 503")) {
                throw new IllegalStateException("trainer " + (i + 1) + " " + args[0] + " failed: " + last);
            }
            Thread.sleep(2_000);
        }
    }

    /** Starts trainer {@code i}'s jar with {@code args}; output in {@code trainer-<i+1>/<label>.log}. */
    public Process startTrainer(int i, String label, String... args) throws IOException {
        Path dir = Files.createDirectories(work.resolve("trainer-" + (i + 1)));
        List<String> cmd = new ArrayList<>(List.of(java(), "-Xmx1g", "-jar", jars.trainer().toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve(label + ".log").toFile());
        pb.environment().putAll(trainerEnv(i));
        Process p = pb.start();
        trainers.add(p);
        return p;
    }

    /** The trainer jar's standard output for a one-off command (models, partition). */
    public String trainerOutput(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(java(), "-jar", jars.trainer().toString()));
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

    /** The trainer processes started so far. */
    public List<Process> trainers() {
        return List.copyOf(trainers);
    }

    public JsonNode get(URI uri) {
        return send(HttpRequest.newBuilder(uri).GET(), 200);
    }

    public JsonNode send(HttpRequest.Builder request, int expected) {
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

    public static String address(String privateKey) {
        return Credentials.create(privateKey).getAddress();
    }

    private Map<String, String> common() {
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

    private ServiceProcess service(String name, Path jar, Map<String, String> props, int port) {
        ServiceProcess s = ServiceProcess.start(name, jar, props, port, work.resolve(name + ".log"), Duration.ofMinutes(5));
        services.add(s);
        return s;
    }

    /**
     * A light-scrypt Web3 Secret Storage keystore of {@code privateKey} with its password file beside it, made by the
     * trainer's own {@code wallet import} (the format every zkPFL service reads).
     */
    private Path keystore(String name, String privateKey) throws Exception {
        Path folder = Files.createDirectories(work.resolve("keys").resolve(name));
        Path key = folder.resolve("key.hex");
        Files.writeString(key, privateKey.substring(2));
        Path file = folder.resolve("keystore.json");
        try {
            ProcessBuilder pb = new ProcessBuilder(java(), "-jar", jars.trainer().toString(), "wallet", "import",
                    "--private-key-file", key.toString(), "--light").redirectErrorStream(true)
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

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Stops the trainers, then the services (not the stack, which its owner closes). */
    @Override
    public void close() {
        synchronized (trainers) {
            trainers.forEach(Process::destroy);
            for (Process p : trainers) {
                try {
                    if (!p.waitFor(10, TimeUnit.SECONDS)) {
                        p.destroyForcibly();
                    }
                } catch (InterruptedException e) {
                    p.destroyForcibly();
                }
            }
            trainers.clear();
        }
        synchronized (services) {
            for (int i = services.size() - 1; i >= 0; i--) {
                try {
                    services.get(i).close();
                } catch (Exception ignored) {
                    // keep stopping the rest
                }
            }
            services.clear();
        }
    }
}
