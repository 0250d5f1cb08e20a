package io.zkpfl.node;

import static io.zkpfl.contracts.PlatformConfig.tokens;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zkpfl.contracts.ChainClient;
import io.zkpfl.contracts.setup.RoundPlatform;
import io.zkpfl.contracts.PlatformAddresses;
import io.zkpfl.contracts.PlatformConfig;
import io.zkpfl.devstack.DevStack;
import io.zkpfl.devstack.chain.DevAccounts;
import io.zkpfl.devstack.demo.ServiceProcess;
import io.zkpfl.zk.kzg.Srs;
import io.zkpfl.zk.kzg.DevSrs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;
import org.web3j.crypto.WalletUtils;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.http.HttpService;
import org.web3j.utils.Numeric;

/**
 * A platform deployed on the devstack's Anvil with the KZG verifier of the dev SRS (2^15 powers, ADR 0068) and the
 * DLEQ verifier, and three zk-aggregator-node processes (quarkus-run.jar) with their own keystores and database schemas,
 * registered through their admin endpoint.
 */
final class NodeCluster implements AutoCloseable {

    /** Powers in the platform's SRS: enough for the jobs of D = 2^15 whose envelopes exceed 1 MiB. */
    static final int SRS_POWER = 15;
    /** D of most test jobs. */
    static final int BUCKET = 32;
    static final BigInteger NODE_STAKE = tokens(1_000);
    static final BigInteger TRAINER_STAKE = tokens(500);
    static final String PASSWORD = "correct horse battery staple";

    final DevStack stack = DevStack.shared();
    final HttpService rpc;
    final Web3j web3j;
    final long chainId;
    final Credentials adminKey = Credentials.create(DevAccounts.privateKey(0));
    final ChainClient admin;
    final PlatformAddresses addresses;
    final Path ptau;
    final Srs srs;
    final long deployBlock;
    final Path dir;
    final List<Credentials> operators = new ArrayList<>();
    final List<Map<String, String>> nodeProperties = new ArrayList<>();
    final ServiceProcess[] nodes = new ServiceProcess[3];
    final HttpClient http = HttpClient.newHttpClient();
    static final ObjectMapper JSON = new ObjectMapper();

    NodeCluster() throws Exception {
        rpc = new HttpService(stack.chain().rpcUrl());
        web3j = Web3j.build(rpc);
        chainId = stack.chain().chainId();
        dir = Files.createTempDirectory("zk-node-it");
        ptau = DevSrs.ensure(srsCache(), SRS_POWER, line -> { });
        srs = Srs.fromPtau(ptau, BUCKET, 5);
        deployBlock = web3j.ethBlockNumber().send().getBlockNumber().longValue();
        addresses = RoundPlatform.deploy(web3j, chainId, adminKey,
                new PlatformConfig(TRAINER_STAKE, NODE_STAKE, 3_600, tokens(100), actor("treasury").getAddress()), srs);
        admin = ChainClient.connect(web3j, chainId, adminKey, addresses);
        for (int k = 1; k <= 3; k++) {
            Credentials op = actor("operator-" + k + "-" + addresses.market());
            admin.token().mint(op.getAddress(), NODE_STAKE);
            operators.add(op);
            Path keystoreDir = Files.createDirectories(dir.resolve("node-" + k));
            String file = WalletUtils.generateWalletFile(PASSWORD, op.getEcKeyPair(), keystoreDir.toFile(), false);
            Path passwordFile = keystoreDir.resolve("password");
            Files.writeString(passwordFile, PASSWORD + "\n");
            Map<String, String> p = new LinkedHashMap<>();
            p.put("quarkus.datasource.jdbc.url", stack.postgres().jdbcUrl());
            p.put("quarkus.datasource.username", stack.postgres().username());
            p.put("quarkus.datasource.password", stack.postgres().password());
            p.put("zkpfl.node.schema", "zk_node_it_" + k + "_" + addresses.market().substring(2, 10).toLowerCase());
            p.put("kafka.bootstrap.servers", stack.kafka().bootstrapServers());
            p.put("zkpfl.ipfs.api-url", stack.ipfs().apiUrl());
            p.put("zkpfl.chain.rpc-url", stack.chain().rpcUrl());
            p.put("zkpfl.chain.id", Long.toString(chainId));
            p.put("zkpfl.chain.contracts.token", addresses.token());
            p.put("zkpfl.chain.contracts.registry", addresses.registry());
            p.put("zkpfl.chain.contracts.market", addresses.market());
            p.put("zkpfl.chain.from-block", Long.toString(deployBlock));
            p.put("zkpfl.chain.poll-interval", "0.5s");
            p.put("zkpfl.chain.advance-grace", "PT5S");
            p.put("zkpfl.intake.missing-grace", "PT3S");
            p.put("zkpfl.srs.ptau", ptau.toString());
            p.put("zkpfl.node.keystore", keystoreDir.resolve(file).toString());
            p.put("zkpfl.node.password-file", passwordFile.toString());
            int raftPort = freePort();
            p.put("zkpfl.raft.port", Integer.toString(raftPort));
            p.put("zkpfl.raft.storage", keystoreDir.resolve("raft").toString());
            // generous on a shared 2-core machine: the leader waits this long for all three openings
            p.put("zkpfl.raft.batch-wait", "PT8S");
            // the registered endpoint is where the committee reaches this node's Raft server
            p.put("zkpfl.node.endpoint", "http://127.0.0.1:" + raftPort);
            nodeProperties.add(p);
            start(k);
        }
    }

    /** Where the demo caches the dev SRS ($XDG_CACHE_HOME/zkpfl/srs or ~/.cache/zkpfl/srs): made once, then shared. */
    static Path srsCache() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path cache = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return cache.resolve("zkpfl").resolve("srs");
    }

    /** The platform's SRS for jobs of bucket {@code length} (m + 2 = 5 blinding powers). */
    Srs srs(int length) throws IOException {
        return Srs.fromPtau(ptau, length, 5);
    }

    static int freePort() throws IOException {
        try (var socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    static Path jar() {
        return Path.of("target/quarkus-app/quarkus-run.jar").toAbsolutePath();
    }

    /** Starts node k's process (again), on its previous port when that is free. */
    void start(int k) {
        int port = nodes[k - 1] == null ? 0 : nodes[k - 1].baseUrl().getPort();
        nodes[k - 1] = ServiceProcess.start("node-" + k, jar(), nodeProperties.get(k - 1), port,
                dir.resolve("node-" + k + (nodes[k - 1] == null ? "" : "-restarted-" + System.nanoTime()) + ".log"),
                Duration.ofSeconds(120));
    }

    /** kill -9 of node k's JVM: no shutdown hook, no flush, nothing. */
    void killHard(int k) throws InterruptedException {
        String port = "-Dquarkus.http.port=" + nodes[k - 1].baseUrl().getPort();
        List<ProcessHandle> victims = ProcessHandle.current().children()
                .filter(h -> h.info().arguments().map(a -> List.of(a).contains(port)).orElse(false)).toList();
        if (victims.size() != 1) {
            throw new IllegalStateException("node " + k + "'s process not found among " + victims);
        }
        victims.getFirst().destroyForcibly();
        victims.getFirst().onExit().join();
    }

    Credentials actor(String name) {
        Credentials c = Credentials.create(Numeric.toHexStringNoPrefixZeroPadded(
                new BigInteger(1, Hash.sha3(("zkpfl-node-it-" + name).getBytes(StandardCharsets.UTF_8))), 64));
        rpc("anvil_setBalance", c.getAddress(), "0x3635C9ADC5DEA00000");
        return c;
    }

    void rpc(String method, Object... params) {
        try {
            Response<?> r = new Request<>(method, List.of(params), rpc, RawResponse.class).send();
            if (r.hasError()) {
                throw new IllegalStateException(method + ": " + r.getError().getMessage());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static final class RawResponse extends Response<Object> {
    }

    ChainClient client(Credentials c) {
        return admin.as(c);
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

    /** Moves the chain's clock to just after {@code timestamp} and mines a block. */
    void passTime(long timestamp) {
        long delta = timestamp - now() + 1;
        if (delta > 0) {
            rpc("evm_increaseTime", delta);
        }
        rpc("evm_mine");
    }

    HttpResponse<String> get(int k, String path) {
        return send(HttpRequest.newBuilder(nodes[k - 1].baseUrl().resolve(path)).GET().build());
    }

    HttpResponse<String> post(int k, String path, String json) {
        return send(HttpRequest.newBuilder(nodes[k - 1].baseUrl().resolve(path)).header("Content-Type",
                "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    private HttpResponse<String> send(HttpRequest r) {
        try {
            return http.send(r, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    JsonNode json(HttpResponse<String> r) {
        try {
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        for (ServiceProcess n : nodes) {
            if (n != null) {
                n.close();
            }
        }
        web3j.shutdown();
    }
}
