package io.zkpfl.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zkpfl.contracts.ChainClient;
import io.zkpfl.contracts.JobSignature;
import io.zkpfl.contracts.PlatformAddresses;
import io.zkpfl.devstack.DevStack;
import io.zkpfl.devstack.demo.ServiceProcess;
import io.zkpfl.protocol.chain.DevChainKeys;
import io.zkpfl.zk.kzg.DevSrs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.WalletUtils;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.http.HttpService;

/**
 * The whole system as users run it, on the embedded stack: the marketplace (which deploys the dev platform with the
 * verifiers of a dev SRS), three zk-aggregator nodes (dev accounts 5–7, registered by the dev platform), the reward
 * engine (dev account 8, the jobs' evaluator) and trainer processes (dev trainer keys), each a separate JVM with its
 * own log under {@link #dir}.
 */
final class SystemStack implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String PASSWORD = "system-test password";
    static final int OWNER = 1;
    static final int EVALUATOR = 8;
    static final List<Integer> NODES = List.of(5, 6, 7);

    final DevStack stack = DevStack.shared();
    final Path dir;
    final Path ptau;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    final ServiceProcess marketplace;
    final ServiceProcess engine;
    final List<ServiceProcess> nodes = new ArrayList<>();
    final List<Process> trainers = new ArrayList<>();
    final JsonNode chainInfo;
    final PlatformAddresses addresses;
    final Web3j web3j;
    final ChainClient reader;

    SystemStack(int srsPower) throws Exception {
        dir = Files.createDirectories(Path.of("target", "system-it", Long.toString(System.currentTimeMillis()))).toAbsolutePath();
        ptau = DevSrs.ensure(Path.of("target", "srs").toAbsolutePath(), srsPower, line -> { });
        Map<String, String> props = new LinkedHashMap<>(stack.serviceProperties());
        props.put("zkpfl.chain.bootstrap", "dev");
        props.put("zkpfl.srs.ptau", ptau.toString());
        props.put("zkpfl.chain.evaluator", Credentials.create(DevChainKeys.privateKey(EVALUATOR)).getAddress());
        marketplace = ServiceProcess.start("marketplace", jar("marketplace.jar"), props, dir.resolve("marketplace.log"),
                Duration.ofMinutes(4));
        chainInfo = getJson(marketplace.baseUrl().resolve("/api/v1/chain"));
        addresses = new PlatformAddresses(chainInfo.get("token").asText(), chainInfo.get("registry").asText(),
                chainInfo.get("certifier").asText(), chainInfo.get("market").asText());
        web3j = Web3j.build(new HttpService(stack.chain().rpcUrl()));
        reader = ChainClient.connect(web3j, stack.chain().chainId(), Credentials.create(DevChainKeys.privateKey(9)), addresses);
        long fromBlock = web3j.ethBlockNumber().send().getBlockNumber().longValue();
        for (int k = 0; k < NODES.size(); k++) {
            nodes.add(ServiceProcess.start("node-" + (k + 1), jar("node.jar"), nodeProperties(k, fromBlock),
                    dir.resolve("node-" + (k + 1) + ".log"), Duration.ofMinutes(4)));
        }
        engine = ServiceProcess.start("engine", jar("engine.jar"), engineProperties(), dir.resolve("engine.log"),
                Duration.ofMinutes(4));
    }

    static Path jar(String property) {
        Path jar = Path.of(System.getProperty(property, "missing-" + property));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(property + " is not built: " + jar);
        }
        return jar;
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
        p.put("zkpfl.chain.contracts.token", addresses.token());
        p.put("zkpfl.chain.contracts.registry", addresses.registry());
        p.put("zkpfl.chain.contracts.market", addresses.market());
        p.put("zkpfl.chain.contracts.certifier", addresses.certifier());
        return p;
    }

    private Map<String, String> nodeProperties(int index, long fromBlock) throws Exception {
        int account = NODES.get(index);
        Path keystore = keystore("node-" + (index + 1), DevChainKeys.privateKey(account));
        Map<String, String> p = common();
        p.put("zkpfl.node.schema", "zk_node_" + (index + 1) + "_" + addresses.market().substring(2, 10).toLowerCase());
        p.put("zkpfl.chain.from-block", Long.toString(fromBlock));
        p.put("zkpfl.chain.poll-interval", "0.5s");
        p.put("zkpfl.chain.advance-grace", "PT5S");
        p.put("zkpfl.intake.missing-grace", "PT3S");
        p.put("zkpfl.srs.ptau", ptau.toString());
        p.put("zkpfl.node.keystore", keystore.toString());
        p.put("zkpfl.node.password-file", keystore.resolveSibling("password").toString());
        return p;
    }

    private Map<String, String> engineProperties() throws Exception {
        Path keystore = keystore("engine", DevChainKeys.privateKey(EVALUATOR));
        Map<String, String> p = common();
        p.put("quarkus.flyway.schemas", "engine_" + addresses.market().substring(2, 10).toLowerCase());
        p.put("quarkus.flyway.default-schema", "engine_" + addresses.market().substring(2, 10).toLowerCase());
        p.put("quarkus.datasource.jdbc.additional-jdbc-properties.currentSchema",
                "engine_" + addresses.market().substring(2, 10).toLowerCase());
        p.put("zkpfl.engine.keystore", keystore.toString());
        p.put("zkpfl.engine.keystore-password-file", keystore.resolveSibling("password").toString());
        p.put("zkpfl.engine.srs-file", ptau.toString());
        p.put("zkpfl.engine.poll-interval", "500ms");
        p.put("zkpfl.index.poll-interval", "500ms");
        p.put("zkpfl.index.confirmations", "1");
        return p;
    }

    /** A light-scrypt keystore of {@code privateKey} with its password file beside it, in its own folder. */
    Path keystore(String name, String privateKey) throws Exception {
        Path folder = Files.createDirectories(dir.resolve("keys").resolve(name));
        String file = WalletUtils.generateWalletFile(PASSWORD, Credentials.create(privateKey).getEcKeyPair(), folder.toFile(), false);
        Files.writeString(folder.resolve("password"), PASSWORD + "\n");
        return folder.resolve(file);
    }

    /** Posts {@code job} (unsigned JSON) signed by the dev owner; returns the marketplace's job id. */
    long postJob(ObjectNode job) throws Exception {
        JsonNode typed = send(HttpRequest.newBuilder(marketplace.baseUrl().resolve("/api/v1/jobs/typed-data"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(job.toString())), 200);
        var params = JobSignature.fromMessageJson(typed.get("typedData").get("message").toString());
        byte[] sig = JobSignature.sign(params, stack.chain().chainId(), addresses.market(),
                Credentials.create(DevChainKeys.privateKey(OWNER)));
        job.put("signature", "0x" + HexFormat.of().formatHex(sig));
        JsonNode created = send(HttpRequest.newBuilder(marketplace.baseUrl().resolve("/api/v1/jobs"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(job.toString())), 201);
        return created.get("id").asLong();
    }

    /** The marketplace's view of job {@code id}. */
    JsonNode job(long id) {
        return getJson(marketplace.baseUrl().resolve("/api/v1/jobs/" + id));
    }

    /** Trainer {@code i}'s jar invocation, run to its end; returns stdout, failing with stderr on a non-zero exit. */
    String trainerCommand(int i, String... args) throws Exception {
        Process p = trainer(i, "cmd-" + System.nanoTime(), args);
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IllegalStateException("trainer " + i + " " + String.join(" ", args) + " timed out");
        }
        Path base = dir.resolve("trainer-" + i);
        String out = Files.readString(base.resolve("last.out"));
        if (p.exitValue() != 0) {
            throw new IllegalStateException("trainer " + i + " " + String.join(" ", args) + " exited " + p.exitValue() + ": "
                    + Files.readString(base.resolve("last.err")));
        }
        return out;
    }

    /** Starts trainer {@code i}'s jar with {@code args} plus its wallet and the stack's endpoints. */
    Process trainer(int i, String label, String... args) throws IOException {
        Path base = Files.createDirectories(dir.resolve("trainer-" + i));
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx768m", "-jar", jar("trainer.jar").toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(base.toFile())
                .redirectOutput(base.resolve("cmd".equals(label.substring(0, 3)) ? "last.out" : label + ".out").toFile())
                .redirectError(base.resolve("cmd".equals(label.substring(0, 3)) ? "last.err" : label + ".err").toFile());
        Map<String, String> env = pb.environment();
        env.put("HOME", base.resolve("home").toString());
        env.put("ZKPFL_KEYSTORE", base.resolve("wallet.json").toString());
        env.put("ZKPFL_WALLET_PASSWORD", PASSWORD);
        env.put("ZKPFL_MARKETPLACE", marketplace.baseUrl().toString());
        env.put("ZKPFL_RPC", stack.chain().rpcUrl());
        env.put("ZKPFL_MARKET", addresses.market());
        env.put("ZKPFL_KAFKA", stack.kafka().bootstrapServers());
        env.put("ZKPFL_IPFS", stack.ipfs().apiUrl());
        env.put("ZKPFL_SRS", ptau.toString());
        env.put("OMP_NUM_THREADS", "1");
        Process p = pb.start();
        if (!label.startsWith("cmd")) {
            trainers.add(p);
        }
        return p;
    }

    JsonNode getJson(URI uri) {
        return send(HttpRequest.newBuilder(uri).GET(), 200);
    }

    JsonNode send(HttpRequest.Builder request, int expected) {
        try {
            HttpResponse<String> r = http.send(request.timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            if (r.statusCode() != expected) {
                throw new IllegalStateException(r.request().method() + " " + r.request().uri() + " answered " + r.statusCode()
                        + ": " + r.body());
            }
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        for (Process p : trainers) {
            p.destroy();
        }
        if (engine != null) {
            engine.close();
        }
        nodes.forEach(ServiceProcess::close);
        if (marketplace != null) {
            marketplace.close();
        }
        if (web3j != null) {
            web3j.shutdown();
        }
    }
}
