package io.zkpfl.trainer.owner;

import static io.zkpfl.contracts.PlatformConfig.tokens;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zkpfl.contracts.ChainClient;
import io.zkpfl.contracts.MarketClient;
import io.zkpfl.contracts.JobState;
import io.zkpfl.contracts.PlatformAddresses;
import io.zkpfl.contracts.generated.JobMarket.JobParams;
import io.zkpfl.devstack.DevStack;
import io.zkpfl.devstack.DevStackConfig;
import io.zkpfl.devstack.chain.JsonRpc;
import io.zkpfl.devstack.demo.ServiceProcess;
import io.zkpfl.protocol.chain.DevChainKeys;
import io.zkpfl.protocol.ipfs.KuboClient;
import io.zkpfl.protocol.vss.CommitmentSums;
import io.zkpfl.protocol.vss.Dealing;
import io.zkpfl.protocol.vss.Reconstruction;
import io.zkpfl.protocol.vss.Share;
import io.zkpfl.protocol.vss.VssDealer;
import io.zkpfl.protocol.vss.VssParameters;
import io.zkpfl.trainer.cli.TrainerCli;
import io.zkpfl.zk.bn254.Fr;
import io.zkpfl.zk.bn254.G1;
import io.zkpfl.zk.kzg.Kzg;
import io.zkpfl.zk.kzg.PowersOfTau;
import io.zkpfl.zk.kzg.Srs;
import io.zkpfl.zk.solidity.KzgSolidityVerifier;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.http.HttpService;
import org.web3j.utils.Numeric;

/**
 * {@code job post|watch|fetch} run as the trainer jar's processes against the marketplace's packaged application (a
 * process of its own, its dev bootstrap deploying the platform with the verifiers of this test's SRS) on a real
 * PostgreSQL, Kafka, Anvil and IPFS store. The owners' keys sit in keystores the CLI itself imported. The test plays
 * round 0 of the posted job on chain with the protocol library (dev trainers deal and commit, the dev nodes open and
 * reveal, A is opened against C_A) and posts its result as the evaluator (dev account 8), so fetch has a hash to check.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OwnerJobIT {

    private static final String PASSWORD = "owner's passphrase";
    /** 4 inputs → 2 softmax outputs: d = 10, bucket 16. */
    private static final String SPEC = "{\"input\":{\"shape\":[4]},\"layers\":[{\"type\":\"output\",\"units\":2,"
            + "\"activation\":\"softmax\"}],\"loss\":\"cross_entropy\"}";
    private static final int D = 10;
    private static final int BUCKET = 16;
    private static final int M = 3;
    private static final int T = 2;
    private static final int EVALUATOR = 8;
    private static final Pattern ON_CHAIN = Pattern.compile("job (\\d+) is on chain (\\d+) as job (\\d+)");
    private static final AtomicInteger RUNS = new AtomicInteger();

    @TempDir
    static Path dir;

    static DevStack stack;
    static ServiceProcess marketplace;
    static Web3j web3j;
    static ChainClient reader;
    static PlatformAddresses addresses;
    static Srs srs;
    static Path spec;
    /** The job posted by dev account 4 and its chain id. */
    static long job;
    static BigInteger chainJob;

    @BeforeAll
    static void system() throws Exception {
        stack = DevStack.start(DevStackConfig.fromEnvironment());
        Path ptau = dir.resolve("platform.ptau");
        PowersOfTau.contribute(PowersOfTau.start(4), "owner-it", new SplittableRandom(3)).write(ptau);
        srs = Srs.fromPtau(ptau, BUCKET, M + 2);
        Map<String, String> props = new LinkedHashMap<>(stack.serviceProperties());
        props.put("zkpfl.chain.bootstrap", "dev");
        props.put("zkpfl.srs.ptau", ptau.toString());
        props.put("zkpfl.chain.evaluator", Credentials.create(DevChainKeys.privateKey(EVALUATOR)).getAddress());
        for (String dependency : new String[] {"db", "chain", "ipfs"}) {
            props.put("zkpfl." + dependency + ".timeout", "PT15S");
        }
        Path jar = Path.of(System.getProperty("marketplace.jar", "../marketplace-service/target/quarkus-app/quarkus-run.jar"));
        marketplace = ServiceProcess.start("marketplace", jar, props, dir.resolve("marketplace.log"), Duration.ofMinutes(3));
        JsonNode c = new ObjectMapper().readTree(HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                marketplace.baseUrl().resolve("/api/v1/chain")).build(), HttpResponse.BodyHandlers.ofString()).body());
        addresses = new PlatformAddresses(c.get("token").asText(), c.get("registry").asText(), c.get("certifier").asText(),
                c.get("market").asText());
        web3j = Web3j.build(new HttpService(stack.chain().rpcUrl()));
        reader = ChainClient.connect(web3j, c.get("chainId").asLong(), Credentials.create(DevChainKeys.privateKey(0)), addresses);
        spec = Files.writeString(dir.resolve("model.json"), SPEC);
        for (int owner : new int[] {1, 4}) {
            Path key = Files.writeString(dir.resolve("key-" + owner + ".hex"), DevChainKeys.privateKey(owner).substring(2));
            Files.writeString(dir.resolve("password-" + owner), PASSWORD + "\n");
            run("wallet", "import", "--private-key-file", key.toString(), "--light", "--keystore", keystore(owner).toString(),
                    "--password-file", dir.resolve("password-" + owner).toString()).ok();
            Files.delete(key);
        }
    }

    @AfterAll
    static void stop() {
        if (marketplace != null) {
            marketplace.close();
        }
        if (web3j != null) {
            web3j.shutdown();
        }
        if (stack != null) {
            stack.close();
        }
    }

    static Path keystore(int owner) {
        return dir.resolve("owner-" + owner + ".json");
    }

    static String[] wallet(int owner) {
        return new String[] {"--keystore", keystore(owner).toString(), "--password-file", dir.resolve("password-" + owner).toString()};
    }

    static String[] endpoints() {
        return new String[] {"--marketplace", marketplace.baseUrl().toString(), "--rpc", stack.chain().rpcUrl()};
    }

    static String[] args(String[] first, String[]... more) {
        List<String> a = new ArrayList<>(List.of(first));
        for (String[] m : more) {
            a.addAll(List.of(m));
        }
        return a.toArray(String[]::new);
    }

    @Test
    @Order(1)
    void postSignsWithTheKeystoreApprovesTheFeeAndTheJobReachesTheChainWithItsTerms() throws Exception {
        String owner = Credentials.create(DevChainKeys.privateKey(4)).getAddress();
        BigInteger before = reader.token().balanceOf(addresses.token(), owner);
        assertEquals(BigInteger.ZERO, reader.token().allowance(addresses.token(), owner, addresses.market()),
                "dev account 4 has not approved the market: post must");
        Result r = run(args(new String[] {"job", "post", "--model", spec.toString(), "--target", "0.9", "--rounds", "3",
                "--fee", "150.5", "--committee", "3/2", "--trainers", "2/2", "--max-samples", "1000", "--alpha", "0.25",
                "--window", "commit=3600", "--window", "reveal=900"}, wallet(4), endpoints())).ok();
        assertTrue(r.out.contains("approved the JobMarket " + addresses.market()), r.out);
        Matcher m = ON_CHAIN.matcher(r.out);
        assertTrue(m.find(), r.out);
        job = Long.parseLong(m.group(1));
        assertEquals(31337, Long.parseLong(m.group(2)), "Anvil's chain id");
        chainJob = new BigInteger(m.group(3));

        JobParams p = reader.market().jobParams(chainJob);
        assertEquals(owner.toLowerCase(), p.owner.toLowerCase());
        assertEquals(addresses.token().toLowerCase(), p.feeToken.toLowerCase());
        assertEquals(new BigInteger("150500000000000000000"), p.fee);
        assertEquals(Credentials.create(DevChainKeys.privateKey(EVALUATOR)).getAddress().toLowerCase(), p.evaluator.toLowerCase());
        assertEquals(BigInteger.valueOf(BUCKET), p.bucket, "the smallest power of two holding d + 2");
        assertEquals(List.of(3, 3, 2, 2, 2), List.of(p.maxRounds.intValue(), p.committeeSize.intValue(), p.threshold.intValue(),
                p.minTrainers.intValue(), p.maxTrainers.intValue()));
        assertEquals(1_000, p.maxSamples.intValue());
        assertEquals(900_000, p.targetAccuracy.intValue());
        assertEquals(250_000, p.alpha.intValue());
        assertEquals(List.of(3600, 10, 120, 300, 900), List.of(p.commitWindow.intValue(), p.complaintWindow.intValue(),
                p.partialWindow.intValue(), p.proofWindow.intValue(), p.revealWindow.intValue()));
        JsonNode manifest = new ObjectMapper().readTree(get("/api/v1/jobs/" + job + "/artifacts/manifest.json"));
        assertEquals(Numeric.toHexString(Hash.sha3(get("/api/v1/jobs/" + job + "/artifacts/manifest.json"))),
                Numeric.toHexString(p.modelHash), "the signed modelHash is the stored manifest's");
        assertEquals(2, manifest.path("training").path("localEpochs").asInt(), "the demo's default epochs");
        JobState s = reader.market().job(chainJob);
        assertEquals(JobState.Status.ACTIVE, s.status(), "active");
        // the dev platform keeps a 1 % creation fee (docs/contracts.md); the owner pays the whole fee
        assertEquals(p.fee.subtract(p.fee.divide(java.math.BigInteger.valueOf(100))), s.escrowed(), "the fee less the creation fee is escrowed");
        assertEquals(before.subtract(p.fee), reader.token().balanceOf(addresses.token(), owner));
    }

    @Test
    @Order(2)
    void postsABuiltInModelWithGivenWeightsAndPrivacyTermsAsTheApprovedDevOwner() throws Exception {
        float[] w = new float[7_850];
        for (int i = 0; i < w.length; i++) {
            w[i] = (i % 13 - 6) / 100f;
        }
        Path weights = Files.write(dir.resolve("logreg.bin"), floats(w));
        Result r = run(args(new String[] {"job", "post", "--model", "logreg", "--weights", weights.toString(), "--target", "0.8",
                "--rounds", "4", "--fee", "100", "--trainers", "2/4", "--epsilon", "8", "--delta", "1e-5",
                "--noise-multiplier", "5", "--l2-clip", "1"}, wallet(1), endpoints())).ok();
        assertFalse(r.out.contains("approved"), "dev account 1 approved the market at bootstrap: " + r.out);
        Matcher m = ON_CHAIN.matcher(r.out);
        assertTrue(m.find(), r.out);
        byte[] stored = get("/api/v1/jobs/" + m.group(1) + "/artifacts/weights.bin");
        assertArrayEquals(floats(w), stored, "the marketplace stores the owner's weights");
        JsonNode manifest = new ObjectMapper().readTree(get("/api/v1/jobs/" + m.group(1) + "/artifacts/manifest.json"));
        assertEquals(7_850, manifest.path("parameterCount").asInt());
        assertTrue(manifest.toString().contains("\"epsilon\""), "the privacy terms are in the signed manifest: " + manifest);
        JobParams p = reader.market().jobParams(new BigInteger(m.group(3)));
        assertEquals(Credentials.create(DevChainKeys.privateKey(1)).getAddress().toLowerCase(), p.owner.toLowerCase());
        assertEquals(tokens(100), p.fee);
        assertEquals(4, p.maxTrainers.intValue());

        Result once = run(args(new String[] {"job", "watch", m.group(1), "--once"}, endpoints())).ok();
        assertTrue(once.out.contains("is active: round 0"), once.out);
    }

    @Test
    @Order(3)
    void refusalsAreOneLineAndANonZeroExit() throws Exception {
        Files.writeString(dir.resolve("wrong"), "not the password\n");
        run(args(new String[] {"job", "post", "--target", "0.9", "--keystore", keystore(4).toString(), "--password-file",
                dir.resolve("wrong").toString()}, endpoints())).refused(TrainerCli.REFUSED, "wrong password");
        Path bad = Files.writeString(dir.resolve("bad.json"), "{\"input\":{\"shape\":[4]},\"layers\":[{\"type\":\"teleport\"}]}");
        run(args(new String[] {"job", "post", "--model", bad.toString(), "--target", "0.9"}, wallet(4), endpoints()))
                .refused(TrainerCli.BAD_INPUT, "spec file " + bad);
        run(args(new String[] {"job", "post", "--target", "0.9", "--committee", "3/1"}, wallet(4), endpoints()))
                .refused(TrainerCli.USAGE, "threshold");
        run(args(new String[] {"job", "post", "--target", "0.9", "--fee", "1"}, wallet(4), endpoints()))
                .refused(TrainerCli.REFUSED, "FeeBelowMinimum");
        run(args(new String[] {"job", "watch", "987654", "--once"}, endpoints())).refused(TrainerCli.REFUSED, "404");
        run(args(new String[] {"job", "fetch", "987654", "--cid", "bafkqaaa"}, endpoints())).refused(TrainerCli.REFUSED, "404");
        run(args(new String[] {"job", "fetch", "1"}, endpoints())).refused(TrainerCli.USAGE, "--engine");
    }

    @Test
    @Order(4)
    void afterARoundPaidOnChainWatchEndsAndFetchWritesOnlyTheWeightsWithTheChainsHash() throws Exception {
        assertTrue(job > 0, "the job of the first test");
        run(args(new String[] {"job", "fetch", Long.toString(job), "--cid", "bafkqaaa"}, endpoints()))
                .refused(TrainerCli.REFUSED, "no round result on chain yet");
        float[] next = new float[D];
        for (int i = 0; i < D; i++) {
            next[i] = 0.125f * (i - 4);
        }
        byte[] weights = floats(next);
        playRoundZero(chainJob, Hash.sha3(weights), 950_000);
        assertEquals(JobState.Status.COMPLETED, reader.market().job(chainJob).status(), "the round reached the target: completed");

        Result watched = run(args(new String[] {"job", "watch", Long.toString(job), "--poll", "0.2"}, endpoints())).ok();
        assertTrue(watched.out.contains(JobProgress.HEADER), watched.out);
        assertTrue(Pattern.compile("(?m)^0\\s+2\\s+0\\.9500\\s+\\d+\\.\\d{4}$").matcher(watched.out).find(),
                "round 0, two trainers, accuracy 0.95: " + watched.out);
        assertTrue(watched.out.contains("job " + job + " completed: accuracy 0.9500 after round 0"), watched.out);

        KuboClient ipfs = KuboClient.create(stack.ipfs().apiUrl());
        float[] tampered = next.clone();
        tampered[3] += 1e-3f;
        String wrong = ipfs.add(floats(tampered)).toString();
        Path refusedFile = dir.resolve("refused.bin");
        run(args(new String[] {"job", "fetch", Long.toString(job), "--cid", wrong, "--ipfs", stack.ipfs().apiUrl(), "--out",
                refusedFile.toString()}, endpoints())).refused(TrainerCli.REFUSED, "model hash mismatch", wrong);
        assertFalse(Files.exists(refusedFile), "nothing is written on a mismatch");

        String right = ipfs.add(weights).toString();
        Path file = dir.resolve("final.bin");
        Result fetched = run(args(new String[] {"job", "fetch", Long.toString(job), "--cid", right, "--ipfs",
                stack.ipfs().apiUrl(), "--out", file.toString()}, endpoints())).ok();
        assertArrayEquals(weights, Files.readAllBytes(file));
        assertTrue(fetched.out.contains("round 0's model, accuracy 0.9500, keccak-256 " + Numeric.toHexString(Hash.sha3(weights))),
                fetched.out);
        run(args(new String[] {"job", "fetch", Long.toString(job), "--cid", right, "--ipfs", stack.ipfs().apiUrl(), "--out",
                file.toString()}, endpoints())).refused(TrainerCli.BAD_INPUT, "exists");
    }

    /**
     * Round 0 of {@code jobId}: dev trainers 0 and 1 stake, join, deal random updates and commit; every committee node
     * opens its C_k and nodes 1 and 2 reveal; A is opened against C_A; the evaluator posts {@code weightsHash} with
     * {@code accuracyPpm}.
     */
    static void playRoundZero(BigInteger jobId, byte[] weightsHash, long accuracyPpm) throws IOException {
        VssParameters params = new VssParameters(T, M, D, BUCKET);
        VssDealer dealer = new VssDealer(srs, params);
        SplittableRandom rnd = new SplittableRandom(17);
        List<Credentials> trainers = List.of(Credentials.create(DevChainKeys.trainerKey(0)), Credentials.create(DevChainKeys.trainerKey(1)));
        for (Credentials t : trainers) {
            reader.as(t).staking().stakeAsTrainer(tokens(500));
            reader.as(t).market().join(jobId);
        }
        List<Dealing> dealings = new ArrayList<>();
        for (Credentials t : trainers) {
            Fr[] update = new Fr[D];
            for (int j = 0; j < D; j++) {
                update[j] = Fr.of(rnd.nextLong(1L << 16));
            }
            Dealing d = dealer.deal(update, rnd);
            dealings.add(d);
            List<BigInteger> points = new ArrayList<>();
            d.commitments().forEach(p -> points.addAll(words(p)));
            reader.as(t).market().commitRound(jobId, points, Hash.sha3(("manifest of " + t.getAddress()).getBytes(StandardCharsets.UTF_8)), 50);
        }
        passTime(reader.market().attempt(jobId).complaintDeadline());
        List<String> committee = reader.market().job(jobId).committee();
        List<Share> partials = new ArrayList<>();
        for (int k = 1; k <= M; k++) {
            final int node = k;
            Share partial = Share.sum(dealings.stream().map(d -> d.shareFor(node)).toList());
            partials.add(partial);
            MarketClient.OpeningPoint c = reader.market().openingPoint(jobId, k);
            reader.as(devNode(committee.get(k - 1))).market().postOpening(jobId, List.of(KzgSolidityVerifier.openingWords(
                    List.of(Kzg.open(srs, partial.values(), partial.blinding(), Fr.of(c.z()))))));
        }
        for (int k = 1; k <= T; k++) {
            reader.as(devNode(committee.get(k - 1))).market().revealPartial(jobId,
                    Hash.sha3(("reveal " + jobId + " " + k).getBytes(StandardCharsets.UTF_8)));
        }
        passTime(reader.market().attempt(jobId).openingDeadline());
        Share a = new Reconstruction(srs, params, CommitmentSums.of(dealings.stream().map(Dealing::commitments).toList()))
                .combine(partials.subList(0, T));
        byte[] aggregateHash = io.zkpfl.protocol.round.ResultBinding.aggregateHash(a);
        MarketClient.OpeningPoint ca = reader.market().resultPoint(jobId, aggregateHash);
        reader.market().openResult(jobId, aggregateHash, List.of(KzgSolidityVerifier.openingWords(List.of(Kzg.open(srs, a.values(),
                a.blinding(), Fr.of(ca.z()))))));
        reader.as(Credentials.create(DevChainKeys.privateKey(EVALUATOR))).market().postRoundResult(jobId, weightsHash, accuracyPpm,
                List.of(BigInteger.valueOf(500_000), BigInteger.valueOf(500_000)));
    }

    static Credentials devNode(String address) {
        for (int i = 0; i < DevChainKeys.COUNT; i++) {
            Credentials c = Credentials.create(DevChainKeys.privateKey(i));
            if (c.getAddress().equalsIgnoreCase(address)) {
                return c;
            }
        }
        throw new AssertionError("committee member " + address + " is not a dev account");
    }

    static List<BigInteger> words(G1 p) {
        byte[] b = p.toEvmBytes();
        return List.of(new BigInteger(1, java.util.Arrays.copyOfRange(b, 0, 32)),
                new BigInteger(1, java.util.Arrays.copyOfRange(b, 32, 64)));
    }

    static void passTime(long timestamp) throws IOException {
        JsonRpc rpc = new JsonRpc(stack.chain().rpcUrl());
        long now = Long.decode(rpc.call("eth_getBlockByNumber", "[\"latest\", false]").get("timestamp").asText());
        if (timestamp + 1 > now) {
            rpc.call("evm_increaseTime", "[" + (timestamp + 1 - now) + "]");
            rpc.call("evm_mine", "[]");
        }
    }

    static byte[] floats(float[] values) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putFloat(v);
        }
        return b.array();
    }

    static byte[] get(String path) throws Exception {
        HttpResponse<byte[]> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(marketplace.baseUrl() + path)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, r.statusCode(), path);
        return r.body();
    }

    record Result(int exit, String out, String err) {

        Result ok() {
            assertEquals(0, exit, () -> "exit code; stdout: " + out + "\nstderr: " + err);
            return this;
        }

        /** Exit {@code code}, one line on stderr naming every fragment, no stack trace. */
        Result refused(int code, String... fragments) {
            assertEquals(code, exit, () -> "exit code; stdout: " + out + "\nstderr: " + err);
            assertEquals(1, err.strip().lines().count(), () -> "one line on stderr: " + err);
            for (String f : fragments) {
                assertTrue(err.contains(f), () -> "stderr should name '" + f + "': " + err);
            }
            return this;
        }
    }

    /** The shaded trainer jar as its own process, as an owner runs it. */
    static Result run(String... args) throws IOException, InterruptedException {
        Path jar = Path.of(System.getProperty("trainer.jar", "target/client-trainer-0.1.0-SNAPSHOT-all.jar"));
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-jar", jar.toString()));
        cmd.addAll(List.of(args));
        int n = RUNS.incrementAndGet();
        Path out = dir.resolve("cli-" + n + ".out");
        Path err = dir.resolve("cli-" + n + ".err");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().remove("ZKPFL_WALLET_PASSWORD");
        pb.environment().remove("ZKPFL_ENGINE");
        pb.environment().put("HOME", dir.resolve("home").toString());
        Process p = pb.start();
        if (!p.waitFor(4, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("timed out: " + cmd);
        }
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }
}
