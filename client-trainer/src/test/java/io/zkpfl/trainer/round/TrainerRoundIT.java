package io.zkpfl.trainer.round;

import static io.zkpfl.contracts.PlatformConfig.tokens;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import io.zkpfl.contracts.MarketEvent;
import io.zkpfl.contracts.ChainClient;
import io.zkpfl.contracts.MarketClient;
import io.zkpfl.contracts.PlatformAddresses;
import io.zkpfl.contracts.PlatformConfig;
import io.zkpfl.contracts.setup.RoundPlatform;
import io.zkpfl.contracts.generated.JobMarket.JobParams;
import io.zkpfl.devstack.chain.AnvilNode;
import io.zkpfl.devstack.chain.AnvilOptions;
import io.zkpfl.devstack.ipfs.IpfsStore;
import io.zkpfl.devstack.kafka.EmbeddedKafkaBroker;
import io.zkpfl.protocol.chain.DevChainKeys;
import io.zkpfl.protocol.envelope.EnvelopeTag;
import io.zkpfl.protocol.envelope.NodeRoundKey;
import io.zkpfl.protocol.envelope.ShareEnvelope;
import io.zkpfl.protocol.fixedpoint.FixedPoint;
import io.zkpfl.protocol.ipfs.Cid;
import io.zkpfl.protocol.ipfs.KuboClient;
import io.zkpfl.protocol.round.EnvelopeManifest;
import io.zkpfl.protocol.round.RoundTopics;
import io.zkpfl.protocol.vss.CommitmentSums;
import io.zkpfl.protocol.vss.ReceivedShare;
import io.zkpfl.protocol.vss.Reconstruction;
import io.zkpfl.protocol.vss.Share;
import io.zkpfl.protocol.vss.ShareCheck;
import io.zkpfl.protocol.vss.VssParameters;
import io.zkpfl.trainer.data.DatasetFolder;
import io.zkpfl.trainer.data.LabelledImages;
import io.zkpfl.zk.bn254.Fr;
import io.zkpfl.zk.bn254.G1;
import io.zkpfl.zk.kzg.PowersOfTau;
import io.zkpfl.zk.kzg.Ptau;
import io.zkpfl.zk.kzg.Srs;
import io.zkpfl.zk.kzg.Kzg;
import io.zkpfl.zk.kzg.Opening;
import io.zkpfl.zk.solidity.KzgSolidityVerifier;
import io.zkpfl.protocol.round.ModelStep;
import io.zkpfl.protocol.round.Reveal;
import io.zkpfl.protocol.round.ResultBinding;
import io.zkpfl.protocol.vss.Dealing;
import io.zkpfl.protocol.vss.VssDealer;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;
import org.web3j.crypto.Keys;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.http.HttpService;
import org.web3j.utils.Numeric;

/**
 * The trainer jar, as a separate process, against a real Anvil chain, Kafka broker and IPFS store: the test deploys
 * the platform, registers three zk-nodes, creates jobs on chain with ChainClient (the marketplace does not run: a
 * small HTTP server in this test answers its two GETs the trainer reads, {@code /api/v1/chain} and
 * {@code /api/v1/jobs/{id}}, with the artefacts on the IPFS store) and plays the committee with the protocol library:
 * it posts the nodes' round keys, reads the trainer's manifest and envelopes from Kafka, opens them with the nodes'
 * keys and checks every share against the commitments the trainer posted on chain.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TrainerRoundIT {

    private static final int M = 3;
    private static final int T = 2;
    /** d of the test model: 4 inputs → 2 softmax outputs. */
    private static final int D_MODEL = 10;
    /** The job's bucket, which holds d + m: the share length D. */
    private static final int BUCKET = 16;
    private static final int SAMPLES = 96;
    private static final String MODEL_JSON = "{\"input\":{\"shape\":[4]},\"layers\":[{\"type\":\"output\",\"units\":2,"
            + "\"activation\":\"softmax\"}],\"loss\":\"cross_entropy\"}";
    private static final String PASSWORD = "correct horse battery staple";

    @TempDir
    static Path dir;

    static AnvilNode anvil;
    static EmbeddedKafkaBroker kafka;
    static IpfsStore ipfsStore;
    static KuboClient ipfs;
    static Web3j web3j;
    static ChainClient admin;
    static PlatformAddresses addresses;
    static HttpServer marketplace;
    static final Map<Long, ObjectNode> views = new HashMap<>();
    static final Map<String, byte[]> hrefs = new HashMap<>();
    static final List<Credentials> nodes = new ArrayList<>();
    static final Map<String, NodeRoundKey> roundKeys = new HashMap<>();
    static Credentials owner;
    static Credentials trainer;
    static Path srsFile;
    static Srs srs;
    static Path data;
    static Path keystore;
    static Path passwordFile;
    static int nonce = 1;

    @BeforeAll
    static void platform() throws Exception {
        anvil = AnvilNode.start(AnvilOptions.defaults());
        kafka = EmbeddedKafkaBroker.start();
        ipfsStore = IpfsStore.start();
        ipfs = KuboClient.create(ipfsStore.apiUrl());
        web3j = Web3j.build(new HttpService(anvil.rpcUrl()));
        Credentials adminKey = Credentials.create(DevChainKeys.privateKey(0));
        Credentials treasury = actor("treasury");
        // the platform's SRS: a small powers-of-tau with one contribution, as a .ptau file
        Ptau ptau = PowersOfTau.contribute(PowersOfTau.start(4), "trainer-it", new SplittableRandom(7));
        srsFile = dir.resolve("test.ptau");
        ptau.write(srsFile);
        srs = Srs.fromPtau(srsFile, BUCKET, M + 2);
        // the platform with the KZG verifier of that SRS and the DLEQ verifier
        addresses = RoundPlatform.deploy(web3j, anvil.chainId(), adminKey,
                new PlatformConfig(tokens(500), tokens(1_000), 3_600, tokens(100), treasury.getAddress()), srs);
        admin = ChainClient.connect(web3j, anvil.chainId(), adminKey, addresses);
        owner = funded("owner", tokens(100_000));
        for (int k = 0; k < M; k++) {
            Credentials node = funded("node-" + k, tokens(1_000));
            admin.as(node).staking().registerNode(tokens(1_000), Hash.sha3(("x25519-" + k).getBytes(StandardCharsets.UTF_8)),
                    "https://node-" + k + ".zkpfl.test");
            nodes.add(node);
        }
        trainer = funded("trainer", tokens(500));


        // the trainer's data: 2x2 grey images, label 1 when the first pixel is bright
        SplittableRandom rnd = new SplittableRandom(11);
        byte[] pixels = new byte[SAMPLES * 4];
        byte[] labels = new byte[SAMPLES];
        for (int s = 0; s < SAMPLES; s++) {
            for (int p = 0; p < 4; p++) {
                pixels[4 * s + p] = (byte) rnd.nextInt(256);
            }
            labels[s] = (byte) ((pixels[4 * s] & 0xff) > 127 ? 1 : 0);
        }
        data = dir.resolve("data");
        new DatasetFolder(data).write(DatasetFolder.TRAIN, new LabelledImages(2, 2, pixels, labels));

        marketplace = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        marketplace.createContext("/", ex -> {
            String path = ex.getRequestURI().getPath();
            byte[] body;
            int status = 200;
            if (path.equals("/api/v1/chain")) {
                ObjectNode c = new ObjectMapper().createObjectNode().put("chainId", anvil.chainId())
                        .put("market", addresses.market()).put("token", addresses.token())
                        .put("registry", addresses.registry()).put("certifier", addresses.certifier());
                body = c.toString().getBytes(StandardCharsets.UTF_8);
            } else if (path.equals("/api/v1/jobs")) {
                body = listing().getBytes(StandardCharsets.UTF_8);
            } else if (hrefs.containsKey(path)) {
                body = hrefs.get(path);
            } else if (path.startsWith("/api/v1/jobs/") && views.containsKey(Long.parseLong(path.substring(13)))) {
                body = views.get(Long.parseLong(path.substring(13))).toString().getBytes(StandardCharsets.UTF_8);
            } else {
                status = 404;
                body = "{\"status\":404,\"detail\":\"no such job\"}".getBytes(StandardCharsets.UTF_8);
            }
            ex.getResponseHeaders().add("Content-Type", status == 200 ? "application/json" : "application/problem+json");
            ex.sendResponseHeaders(status, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        marketplace.start();

        keystore = dir.resolve("keystore.json");
        passwordFile = dir.resolve("password.txt");
        Files.writeString(passwordFile, PASSWORD + "\n");
    }

    @AfterAll
    static void stop() {
        if (marketplace != null) {
            marketplace.stop(0);
        }
        if (web3j != null) {
            web3j.shutdown();
        }
        for (AutoCloseable c : new AutoCloseable[] {ipfsStore, kafka, anvil}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                // best effort
            }
        }
    }

    static Credentials actor(String name) {
        Credentials c = Credentials.create(Numeric.toHexStringNoPrefixZeroPadded(
                new BigInteger(1, Hash.sha3(("zkpfl-trainer-it-" + name).getBytes(StandardCharsets.UTF_8))), 64));
        anvil.rpc("anvil_setBalance", "[\"" + c.getAddress() + "\", \"0x3635C9ADC5DEA00000\"]");
        return c;
    }

    static Credentials funded(String name, BigInteger amount) {
        Credentials c = actor(name);
        admin.token().mint(c.getAddress(), amount);
        return c;
    }

    /** The listing in the shape of the marketplace's JobPage of JobSummary rows. */
    static String listing() {
        StringBuilder items = new StringBuilder();
        views.keySet().stream().sorted(java.util.Comparator.reverseOrder()).forEach(id -> {
            if (items.length() > 0) {
                items.append(',');
            }
            items.append("{\"id\":").append(id).append(",\"status\":\"OPEN\",\"owner\":\"").append(owner.getAddress())
                    .append("\",\"parameterCount\":").append(D_MODEL).append(",\"targetAccuracy\":0.9,\"maxRounds\":3,")
                    .append("\"feeToken\":\"").append(addresses.token()).append("\",\"feeAmount\":1000000000000000000000,")
                    .append("\"minTrainers\":2,\"submission\":\"ON_CHAIN\",\"chainJobId\":\"")
                    .append(views.get(id).path("submission").path("chainJobId").asText()).append("\"}");
        });
        return "{\"items\":[" + items + "],\"page\":0,\"size\":20,\"total\":" + views.size() + ",\"next\":null}";
    }

    static String marketplaceUrl() {
        return "http://127.0.0.1:" + marketplace.getAddress().getPort();
    }

    static String hex(byte[] b) {
        return "0x" + HexFormat.of().formatHex(b);
    }

    /** The canonical manifest (docs/marketplace-api.md), written out here by hand. */
    static String manifest(byte[] model, byte[] weights) {
        return "{\"version\":1,\"modelSpec\":\"" + hex(Hash.sha3(model)) + "\",\"parameterCount\":" + D_MODEL
                + ",\"initialWeights\":{\"keccak256\":\"" + hex(Hash.sha3(weights)) + "\",\"bytes\":" + weights.length
                + ",\"initialisation\":null},\"training\":{\"localEpochs\":2,\"batchSize\":16,\"learningRate\":\"0.5\","
                + "\"optimiser\":\"sgd\"}}";
    }

    /**
     * Creates a job on chain whose modelHash is {@code onChainHash} (null: the served manifest's), serves its artefacts
     * (on IPFS and as marketplace hrefs) under marketplace id {@code id}; returns the chain job id.
     */
    static BigInteger createJob(long id, int maxTrainers, byte[] onChainHash) throws IOException {
        byte[] model = MODEL_JSON.getBytes(StandardCharsets.UTF_8);
        ByteBuffer w = ByteBuffer.allocate(4 * D_MODEL).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : initialWeights()) {
            w.putFloat(v);
        }
        byte[] weights = w.array();
        byte[] manifest = manifest(model, weights).getBytes(StandardCharsets.UTF_8);
        byte[] modelHash = onChainHash != null ? onChainHash : Hash.sha3(manifest);
        ChainClient o = admin.as(owner);
        JobParams p = new JobParams(owner.getAddress(), addresses.token(), tokens(1_000), owner.getAddress(), modelHash,
                BigInteger.valueOf(BUCKET), BigInteger.valueOf(3), BigInteger.valueOf(M), BigInteger.valueOf(T),
                BigInteger.TWO, BigInteger.valueOf(maxTrainers), BigInteger.valueOf(1_000), BigInteger.ONE.shiftLeft(16),
                BigInteger.valueOf(900_000), BigInteger.valueOf(500_000), BigInteger.valueOf(3_600), BigInteger.valueOf(3_600),
                BigInteger.valueOf(3_600), BigInteger.valueOf(3_600), BigInteger.valueOf(3_600), BigInteger.valueOf(nonce++),
                BigInteger.valueOf(System.currentTimeMillis() / 1000 + 86_400), new byte[32],
                io.zkpfl.contracts.JobSignature.evaluatorVersion(io.zkpfl.contracts.JobSignature.DEFAULT_EVALUATOR_RELEASE), BigInteger.ZERO, BigInteger.ZERO);
        o.token().approve(addresses.token(), addresses.market(), p.fee);
        BigInteger chainJob = o.market().createJob(p, o.market().signJob(p, owner));
        ObjectMapper json = new ObjectMapper();
        ObjectNode view = json.createObjectNode().put("id", id);
        view.putObject("submission").put("state", "ON_CHAIN").put("chainJobId", chainJob.toString());
        ObjectNode artifacts = view.putObject("artifacts");
        for (var e : Map.of("model.json", model, "weights.bin", weights, "manifest.json", manifest).entrySet()) {
            String href = "/api/v1/jobs/" + id + "/artifacts/" + e.getKey();
            hrefs.put(href, e.getValue());
            artifacts.putObject(e.getKey()).put("cid", ipfs.add(e.getValue()).toString()).put("href", href);
        }
        views.put(id, view);
        return chainJob;
    }

    static String[] connection(String... more) {
        List<String> a = new ArrayList<>(List.of("--marketplace", marketplaceUrl(), "--rpc", anvil.rpcUrl()));
        a.addAll(List.of(more));
        return a.toArray(String[]::new);
    }

    static String[] args(String... parts) {
        return parts;
    }

    static String[] concat(String[] a, String... b) {
        List<String> l = new ArrayList<>(List.of(a));
        l.addAll(List.of(b));
        return l.toArray(String[]::new);
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    @Order(1)
    void walletImportShowsTheKeysAddressAndRefusesAWrongPassword() throws Exception {
        Path key = dir.resolve("trainer.key");
        Files.writeString(key, Numeric.toHexStringNoPrefixZeroPadded(trainer.getEcKeyPair().getPrivateKey(), 64));
        var imported = TrainerProcess.run(dir, "wallet", "import", "--keystore", keystore.toString(), "--password-file",
                passwordFile.toString(), "--private-key-file", key.toString(), "--light").ok();
        assertTrue(imported.out().contains("address " + Keys.toChecksumAddress(trainer.getAddress())), imported.out());
        String keystoreText = Files.readString(keystore);
        assertTrue(!keystoreText.contains(Numeric.toHexStringNoPrefix(trainer.getEcKeyPair().getPrivateKey())),
                "the key is stored encrypted");
        assertTrue(!imported.out().contains(PASSWORD) && !imported.err().contains(PASSWORD));

        var shown = TrainerProcess.run(dir, concat(args("wallet", "show", "--keystore", keystore.toString(),
                "--password-file", passwordFile.toString(), "--check-password"), connection())).ok();
        assertTrue(shown.out().contains("address " + Keys.toChecksumAddress(trainer.getAddress())), shown.out());
        assertTrue(shown.out().contains("tokens 500\n"), shown.out());
        assertTrue(shown.out().contains("(not staked)"), shown.out());

        Path wrong = dir.resolve("wrong.txt");
        Files.writeString(wrong, "not the password\n");
        TrainerProcess.run(dir, "wallet", "show", "--keystore", keystore.toString(), "--password-file", wrong.toString(),
                "--check-password", "--offline").refused(4, "wrong password");
        TrainerProcess.run(dir, "wallet", "import", "--keystore", keystore.toString(), "--password-file",
                passwordFile.toString(), "--private-key-file", key.toString(), "--light").refused(1, "already exists");
    }

    @Test
    @Order(2)
    void aStakedTrainerJoinsRunsOneRoundAndEveryNodesShareVerifies() throws Exception {
        BigInteger job = createJob(1, 8, null);
        TrainerProcess.run(dir, concat(args("stake", "--keystore", keystore.toString(), "--password-file",
                passwordFile.toString()), connection())).ok();
        assertEquals(tokens(500), admin.staking().account(trainer.getAddress()).stake);
        var joined = TrainerProcess.run(dir, concat(args("join", "--job", "1", "--keystore", keystore.toString(),
                "--password-file", passwordFile.toString()), connection())).ok();
        assertTrue(joined.out().contains("as trainer 1 of 8"), joined.out());
        assertEquals(List.of(trainer.getAddress().toLowerCase()),
                admin.market().job(job).trainers().stream().map(String::toLowerCase).toList());

        var listed = TrainerProcess.run(dir, concat(args("jobs", "list"), connection())).ok();
        assertTrue(listed.out().lines().anyMatch(l -> l.matches("1\\s+" + job + "\\s+OPEN\\s+ON_CHAIN\\s+10\\s+0\\.9\\s+3\\s+1000")),
                listed.out());
        var shown = TrainerProcess.run(dir, concat(args("jobs", "show", "1"), connection())).ok();
        assertTrue(shown.out().contains("on chain: job " + job + ", active, round 0 attempt 0, 1 of 8 trainers, model "
                + hex(admin.market().jobParams(job).modelHash)), shown.out());

        // the committee posts its round keys, each from its own address
        List<String> committee = admin.market().job(job).committee();
        for (int k = 1; k <= M; k++) {
            String address = committee.get(k - 1);
            Credentials node = nodes.stream().filter(n -> n.getAddress().equalsIgnoreCase(address)).findFirst().orElseThrow();
            NodeRoundKey key = NodeRoundKey.generate(new SecureRandom());
            roundKeys.put(job + "/" + k, key);
            byte[] pk = key.publicKey().toEvmBytes();
            admin.as(node).market().postRoundKey(job, List.of(new BigInteger(1, java.util.Arrays.copyOfRange(pk, 0, 32)),
                    new BigInteger(1, java.util.Arrays.copyOfRange(pk, 32, 64))));
        }

        Path state = dir.resolve("state");
        String[] run = concat(args("run", "--job", "1", "--rounds", "1", "--keystore", keystore.toString(),
                "--password-file", passwordFile.toString(), "--data", data.toString(), "--srs", srsFile.toString(),
                "--kafka", kafka.bootstrapServers(), "--ipfs", ipfsStore.apiUrl(), "--state-dir", state.toString(),
                "--poll", "200", "--seed", "5"), connection());
        var ran = TrainerProcess.run(dir, run).ok();
        assertTrue(ran.out().contains("committed 2 commitments, n_i = " + SAMPLES), ran.out());

        // what the trainer committed, as the chain recorded it
        var commits = roundCommitted(job);
        assertEquals(1, commits.size(), "one commit");
        var committed = commits.getFirst();
        assertEquals(1, committed.index());
        assertEquals(SAMPLES, committed.samples());
        List<G1> commitments = ChainWords.points(committed.points());
        assertEquals(T, commitments.size());

        // the committee's side: manifest and envelopes from Kafka
        Map<String, byte[]> manifests = consume(RoundTopics.MANIFESTS);
        Map<String, byte[]> envelopes = consume(RoundTopics.ENVELOPES);
        byte[] manifestBytes = manifests.get(RoundTopics.manifestKey(job, 0, 0, 1));
        assertTrue(manifestBytes != null, "manifest under " + RoundTopics.manifestKey(job, 0, 0, 1) + ": " + manifests.keySet());
        assertArrayEquals(committed.manifest(), Hash.sha3(manifestBytes), "the manifest's digest is the committed one");
        EnvelopeManifest manifest = EnvelopeManifest.fromBytes(manifestBytes);
        assertEquals(commitments, manifest.commitments());
        assertEquals(SAMPLES, manifest.declaredSamples());
        VssParameters params = new VssParameters(T, M, D_MODEL, BUCKET);
        ShareCheck check = new ShareCheck(srs, params);
        List<Share> shares = new ArrayList<>();
        for (int k = 1; k <= M; k++) {
            byte[] env = envelopes.get(RoundTopics.envelopeKey(job, 0, 0, 1, k));
            assertTrue(env != null, "envelope for node " + k);
            Cid cid = manifest.envelopes().get(k - 1);
            assertTrue(cid.namesFile(env), "envelope " + k + " matches its manifest CID");
            assertArrayEquals(env, ipfs.blockGet(cid), "envelope " + k + " is on IPFS under its raw CID");
            EnvelopeTag tag = new EnvelopeTag(job, 0, 0, 1, k);
            Share share = ShareEnvelope.fromBytes(env).open(roundKeys.get(job + "/" + k), tag);
            assertTrue(check.holds(k, new ReceivedShare(1, commitments, share)), "node " + k + "'s share verifies");
            assertEquals(List.of(), check.faultyTrainers(k, List.of(new ReceivedShare(1, commitments, share)), new SecureRandom()));
            shares.add(share);
        }
        // any t nodes reconstruct a vector that opens the trainer's C_0: its clipped update times n_i
        Reconstruction rec = new Reconstruction(srs, params, CommitmentSums.of(List.of(commitments)));
        Share u = rec.combine(List.of(shares.get(0), shares.get(2)));
        assertTrue(rec.opens(commitments.getFirst(), u));
        BigInteger[] q = FixedPoint.decode(u.values());
        BigInteger bound = BigInteger.valueOf(SAMPLES).shiftLeft(16);
        boolean moved = false;
        for (int j = 0; j < D_MODEL; j++) {
            assertTrue(q[j].abs().compareTo(bound) <= 0, "coordinate " + j + " within n_i·B·2^16");
            moved |= q[j].signum() != 0;
        }
        assertTrue(moved, "training moved the model");
        for (int j = D_MODEL + M; j < BUCKET; j++) {
            assertEquals(BigInteger.ZERO, q[j], "padding " + j);
        }

        // a restart after the commit delivers again and never commits twice
        var again = TrainerProcess.run(dir, run).ok();
        assertTrue(again.out().contains("already committed"), again.out());
        assertEquals(1, roundCommitted(job).size(), "still one commit");
    }

    static List<MarketEvent.RoundCommitted> roundCommitted(BigInteger job) {
        return admin.events().events(MarketEvent.RoundCommitted.class, job, 0);
    }

    static Map<String, byte[]> consume(String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        Map<String, byte[]> out = new HashMap<>();
        try (var consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(i -> new TopicPartition(topic, i.partition())).toList();
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            Map<TopicPartition, Long> end = consumer.endOffsets(parts);
            long deadline = System.currentTimeMillis() + 30_000;
            while (System.currentTimeMillis() < deadline
                    && parts.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    out.put(r.key(), r.value());
                }
            }
        }
        return out;
    }

    @Test
    @Order(3)
    void refusals() throws Exception {
        String[] wallet = args("--keystore", keystore.toString(), "--password-file", passwordFile.toString());
        // not staked: a funded key without stake
        Credentials unstaked = funded("unstaked", tokens(10));
        Path key = dir.resolve("unstaked.key");
        Files.writeString(key, Numeric.toHexStringNoPrefixZeroPadded(unstaked.getEcKeyPair().getPrivateKey(), 64));
        Path unstakedStore = dir.resolve("unstaked.json");
        TrainerProcess.run(dir, "wallet", "import", "--keystore", unstakedStore.toString(), "--password-file",
                passwordFile.toString(), "--private-key-file", key.toString(), "--light").ok();
        TrainerProcess.run(dir, concat(args("join", "--job", "1", "--keystore", unstakedStore.toString(), "--password-file",
                passwordFile.toString()), connection())).refused(4, "not staked");

        // job full: two other trainers took both places
        BigInteger full = createJob(2, 2, null);
        for (String name : List.of("other-1", "other-2")) {
            Credentials other = funded(name, tokens(500));
            admin.as(other).staking().stakeAsTrainer(tokens(500));
            admin.as(other).market().join(full);
        }
        TrainerProcess.run(dir, concat(args("join", "--job", "2"), concat(wallet, connection())))
                .refused(4, "job 2 is full", "2 of 2");

        // model hash mismatch: the chain committed to another manifest than the one served
        BigInteger other = createJob(3, 8, Hash.sha3("another manifest".getBytes(StandardCharsets.UTF_8)));
        admin.as(trainer).market().join(other);
        String[] run3 = concat(args("run", "--job", "3", "--rounds", "1", "--data", data.toString(), "--srs",
                srsFile.toString(), "--ipfs", ipfsStore.apiUrl(), "--state-dir", dir.resolve("state3").toString()), wallet);
        TrainerProcess.run(dir, concat(run3, concat(connection(), "--kafka", kafka.bootstrapServers())))
                .refused(4, "model hash mismatch");

        // Kafka unreachable
        String[] run1 = concat(args("run", "--job", "1", "--rounds", "1", "--data", data.toString(), "--srs",
                srsFile.toString(), "--ipfs", ipfsStore.apiUrl(), "--state-dir", dir.resolve("state1").toString()), wallet);
        TrainerProcess.run(dir, concat(run1, concat(connection(), "--kafka", "127.0.0.1:" + freePort())))
                .refused(5, "Kafka at 127.0.0.1:", "cannot be reached");

        // chain unreachable
        TrainerProcess.run(dir, concat(args("join", "--job", "1"), concat(wallet, "--marketplace", marketplaceUrl(),
                "--rpc", "http://127.0.0.1:" + freePort()))).refused(5, "the chain at http://127.0.0.1:", "cannot be reached");

        // job closed: the owner stopped it
        BigInteger stopped = createJob(4, 8, null);
        admin.as(owner).market().stopJob(stopped);
        TrainerProcess.run(dir, concat(args("join", "--job", "4"), concat(wallet, connection())))
                .refused(4, "job 4 is closed");
    }

    /** The initial weights every test job serves (as weights.bin). */
    static float[] initialWeights() {
        float[] w = new float[D_MODEL];
        for (int j = 0; j < D_MODEL; j++) {
            w[j] = 0.01f * (j - 5);
        }
        return w;
    }

    static List<BigInteger> words(G1 p) {
        byte[] b = p.toEvmBytes();
        return List.of(new BigInteger(1, java.util.Arrays.copyOfRange(b, 0, 32)),
                new BigInteger(1, java.util.Arrays.copyOfRange(b, 32, 64)));
    }

    static Credentials committeeNode(BigInteger job, int k) {
        String address = admin.market().job(job).committee().get(k - 1);
        return nodes.stream().filter(n -> n.getAddress().equalsIgnoreCase(address)).findFirst().orElseThrow();
    }

    static void postRoundKeys(BigInteger job, int round) {
        for (int k = 1; k <= M; k++) {
            NodeRoundKey key = NodeRoundKey.generate(new SecureRandom());
            roundKeys.put(job + "/" + round + "/" + k, key);
            admin.as(committeeNode(job, k)).market().postRoundKey(job, words(key.publicKey()));
        }
    }

    static void passTime(long timestamp) {
        long now;
        try {
            now = web3j.ethGetBlockByNumber(org.web3j.protocol.core.DefaultBlockParameterName.LATEST, false).send()
                    .getBlock().getTimestamp().longValue();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        long delta = timestamp - now + 1;
        if (delta > 0) {
            anvil.rpc("evm_increaseTime", "[" + delta + "]");
            anvil.rpc("evm_mine", "[]");
        }
    }

    /**
     * Plays round 0 of {@code job} with two trainers dealt by the protocol library (the trainer under test only joins):
     * they commit, every node opens its C_k, nodes 1 and 2 reveal S_k ‖ b_k on IPFS, A is opened against C_A, and the
     * evaluator posts {@code postedHash} (null: the hash of w' = w + A / Σn as ModelStep computes it) with an accuracy
     * below the target, which opens round 1. Returns the hash of the true w'.
     */
    static byte[] playRoundZero(BigInteger job, String label, byte[] postedHash) throws IOException {
        return playRoundZero(job, label, postedHash, null);
    }

    /**
     * As {@link #playRoundZero(BigInteger, String, byte[])}, with C_A opened under {@code otherAggregateHash} instead of
     * keccak(A ‖ b_A) when it is not null: a valid opening of the true A at the point bound to a hash that is not A's,
     * which the chain cannot tell from the right one (ADR 0108).
     */
    static byte[] playRoundZero(BigInteger job, String label, byte[] postedHash, byte[] otherAggregateHash)
            throws IOException {
        VssParameters params = new VssParameters(T, M, D_MODEL, BUCKET);
        VssDealer dealer = new VssDealer(srs, params);
        SplittableRandom rnd = new SplittableRandom(label.hashCode());
        long[] n = {40, 60};
        BigInteger[] sums = new BigInteger[D_MODEL];
        java.util.Arrays.fill(sums, BigInteger.ZERO);
        List<Dealing> dealings = new ArrayList<>();
        // everyone joins before anyone commits: the last joined trainer's commit would close the commit window
        List<Credentials> players = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Credentials c = funded(label + "-trainer-" + i, tokens(500));
            admin.as(c).staking().stakeAsTrainer(tokens(500));
            admin.as(c).market().join(job);
            players.add(c);
        }
        admin.as(trainer).market().join(job);
        for (int i = 0; i < 2; i++) {
            Credentials c = players.get(i);
            Fr[] update = new Fr[D_MODEL];
            for (int j = 0; j < D_MODEL; j++) {
                long q = rnd.nextLong(-(n[i] << 14), (n[i] << 14) + 1); // |Δ_j| ≤ 1/4, times n_i, in Q16
                update[j] = Fr.of(q);
                sums[j] = sums[j].add(BigInteger.valueOf(q));
            }
            Dealing d = dealer.deal(update, rnd);
            dealings.add(d);
            List<BigInteger> points = new ArrayList<>();
            d.commitments().forEach(p -> points.addAll(words(p)));
            admin.as(c).market().commitRound(job, points, Hash.sha3((label + " manifest " + i).getBytes(StandardCharsets.UTF_8)), n[i]);
        }
        passTime(admin.market().attempt(job).complaintDeadline());
        List<Share> partials = new ArrayList<>();
        for (int k = 1; k <= M; k++) { // every node opens, so none is slashed out of the node pool
            final int node = k;
            Share partial = Share.sum(dealings.stream().map(d -> d.shareFor(node)).toList());
            partials.add(partial);
            MarketClient.OpeningPoint c = admin.market().openingPoint(job, k);
            Opening o = Kzg.open(srs, partial.values(), partial.blinding(), Fr.of(c.z()));
            admin.as(committeeNode(job, k)).market().postOpening(job, List.of(KzgSolidityVerifier.openingWords(List.of(o))));
        }
        for (int k = 1; k <= 2; k++) {
            byte[] reveal = new Reveal(job, 0, 0, partials.get(k - 1)).toBytes();
            Cid cid = ipfs.add(new java.io.ByteArrayInputStream(reveal), KuboClient.AddOptions.defaults().withCidVersion(1)).cid();
            admin.as(committeeNode(job, k)).market().revealPartial(job, cid.toBytes());
        }
        passTime(admin.market().attempt(job).openingDeadline());
        CommitmentSums commitmentSums = CommitmentSums.of(dealings.stream().map(Dealing::commitments).toList());
        Share a = new Reconstruction(srs, params, commitmentSums).combine(partials.subList(0, 2));
        byte[] aggregateHash = otherAggregateHash != null ? otherAggregateHash : ResultBinding.aggregateHash(a);
        Fr z = ResultBinding.point(commitmentSums.aggregate(), 0, aggregateHash);
        assertEquals(z, Fr.of(admin.market().resultPoint(job, aggregateHash).z()), "the chain binds z_A as the library does");
        admin.market().openResult(job, aggregateHash, List.of(KzgSolidityVerifier.openingWords(List.of(Kzg.open(srs, a.values(),
                a.blinding(), z)))));
        byte[] truth = ModelStep.weightsHash(ModelStep.apply(initialWeights(), sums, BigInteger.valueOf(n[0] + n[1])));
        admin.as(owner).market().postRoundResult(job, postedHash != null ? postedHash : truth, 100_000,
                List.of(BigInteger.valueOf(500_000), BigInteger.valueOf(500_000)));
        assertEquals(1, admin.market().job(job).round(), "round 1 is open");
        return truth;
    }

    @Test
    @Order(4)
    void inRoundOneTheTrainerRecomputesTheModelFromTheRevealsAndCommits() throws Exception {
        BigInteger job = createJob(5, 8, null);
        byte[] truth = playRoundZero(job, "job5", null);
        postRoundKeys(job, 1);
        var ran = TrainerProcess.run(dir, concat(args("run", "--job", "5", "--rounds", "1", "--keystore", keystore.toString(),
                "--password-file", passwordFile.toString(), "--data", data.toString(), "--srs", srsFile.toString(),
                "--kafka", kafka.bootstrapServers(), "--ipfs", ipfsStore.apiUrl(), "--state-dir",
                dir.resolve("state5").toString(), "--poll", "200"), connection())).ok();
        assertTrue(ran.out().contains("round 0 attempt 0: recomputed the aggregated model from the reveals (" + hex(truth)
                + ", nodes [1, 2], checked against ResultOpened)"), ran.out());
        var commits = roundCommitted(job).stream().filter(e -> e.round() == 1).toList();
        assertEquals(1, commits.size(), "the trainer committed in round 1");
        assertEquals(trainer.getAddress().toLowerCase(), commits.getFirst().trainer().toLowerCase());
        assertEquals(3, commits.getFirst().index(), "its join position");
        // its envelope for node 3 opens with node 3's round-1 key and verifies
        Map<String, byte[]> envelopes = consume(RoundTopics.ENVELOPES);
        byte[] env = envelopes.get(RoundTopics.envelopeKey(job, 1, 0, 3, 3));
        Share share = ShareEnvelope.fromBytes(env).open(roundKeys.get(job + "/1/3"), new EnvelopeTag(job, 1, 0, 3, 3));
        assertTrue(new ShareCheck(srs, new VssParameters(T, M, D_MODEL, BUCKET))
                .holds(3, new ReceivedShare(3, ChainWords.points(commits.getFirst().points()), share)));
    }

    @Test
    @Order(5)
    void aRoundResultThatIsNotTheRevealsSumIsAModelHashMismatch() throws Exception {
        BigInteger job = createJob(6, 8, null);
        playRoundZero(job, "job6", Hash.sha3("weights nobody computed".getBytes(StandardCharsets.UTF_8)));
        postRoundKeys(job, 1);
        TrainerProcess.run(dir, concat(args("run", "--job", "6", "--rounds", "1", "--keystore", keystore.toString(),
                "--password-file", passwordFile.toString(), "--data", data.toString(), "--srs", srsFile.toString(),
                "--kafka", kafka.bootstrapServers(), "--ipfs", ipfsStore.apiUrl(), "--state-dir",
                dir.resolve("state6").toString(), "--poll", "200"), connection())).refused(4, "model hash mismatch",
                "the evaluator posted");
        assertTrue(roundCommitted(job).stream().noneMatch(e -> e.round() == 1), "nothing committed in round 1");
    }

    static Path importKey(String name, Credentials who) throws Exception {
        Path key = dir.resolve(name + ".key");
        Files.writeString(key, Numeric.toHexStringNoPrefixZeroPadded(who.getEcKeyPair().getPrivateKey(), 64));
        Path store = dir.resolve(name + ".json");
        TrainerProcess.run(dir, "wallet", "import", "--keystore", store.toString(), "--password-file",
                passwordFile.toString(), "--private-key-file", key.toString(), "--light").ok();
        return store;
    }

    @Test
    @Order(6)
    void rewardsAreShownAndClaimedOnce() throws Exception {
        // the owner of the stopped job 4 has its unspent fee credited; the rewards command reads and claims any credit
        Path store = importKey("owner", owner);
        BigInteger owed = admin.market().claimable(owner.getAddress(), addresses.token());
        assertTrue(owed.signum() > 0, "the stopped job's refund is credited");
        BigInteger before = admin.token().balanceOf(addresses.token(), owner.getAddress());
        String[] wallet = args("--keystore", store.toString(), "--password-file", passwordFile.toString());
        var shown = TrainerProcess.run(dir, concat(args("rewards"), concat(wallet, connection()))).ok();
        assertTrue(shown.out().contains("claimable " + new java.math.BigDecimal(owed, 18).stripTrailingZeros().toPlainString()
                + " of token " + addresses.token()), shown.out());
        TrainerProcess.run(dir, concat(args("rewards", "--claim"), concat(wallet, connection()))).ok();
        assertEquals(before.add(owed), admin.token().balanceOf(addresses.token(), owner.getAddress()));
        assertEquals(BigInteger.ZERO, admin.market().claimable(owner.getAddress(), addresses.token()));
        TrainerProcess.run(dir, concat(args("rewards", "--claim"), concat(wallet, connection()))).refused(4, "nothing to claim");
    }

    @Test
    @Order(7)
    void unstakeUnbondsAndWithdrawsAfterTheDelayButNotWhileJobsHoldTheStake() throws Exception {
        Credentials leaver = funded("leaver", tokens(500));
        Path store = importKey("leaver", leaver);
        String[] wallet = args("--keystore", store.toString(), "--password-file", passwordFile.toString());
        TrainerProcess.run(dir, concat(args("stake"), concat(wallet, connection()))).ok();
        assertEquals(BigInteger.ZERO, admin.token().balanceOf(addresses.token(), leaver.getAddress()));
        var unbonding = TrainerProcess.run(dir, concat(args("unstake"), concat(wallet, connection()))).ok();
        assertTrue(unbonding.out().contains("unbonding 500 tokens"), unbonding.out());
        TrainerProcess.run(dir, concat(args("unstake", "--withdraw"), concat(wallet, connection())))
                .refused(4, "unbonding is not over");
        passTime(admin.staking().account(leaver.getAddress()).unbondingEndsAt.longValue());
        var withdrawn = TrainerProcess.run(dir, concat(args("unstake", "--withdraw"), concat(wallet, connection()))).ok();
        assertTrue(withdrawn.out().contains("withdrew 500 tokens"), withdrawn.out());
        assertEquals(tokens(500), admin.token().balanceOf(addresses.token(), leaver.getAddress()));
        // the trainer under test is in live jobs: its stake stays locked; a job that ended gives its lock back once
        String[] trainerWallet = args("--keystore", keystore.toString(), "--password-file", passwordFile.toString());
        TrainerProcess.run(dir, concat(args("unstake"), concat(trainerWallet, connection()))).refused(4, "stake locked");
        TrainerProcess.run(dir, concat(args("release", "--job", "3"), concat(trainerWallet, connection())))
                .refused(4, "is still active");
        BigInteger locks = admin.staking().account(trainer.getAddress()).locks;
        admin.as(owner).market().stopJob(new BigInteger(views.get(3L).path("submission").path("chainJobId").asText()));
        var released = TrainerProcess.run(dir, concat(args("release", "--job", "3"), concat(trainerWallet, connection()))).ok();
        assertEquals(locks.subtract(BigInteger.ONE), admin.staking().account(trainer.getAddress()).locks);
        assertTrue(released.out().contains("released job 3; " + locks.subtract(BigInteger.ONE) + " job(s) still hold"), released.out());
        TrainerProcess.run(dir, concat(args("release", "--job", "3"), concat(trainerWallet, connection())))
                .refused(4, "nothing to release");
    }

    @Test
    @Order(8)
    void aResultOpenedUnderAnotherHashSendsTheTrainerToThePerRevealCheck() throws Exception {
        BigInteger job = createJob(7, 8, null);
        byte[] truth = playRoundZero(job, "job7", null, Hash.sha3("not A's bytes".getBytes(StandardCharsets.UTF_8)));
        postRoundKeys(job, 1);
        var ran = TrainerProcess.run(dir, concat(args("run", "--job", "7", "--rounds", "1", "--keystore", keystore.toString(),
                "--password-file", passwordFile.toString(), "--data", data.toString(), "--srs", srsFile.toString(),
                "--kafka", kafka.bootstrapServers(), "--ipfs", ipfsStore.apiUrl(), "--state-dir",
                dir.resolve("state7").toString(), "--poll", "200"), connection())).ok();
        assertTrue(ran.out().contains("round 0 attempt 0: recomputed the aggregated model from the reveals (" + hex(truth)
                + ", nodes [1, 2], checked reveal by reveal)"), ran.out());
        assertEquals(1, roundCommitted(job).stream().filter(e -> e.round() == 1).count(),
                "the trainer committed in round 1 from the model the reveals give");
    }
}
