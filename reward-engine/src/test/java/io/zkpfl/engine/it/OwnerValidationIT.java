package io.zkpfl.engine.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zkpfl.contracts.MarketEvent;
import io.zkpfl.contracts.AttemptState;
import io.zkpfl.devstack.demo.ServiceProcess;
import io.zkpfl.protocol.round.NextModel;
import io.zkpfl.protocol.round.ResultBinding;
import io.zkpfl.protocol.round.RoundTopics;
import io.zkpfl.protocol.validation.EvaluatorEncryptionKey;
import io.zkpfl.protocol.validation.SealedBundle;
import io.zkpfl.protocol.validation.ValidationBundle;
import io.zkpfl.protocol.validation.ValidationDisclosure;
import io.zkpfl.protocol.validation.ValidationRejectedException;
import io.zkpfl.trainer.data.DatasetFolder;
import io.zkpfl.trainer.data.LabelledImages;
import io.zkpfl.zk.bn254.Fr;
import io.zkpfl.zk.bn254.G1;
import io.zkpfl.zk.kzg.Kzg;
import io.zkpfl.zk.kzg.Opening;
import io.zkpfl.zk.solidity.KzgSolidityVerifier;
import java.math.BigInteger;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.web3j.crypto.Credentials;
import org.web3j.utils.Numeric;

/**
 * An owner's validation set sealed to the evaluator (docs/adr/0105), with the reward engine as a separate
 * process on the real stack: the owner checks the engine's encryption key against the evaluator's address, seals a
 * grouped subset of the Fashion-MNIST test split to it, and the engine measures the round's model on that set,
 * overall and per group, as this test computes it itself; the replay reproduces the figures from the owner's
 * disclosure and catches a doctored one; a set that does not match its commitment is refused and never used.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OwnerValidationIT {

    private static final long PPM = 1_000_000L;
    private static final int[] SAMPLES = {100, 250, 400};
    private static final int GROUPS = 3;
    private static final SecureRandom RNG = new SecureRandom();

    private EngineStack s;
    private ServiceProcess engine;
    private G1 evaluatorKey;
    private LabelledImages owned;
    private byte[] groupIds;
    private ValidationBundle bundle;
    private SealedBundle.Sealed sealed;
    private String sealedCid;
    private EngineStack.Job job;
    private Path dir;

    @BeforeAll
    void start() throws Exception {
        s = EngineStack.start(3, 3, "validation");
        engine = s.startEngine(Map.of());
        dir = Files.createTempDirectory("zkpfl-owner-validation");
        // 3 000 samples of the test split from sample 4 000 on; group = label / 4 (classes 0-3, 4-7, 8-9)
        LabelledImages test = new DatasetFolder(DatasetFolder.FASHION_MNIST).test();
        int[] idx = new int[3_000];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = 4_000 + i;
        }
        owned = test.select(idx);
        groupIds = new byte[owned.count()];
        for (int i = 0; i < groupIds.length; i++) {
            groupIds[i] = (byte) (owned.label(i) / 4);
        }
        bundle = new ValidationBundle(28, 28, owned.pixels(), owned.labels(), groupIds, GROUPS);
    }

    @AfterAll
    void stop() {
        if (engine != null) {
            engine.close();
        }
        if (s != null) {
            s.close();
        }
    }

    @Test
    @Order(1)
    void theEnginesEncryptionKeyIsSignedByTheEvaluatorsAddress() throws Exception {
        JsonNode k = s.getJson(engine, "/api/v1/evaluator/key");
        EvaluatorEncryptionKey.Statement st = EngineStack.JSON.treeToValue(k, EvaluatorEncryptionKey.Statement.class);
        evaluatorKey = st.verify(s.anvil.chainId(), s.evaluator.getAddress());
        // the same statement does not pass for another evaluator, nor on another chain
        assertThrows(ValidationRejectedException.class, () -> st.verify(s.anvil.chainId(), s.owner.getAddress()));
        assertThrows(ValidationRejectedException.class, () -> st.verify(s.anvil.chainId() + 1, s.evaluator.getAddress()));
        assertTrue(k.get("message").asText().contains(s.evaluator.getAddress().toLowerCase()), k.toString());
    }

    @Test
    @Order(2)
    void theEngineMeasuresTheRoundOnTheOwnersSetOverallAndPerGroup() throws Exception {
        sealed = SealedBundle.seal(bundle.toBytes(), evaluatorKey, RNG);
        sealedCid = s.ipfs.add(sealed.bytes()).toString();
        job = s.createJob(1, 31, s.evaluator.getAddress(), null, validation(sealedCid, sealed.commitment(), GROUPS), 2,
                60_000);
        register(job);
        JsonNode v = s.getJson(engine, "/api/v1/jobs/" + job.id() + "/validation");
        assertEquals("owner", v.get("source").asText(), v.toString());
        assertEquals("accepted", v.get("status").asText(), v.toString());

        NextModel.Result w = playRound(job, 4).expected(job.initialWeights());
        s.passTime(s.admin.market().attempt(job.id()).openingDeadline());
        EngineStack.await("round 0 to be paid", Duration.ofMinutes(3), () -> roundPaid(job.id(), 0).isPresent());
        MarketEvent.RoundPaid paid = roundPaid(job.id(), 0).orElseThrow();
        assertEquals(Numeric.toHexString(w.weightsHash()), Numeric.toHexString(paid.model()));

        long[][] counts = counts(w.weights(), owned, groupIds);
        long overall = counts[0][0] * PPM / owned.count();
        long onDefault = new Figures(w.weights(), new DatasetFolder(DatasetFolder.FASHION_MNIST).test()).overall;
        assertTrue(Math.abs(overall - (long) paid.accuracyPpm()) <= 700,
                "posted " + paid.accuracyPpm() + " ppm, measured here on the owner's set " + overall + " ppm (float summation "
                        + "order may move a sample or two)");
        assertNotEquals(onDefault, (long) paid.accuracyPpm(), "measured on the owner's set, not the default one");

        JsonNode eval = s.getJson(engine, "/api/v1/jobs/" + job.id() + "/evaluations").get(0);
        JsonNode groups = eval.get("groupAccuraciesPpm");
        assertEquals(GROUPS, groups.size(), eval.toString());
        List<Integer> engineGroups = new ArrayList<>();
        for (int g = 0; g < GROUPS; g++) {
            long n = counts[1 + g][1];
            long expected = counts[1 + g][0] * PPM / n;
            long slack = 2 * PPM / n + 1;
            assertTrue(Math.abs(expected - groups.get(g).asLong()) <= slack, "group " + g + ": engine "
                    + groups.get(g) + " ppm, measured here " + expected + " ppm over " + n + " samples");
            engineGroups.add(groups.get(g).asInt());
        }
        // the audit API's round row and the round.evaluated notice carry the same figures
        s.mine();
        s.mine();
        long head = s.blockNumber();
        EngineStack.await("the index to reach block " + (head - 1), Duration.ofSeconds(60),
                () -> s.getJson(engine, "/api/v1/audit/index").get("nextBlock").asLong() >= head);
        JsonNode row = s.getJson(engine, "/api/v1/audit/jobs/" + job.id() + "/rounds").get("items").get(0);
        assertEquals(engineGroups.toString(), row.get("result").get("groupAccuraciesPpm").toString().replace(",", ", "));
        JsonNode notice = notice(job.id(), "round.evaluated");
        assertEquals(engineGroups.toString(), notice.get("groupAccuraciesPpm").toString().replace(",", ", "));
        assertEquals((long) paid.accuracyPpm(), notice.get("accuracyPpm").asLong());
    }

    @Test
    @Order(3)
    void theReplayReproducesTheFiguresFromTheOwnersDisclosureAndNeedsIt() throws Exception {
        Path keyFile = dir.resolve("job-" + job.id() + "-validation.json");
        new ValidationDisclosure(sealedCid, sealed.commitment(), GROUPS, sealed.bundleHash(), sealed.contentKey())
                .write(keyFile);
        Tool.Result r = replay(job, "--validation-key", keyFile.toString(), "--audit-url", engine.baseUrl().toString());
        assertEquals(0, r.exit(), r.output());
        assertTrue(r.output().contains("matches the job's commitment"), r.output());
        assertTrue(r.output().contains("per group ["), r.output());
        assertTrue(r.output().contains("replayed: every posted model and accuracy is reproduced"), r.output());

        Tool.Result sealedOnly = replay(job);
        assertEquals(2, sealedOnly.exit(), sealedOnly.output());
        assertTrue(sealedOnly.output().contains("sealed to its evaluator"), sealedOnly.output());

        byte[] wrongKey = sealed.contentKey().clone();
        wrongKey[0] ^= 1;
        Tool.Result wrong = replay(job, "--disclosed", Numeric.toHexString(sealed.bundleHash()) + ":"
                + Numeric.toHexString(wrongKey));
        assertEquals(2, wrong.exit(), wrong.output());
        assertTrue(wrong.output().contains("does not decrypt"), wrong.output());
    }

    @Test
    @Order(4)
    void aSetThatDoesNotMatchItsCommitmentIsRefusedAndTheRoundIsNotEvaluated() throws Exception {
        // the owner commits to another content key than the one the set is sealed with
        SealedBundle.Sealed other = SealedBundle.seal(bundle.toBytes(), evaluatorKey, RNG);
        byte[] key = new byte[32];
        RNG.nextBytes(key);
        byte[] commitment = SealedBundle.commitment(other.bundleHash(), key);
        String cid = s.ipfs.add(other.bytes()).toString();
        EngineStack.Job bad = s.createJob(1, 32, s.evaluator.getAddress(), null, validation(cid, commitment, GROUPS), 2,
                60_000);
        register(bad);
        JsonNode v = s.getJson(engine, "/api/v1/jobs/" + bad.id() + "/validation");
        assertEquals("refused", v.get("status").asText(), v.toString());
        assertTrue(v.get("detail").asText().contains("does not match the job's commitment"), v.toString());

        playRound(bad, 5);
        s.passTime(s.admin.market().attempt(bad.id()).openingDeadline());
        EngineStack.await("the engine to open C_A", Duration.ofMinutes(2),
                () -> s.admin.market().attempt(bad.id()).phase() == AttemptState.Phase.AGGREGATED);
        // a few more passes of the loop: still no result, and the refusal was logged once
        Thread.sleep(6_000);
        assertTrue(roundPaid(bad.id(), 0).isEmpty(), "no result is posted for a refused set");
        JsonNode eval = s.getJson(engine, "/api/v1/jobs/" + bad.id() + "/evaluations").get(0);
        assertTrue(eval.get("accuracyPpm").isNull(), eval.toString());
        String log = Files.readString(engine.log());
        String line = "job " + bad.id() + ": the owner's validation set " + cid + " is refused";
        assertEquals(1, log.split(java.util.regex.Pattern.quote(line), -1).length - 1, "logged once: " + line);
        assertFalse(log.contains(Numeric.toHexString(other.contentKey()).substring(2)), "the content key is never logged");
    }

    @Test
    @Order(5)
    void aDoctoredAccuracyOnTheOwnersSetIsAMismatchInTheReplay() throws Exception {
        // a job whose evaluator (played here) posts the right model with an inflated accuracy
        Credentials rogue = s.actor("rogue-evaluator");
        G1 rogueKey = EvaluatorEncryptionKey.derive(rogue.getEcKeyPair()).publicKey();
        SealedBundle.Sealed toRogue = SealedBundle.seal(bundle.toBytes(), rogueKey, RNG);
        String cid = s.ipfs.add(toRogue.bytes()).toString();
        EngineStack.Job doctored = s.createJob(1, 33, rogue.getAddress(), null,
                validation(cid, toRogue.commitment(), GROUPS), 2, 60_000);
        for (Credentials t : s.trainers) {
            s.client(t).market().join(doctored.id());
        }
        RoundPlayer p = playRound(doctored, 6);
        NextModel.Result w = p.expected(doctored.initialWeights());
        s.passTime(s.admin.market().attempt(doctored.id()).openingDeadline());
        byte[] aggregateHash = ResultBinding.aggregateHash(w.aggregate());
        Opening o = Kzg.open(s.srs, w.aggregate().values(), w.aggregate().blinding(),
                Fr.of(s.admin.market().resultPoint(doctored.id(), aggregateHash).z()));
        s.client(p.node(1)).market().openResult(doctored.id(), aggregateHash, List.of(KzgSolidityVerifier.openingWords(List.of(o))));
        long[][] c = counts(w.weights(), owned, groupIds);
        long honest = c[0][0] * PPM / owned.count();
        long inflated = Math.min(PPM, honest + 250_000);
        // the job signed GROUPS per-group figures: the rogue posts the honest ones beside its inflated overall figure
        List<BigInteger> groupFigures = new java.util.ArrayList<>();
        for (int g = 0; g < GROUPS; g++) {
            groupFigures.add(BigInteger.valueOf(c[1 + g][0] * PPM / c[1 + g][1]));
        }
        s.client(rogue).market().postRoundResult(doctored.id(), w.weightsHash(), inflated,
                List.of(BigInteger.valueOf(333_334), BigInteger.valueOf(333_333), BigInteger.valueOf(333_333)), groupFigures);
        Tool.Result caught = replay(doctored, "--disclosed", Numeric.toHexString(toRogue.bundleHash()) + ":"
                + Numeric.toHexString(toRogue.contentKey()));
        assertEquals(1, caught.exit(), caught.output());
        assertTrue(caught.output().contains("MISMATCH round 0: the evaluator posted accuracy " + inflated + " ppm"),
                caught.output());
    }

    @Test
    @Order(6)
    void jobPostSealsOnlyToAKeySignedByTheJobsEvaluatorAndKeepsTheDisclosurePrivate() throws Exception {
        Path set = dir.resolve("owner-set");
        LabelledImages small = owned.head(200);
        new DatasetFolder(set).write(DatasetFolder.TEST, small);
        byte[] ids = new byte[small.count()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = (byte) (i % GROUPS);
        }
        io.zkpfl.trainer.data.IdxFile.writeLabels(set.resolve("t10k-groups-idx1-ubyte.gz"), ids);
        Path keys = Files.createDirectories(dir.resolve("owner-keys"));
        Path keystore = keys.resolve(org.web3j.crypto.WalletUtils.generateWalletFile("owner-pw", s.owner.getEcKeyPair(),
                keys.toFile(), false));
        Path password = Files.writeString(dir.resolve("owner-pw"), "owner-pw");
        Path keyFile = dir.resolve("disclosure/job-validation.json");
        int port;
        try (java.net.ServerSocket closed = new java.net.ServerSocket(0)) {
            port = closed.getLocalPort();
        }

        // the engine's key is signed by the engine's evaluator, not by the one the owner names: refused, nothing sealed
        Cli wrong = cli("job", "post", "--target", "0.9", "--model", "logreg", "--validation", set.toString(), "--groups",
                "3", "--engine", engine.baseUrl().toString(), "--evaluator", s.owner.getAddress(), "--validation-key-file",
                keyFile.toString(), "--ipfs", s.stack.ipfs().apiUrl(), "--keystore", keystore.toString(), "--password-file",
                password.toString(), "--rpc", s.anvil.rpcUrl(), "--market", s.addresses.market(), "--marketplace",
                "http://127.0.0.1:" + port);
        assertEquals(io.zkpfl.trainer.cli.TrainerCli.REFUSED, wrong.exit(), wrong.err());
        assertEquals(1, wrong.err().strip().lines().count(), wrong.err());
        assertTrue(wrong.err().contains("not to the job's evaluator " + s.owner.getAddress().toLowerCase()), wrong.err());
        assertFalse(Files.exists(keyFile), "nothing sealed, no key kept");

        // the job's evaluator: sealed, added to IPFS and the key kept 0600; then the (absent) marketplace is the refusal
        Cli sealedRun = cli("job", "post", "--target", "0.9", "--model", "logreg", "--validation", set.toString(),
                "--groups", "3", "--engine", engine.baseUrl().toString(), "--evaluator", s.evaluator.getAddress(),
                "--validation-key-file", keyFile.toString(), "--ipfs", s.stack.ipfs().apiUrl(), "--keystore",
                keystore.toString(), "--password-file", password.toString(), "--rpc", s.anvil.rpcUrl(), "--market",
                s.addresses.market(), "--marketplace", "http://127.0.0.1:" + port);
        assertEquals(io.zkpfl.trainer.cli.TrainerCli.UNAVAILABLE, sealedRun.exit(), sealedRun.out() + sealedRun.err());
        assertTrue(sealedRun.out().contains("its key for disclosure is in " + keyFile), sealedRun.out());
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile)));
        ValidationDisclosure d = ValidationDisclosure.read(keyFile);
        String out = sealedRun.out() + sealedRun.err();
        assertFalse(out.contains(Numeric.toHexString(d.contentKey()).substring(2)), "the content key is never printed");
        byte[] bytes = s.ipfs.catVerifiedBytes(io.zkpfl.protocol.ipfs.Cid.parse(d.cid()), SealedBundle.MAX_BYTES);
        ValidationBundle back = SealedBundle.openDisclosed(bytes, d.contentKey(), d.commitment(), GROUPS);
        assertEquals(new ValidationBundle(28, 28, small.pixels(), small.labels(), ids, GROUPS), back);
        assertEquals(Numeric.toHexString(back.hash()), Numeric.toHexString(d.bundleHash()));
    }

    record Cli(int exit, String out, String err) {
    }

    private static Cli cli(String... args) {
        picocli.CommandLine cli = io.zkpfl.trainer.cli.TrainerCli.commandLine();
        java.io.StringWriter out = new java.io.StringWriter();
        java.io.StringWriter err = new java.io.StringWriter();
        cli.setOut(new java.io.PrintWriter(out));
        cli.setErr(new java.io.PrintWriter(err));
        int exit = cli.execute(args);
        return new Cli(exit, out.toString(), err.toString());
    }

    // ------------------------------------------------------------------ helpers

    private static ObjectNode validation(String cid, byte[] commitment, int groups) {
        ObjectNode v = EngineStack.JSON.createObjectNode();
        v.put("cid", cid);
        v.put("commitment", Numeric.toHexString(commitment));
        v.put("groups", groups);
        return v;
    }

    private void register(EngineStack.Job j) {
        for (Credentials t : s.trainers) {
            s.client(t).market().join(j.id());
        }
        HttpResponse<String> r = s.post(engine, "/api/v1/jobs/" + j.id() + "/artifacts", """
                {"manifestCid": "%s", "modelCid": "%s", "weightsCid": "%s"}""".formatted(j.manifestCid(), j.modelCid(),
                j.weightsCid()));
        assertEquals(200, r.statusCode(), r.body());
    }

    private RoundPlayer playRound(EngineStack.Job j, long seed) {
        RoundPlayer p = new RoundPlayer(s, j.id(), seed);
        for (int i = 0; i < 3; i++) {
            p.commit(s.trainers.get(i), SAMPLES[i]);
        }
        p.openAll();
        for (int k = 1; k <= 3; k++) {
            p.reveal(k, false);
        }
        return p;
    }

    /** Overall figures of the model on a whole set. */
    private record Figures(long overall) {
        Figures(float[] w, LabelledImages data) {
            this(counts(w, data, new byte[data.count()])[0][0] * PPM / data.count());
        }
    }

    /**
     * {@code [0] = {correct, samples}} overall, {@code [1 + g]} for group {@code g}: the 4x4-max-pool softmax model's
     * predictions computed here, without the engine's or the trainer's code.
     */
    private static long[][] counts(float[] w, LabelledImages data, byte[] group) {
        long[][] out = new long[1 + GROUPS][2];
        byte[] px = data.pixels();
        for (int i = 0; i < data.count(); i++) {
            int best = PoolSoftmaxReference.predict(w, px, i);
            int hit = best == data.label(i) ? 1 : 0;
            int g = group[i];
            out[0][0] += hit;
            out[0][1]++;
            out[1 + g][0] += hit;
            out[1 + g][1]++;
        }
        return out;
    }

    private Optional<MarketEvent.RoundPaid> roundPaid(BigInteger jobId, int round) {
        return s.admin.events().events(MarketEvent.RoundPaid.class, jobId, 0).stream()
                .filter(e -> e.round() == round).findFirst();
    }

    private JsonNode notice(BigInteger jobId, String type) throws Exception {
        Properties props = new Properties();
        props.put("bootstrap.servers", s.stack.kafka().bootstrapServers());
        props.put("group.id", "owner-validation-it-" + System.nanoTime());
        props.put("auto.offset.reset", "earliest");
        String key = RoundTopics.attemptKey(jobId, 0, 0);
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new StringDeserializer())) {
            consumer.subscribe(List.of(RoundTopics.EVENTS));
            long end = System.currentTimeMillis() + 20_000;
            while (System.currentTimeMillis() < end) {
                for (ConsumerRecord<String, String> rec : consumer.poll(Duration.ofMillis(500))) {
                    if (rec.key().equals(key)) {
                        JsonNode n = EngineStack.JSON.readTree(rec.value());
                        if (n.get("type").asText().equals(type)) {
                            return n;
                        }
                    }
                }
            }
        }
        throw new AssertionError("no " + type + " notice for job " + jobId);
    }

    private Tool.Result replay(EngineStack.Job j, String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("replay", "--rpc-url", s.anvil.rpcUrl(), "--chain-id",
                Long.toString(s.anvil.chainId()), "--market", s.addresses.market(), "--registry", s.addresses.registry(),
                "--token", s.addresses.token(), "--job", j.id().toString(), "--srs", s.ptau.toString(), "--ipfs-api-url",
                s.stack.ipfs().apiUrl(), "--manifest-cid", j.manifestCid(), "--model-cid", j.modelCid(), "--weights-cid",
                j.weightsCid()));
        args.addAll(List.of(extra));
        return Tool.run(args.toArray(String[]::new));
    }
}
