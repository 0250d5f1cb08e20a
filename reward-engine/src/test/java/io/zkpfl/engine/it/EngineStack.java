package io.zkpfl.engine.it;

import static io.zkpfl.contracts.PlatformConfig.tokens;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zkpfl.contracts.ChainClient;
import io.zkpfl.contracts.setup.RoundPlatform;
import io.zkpfl.contracts.PlatformAddresses;
import io.zkpfl.contracts.PlatformConfig;
import io.zkpfl.contracts.generated.JobMarket.JobParams;
import io.zkpfl.devstack.DevStack;
import io.zkpfl.devstack.DevStackConfig;
import io.zkpfl.devstack.chain.AnvilNode;
import io.zkpfl.devstack.chain.DevAccounts;
import io.zkpfl.devstack.demo.ServiceProcess;
import io.zkpfl.protocol.ipfs.Cid;
import io.zkpfl.protocol.ipfs.KuboClient;
import io.zkpfl.protocol.model.FlatParameters;
import io.zkpfl.protocol.model.ModelSpec;
import io.zkpfl.protocol.model.WeightInitializer;
import io.zkpfl.zk.kzg.PowersOfTau;
import io.zkpfl.zk.kzg.Ptau;
import io.zkpfl.zk.kzg.Srs;
import java.io.IOException;
import java.io.UncheckedIOException;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;
import org.web3j.crypto.WalletUtils;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.http.HttpService;
import org.web3j.utils.Numeric;

/**
 * The embedded devstack (its own PostgreSQL, Kafka, Anvil and IPFS store) with the zkPFL platform deployed with the KZG
 * verifier of an SRS made here by a powers-of-tau contribution and written as a {@code .ptau} file (the engine reads
 * it as it reads the platform's), funded nodes and trainers, an evaluator key in a Web3 Secret Storage keystore, and
 * the reward engine run as a child process from its Quarkus jar.
 */
final class EngineStack implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();
    /** A model small enough for a quick round: 4x4 max-pooling to 7x7, then softmax over 10 classes (500 parameters). */
    static final ModelSpec SPEC = ModelSpec.parse("""
            {"input": {"shape": [1, 28, 28]},
             "layers": [{"type": "maxpool2d", "pool": [4, 4]}, {"type": "flatten"},
                        {"type": "output", "units": 10, "activation": "softmax"}],
             "loss": "cross_entropy"}""");
    static final int BUCKET = 512;
    static final BigInteger NODE_STAKE = tokens(1_000);
    static final BigInteger TRAINER_STAKE = tokens(500);

    final DevStack stack;
    final AnvilNode anvil;
    final Web3j web3j;
    final Path dir;
    final Path ptau;
    final Srs srs;
    final PlatformAddresses addresses;
    final ChainClient admin;
    final Credentials owner;
    final Credentials evaluator;
    final List<Credentials> nodes = new ArrayList<>();
    final List<Credentials> trainers = new ArrayList<>();
    final Path keystore;
    final Path password;
    final KuboClient ipfs;
    final HttpClient http = HttpClient.newHttpClient();
    private long nonce = 1;

    private EngineStack(int nodeCount, int trainerCount, String name) throws Exception {
        stack = DevStack.start(DevStackConfig.embedded());
        anvil = (AnvilNode) stack.chain();
        web3j = Web3j.build(new HttpService(anvil.rpcUrl()));
        dir = Files.createTempDirectory("zkpfl-engine-it-" + name);
        // the platform's SRS: a fresh accumulator with one contribution whose secrets nobody keeps
        Ptau acc = PowersOfTau.contribute(PowersOfTau.start(9), "engine-it", new SplittableRandom(77));
        ptau = dir.resolve("platform.ptau");
        acc.write(ptau);
        srs = Srs.fromPtau(ptau, BUCKET, 5);
        Credentials adminKey = Credentials.create(DevAccounts.privateKey(0));
        Credentials treasury = actor("treasury");
        addresses = RoundPlatform.deploy(web3j, anvil.chainId(), adminKey,
                new PlatformConfig(TRAINER_STAKE, NODE_STAKE, 3_600, tokens(100), treasury.getAddress()), srs);
        admin = ChainClient.connect(web3j, anvil.chainId(), adminKey, addresses);
        owner = funded("owner", tokens(100_000));
        evaluator = actor("evaluator");
        for (int k = 0; k < nodeCount; k++) {
            Credentials node = funded("node-" + k, NODE_STAKE);
            admin.as(node).staking().registerNode(NODE_STAKE, Hash.sha3(("x25519-" + k).getBytes(StandardCharsets.UTF_8)),
                    "https://node-" + k + ".zkpfl.test");
            nodes.add(node);
        }
        for (int i = 0; i < trainerCount; i++) {
            trainers.add(stakedTrainer("trainer-" + i));
        }
        password = dir.resolve("keystore.password");
        Files.writeString(password, "engine-it-" + name);
        Path keys = Files.createDirectories(dir.resolve("keystore"));
        keystore = keys.resolve(WalletUtils.generateWalletFile("engine-it-" + name, evaluator.getEcKeyPair(), keys.toFile(),
                false));
        ipfs = KuboClient.create(stack.ipfs().apiUrl());
    }

    static EngineStack start(int nodes, int trainers, String name) {
        try {
            return new EngineStack(nodes, trainers, name);
        } catch (Exception e) {
            throw new IllegalStateException("the engine test stack did not start: " + e.getMessage(), e);
        }
    }

    Credentials stakedTrainer(String name) {
        Credentials trainer = funded(name, TRAINER_STAKE);
        admin.as(trainer).staking().stakeAsTrainer(TRAINER_STAKE);
        return trainer;
    }

    Credentials actor(String name) {
        Credentials c = Credentials.create(Numeric.toHexStringNoPrefixZeroPadded(
                new BigInteger(1, Hash.sha3(("zkpfl-engine-it-" + name).getBytes(StandardCharsets.UTF_8))), 64));
        anvil.rpc("anvil_setBalance", "[\"" + c.getAddress() + "\", \"0x3635C9ADC5DEA00000\"]");
        return c;
    }

    Credentials funded(String name, BigInteger amount) {
        Credentials c = actor(name);
        if (amount.signum() > 0) {
            admin.token().mint(c.getAddress(), amount);
        }
        return c;
    }

    ChainClient client(Credentials c) {
        return admin.as(c);
    }

    /** The engine's configuration for this stack. */
    Map<String, String> engineProperties() {
        Map<String, String> p = new LinkedHashMap<>();
        Map<String, String> s = stack.serviceProperties();
        p.put("quarkus.datasource.jdbc.url", s.get(DevStack.DATASOURCE_JDBC_URL));
        p.put("quarkus.datasource.username", s.get(DevStack.DATASOURCE_USERNAME));
        p.put("quarkus.datasource.password", s.get(DevStack.DATASOURCE_PASSWORD));
        p.put("kafka.bootstrap.servers", s.get(DevStack.KAFKA_BOOTSTRAP_SERVERS));
        p.put("zkpfl.chain.rpc-url", anvil.rpcUrl());
        p.put("zkpfl.chain.id", Long.toString(anvil.chainId()));
        p.put("zkpfl.chain.contracts.token", addresses.token());
        p.put("zkpfl.chain.contracts.registry", addresses.registry());
        p.put("zkpfl.chain.contracts.market", addresses.market());
        p.put("zkpfl.chain.contracts.certifier", addresses.certifier());
        p.put("zkpfl.ipfs.api-url", stack.ipfs().apiUrl());
        p.put("zkpfl.engine.keystore", keystore.toString());
        p.put("zkpfl.engine.keystore-password-file", password.toString());
        p.put("zkpfl.engine.srs-file", ptau.toString());
        p.put("zkpfl.engine.poll-interval", "1s");
        p.put("zkpfl.index.poll-interval", "1s");
        p.put("zkpfl.index.confirmations", "1");
        return p;
    }

    ServiceProcess startEngine(Map<String, String> overrides) {
        Map<String, String> p = engineProperties();
        p.putAll(overrides);
        Path jar = Path.of(System.getProperty("engine.jar", "target/quarkus-app/quarkus-run.jar"));
        try {
            Path log = Files.createTempFile(dir, "engine", ".log");
            return ServiceProcess.start("reward-engine", jar, p, log, Duration.ofMinutes(3));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops the engine at once (SIGKILL), as a crash would: no shutdown hooks, nothing flushed. */
    static void kill(ServiceProcess engine) {
        int port = engine.baseUrl().getPort();
        ProcessHandle.current().children()
                .filter(p -> p.info().commandLine().map(c -> c.contains("quarkus.http.port=" + port)).orElse(false))
                .forEach(p -> {
                    p.destroyForcibly();
                    p.onExit().join();
                });
        engine.close();
    }

    /** A job in the platform token with this stack's evaluator, its artefacts added to IPFS. */
    Job createJob(int maxRounds, long seed) throws IOException {
        return createJob(maxRounds, seed, evaluator.getAddress());
    }

    /** As {@link #createJob(int, long)} with another evaluator. */
    Job createJob(int maxRounds, long seed, String evaluatorAddress) throws IOException {
        return createJob(maxRounds, seed, evaluatorAddress, null, 2, 60_000);
    }

    /**
     * A job whose manifest carries the differential-privacy terms {@code privacy} (the marketplace's
     * {@code JobPrivacy.toJson()}, or null for none), with the chain's {@code n_min} and {@code N_max}.
     */
    Job createJob(int maxRounds, long seed, String evaluatorAddress, ObjectNode privacy, int minTrainers, long maxSamples)
            throws IOException {
        return createJob(maxRounds, seed, evaluatorAddress, privacy, null, minTrainers, maxSamples);
    }

    /** As above, with the manifest's {@code validation} object (an owner's sealed set, docs/adr/0105), or null for none. */
    Job createJob(int maxRounds, long seed, String evaluatorAddress, ObjectNode privacy, ObjectNode validation,
                  int minTrainers, long maxSamples) throws IOException {
        float[] weights = WeightInitializer.initialise(SPEC, seed);
        byte[] weightBytes = FlatParameters.encode(weights);
        byte[] model = SPEC.toJson().getBytes(StandardCharsets.UTF_8);
        ObjectNode m = JSON.createObjectNode();
        m.put("version", 1);
        m.put("modelSpec", Numeric.toHexString(Hash.sha3(model)));
        m.put("parameterCount", SPEC.parameterCount());
        ObjectNode w = m.putObject("initialWeights");
        w.put("keccak256", Numeric.toHexString(Hash.sha3(weightBytes)));
        w.put("bytes", weightBytes.length);
        w.putNull("initialisation");
        m.putObject("training").put("localEpochs", 1).put("batchSize", 32).put("learningRate", "0.05")
                .put("optimiser", "sgd");
        if (privacy != null) {
            m.set("privacy", privacy);
        }
        if (validation != null) {
            m.set("validation", validation);
        }
        byte[] manifest = m.toString().getBytes(StandardCharsets.UTF_8);
        Cid manifestCid = ipfs.add(manifest);
        Cid modelCid = ipfs.add(model);
        Cid weightsCid = ipfs.add(weightBytes);
        JobParams p = new JobParams(owner.getAddress(), addresses.token(), tokens(1_000), evaluatorAddress,
                Hash.sha3(manifest), BigInteger.valueOf(BUCKET), BigInteger.valueOf(maxRounds), BigInteger.valueOf(3),
                BigInteger.valueOf(2), BigInteger.valueOf(minTrainers), BigInteger.valueOf(8), BigInteger.valueOf(maxSamples),
                BigInteger.ONE.shiftLeft(16), BigInteger.valueOf(990_000), BigInteger.valueOf(300_000),
                BigInteger.valueOf(100), BigInteger.valueOf(50), BigInteger.valueOf(100), BigInteger.valueOf(100),
                BigInteger.valueOf(100), BigInteger.valueOf(nonce++), BigInteger.valueOf(now() + 3_600),
                // the owner signs the manifest's validation commitment and group count on chain too (ADR 0100)
                validation == null ? new byte[32] : org.web3j.utils.Numeric.hexStringToByteArray(validation.get("commitment").asText()),
                io.zkpfl.contracts.JobSignature.evaluatorVersion(io.zkpfl.contracts.JobSignature.DEFAULT_EVALUATOR_RELEASE), BigInteger.ZERO,
                BigInteger.valueOf(validation == null ? 0 : validation.path("groups").asInt(0)));
        ChainClient o = client(owner);
        o.token().approve(addresses.token(), addresses.market(), p.fee);
        BigInteger id = o.market().createJob(p, o.market().signJob(p, owner));
        return new Job(id, weights, manifestCid.toString(), modelCid.toString(), weightsCid.toString());
    }

    record Job(BigInteger id, float[] initialWeights, String manifestCid, String modelCid, String weightsCid) {
    }

    long now() {
        try {
            return web3j.ethGetBlockByNumber(DefaultBlockParameterName.LATEST, false).send().getBlock().getTimestamp()
                    .longValue();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    long blockNumber() {
        try {
            return web3j.ethBlockNumber().send().getBlockNumber().longValue();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Advances the chain's clock past {@code timestamp} and mines a block. */
    void passTime(long timestamp) {
        long delta = timestamp - now() + 1;
        if (delta > 0) {
            anvil.rpc("evm_increaseTime", "[" + delta + "]");
        }
        mine();
    }

    void mine() {
        anvil.rpc("evm_mine", "[]");
    }

    // ------------------------------------------------------------------ HTTP

    HttpResponse<String> get(ServiceProcess engine, String path) {
        return send(engine, HttpRequest.newBuilder(uri(engine, path)).GET().build());
    }

    HttpResponse<String> post(ServiceProcess engine, String path, String json) {
        return send(engine, HttpRequest.newBuilder(uri(engine, path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    JsonNode getJson(ServiceProcess engine, String path) {
        HttpResponse<String> r = get(engine, path);
        if (r.statusCode() != 200) {
            throw new AssertionError("GET " + path + " answered " + r.statusCode() + ": " + r.body());
        }
        try {
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static URI uri(ServiceProcess engine, String path) {
        return URI.create(engine.baseUrl() + path);
    }

    private HttpResponse<String> send(ServiceProcess engine, HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Waits until {@code condition} holds, failing with {@code what} after {@code timeout}. */
    static void await(String what, Duration timeout, BooleanSupplier condition) {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (condition.getAsBoolean()) {
                return;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError("timed out after " + timeout + " waiting for " + what);
    }

    @Override
    public void close() {
        web3j.shutdown();
        stack.close();
    }
}
