package io.zkpfl.engine.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.zkpfl.contracts.MarketEvent;
import io.zkpfl.contracts.MarketEvents;
import io.zkpfl.contracts.AttemptState;
import io.zkpfl.contracts.JobState;
import io.zkpfl.devstack.demo.ServiceProcess;
import io.zkpfl.protocol.ipfs.Cid;
import io.zkpfl.protocol.model.FlatParameters;
import io.zkpfl.protocol.round.NextModel;
import io.zkpfl.protocol.round.ResultBinding;
import io.zkpfl.protocol.round.RoundTopics;
import io.zkpfl.trainer.data.DatasetFolder;
import io.zkpfl.trainer.data.LabelledImages;
import io.zkpfl.zk.bn254.Fr;
import io.zkpfl.zk.kzg.Kzg;
import io.zkpfl.zk.kzg.Opening;
import io.zkpfl.zk.solidity.KzgSolidityVerifier;
import java.math.BigInteger;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
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
import org.web3j.crypto.Hash;
import org.web3j.utils.Numeric;

/**
 * The reward engine, as a separate process, finalises the rounds of a three-round job that this test plays as trainers
 * and committee on Anvil, with real reveals on IPFS: it opens C_A, computes the same w' as the protocol library does
 * from the test's own reveals, posts the accuracy this test measures independently, and the trainers are paid by the
 * contract's formula. A reveal that does not open its commitment is skipped; an engine killed between the reveals and
 * the result resumes; the audit API's figures equal what the chain holds.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EngineRoundIT {

    private static final long PPM = 1_000_000L;
    private static final int[] SAMPLES = {100, 250, 400};

    private EngineStack s;
    private ServiceProcess engine;
    private EngineStack.Job job;
    private LabelledImages validation;
    /** w' of each finalised round, as the test computed it. */
    private final Map<Integer, float[]> models = new HashMap<>();

    @BeforeAll
    void start() throws Exception {
        s = EngineStack.start(3, 3, "rounds");
        engine = s.startEngine(Map.of());
        job = s.createJob(3, 11);
        for (Credentials t : s.trainers) {
            s.client(t).market().join(job.id());
        }
        HttpResponse<String> r = s.post(engine, "/api/v1/jobs/" + job.id() + "/artifacts", """
                {"manifestCid": "%s", "modelCid": "%s", "weightsCid": "%s"}""".formatted(job.manifestCid(), job.modelCid(),
                job.weightsCid()));
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(Numeric.toHexString(Hash.sha3(FlatParameters.encode(job.initialWeights()))),
                EngineStack.JSON.readTree(r.body()).get("weightsHash").asText());
        validation = new DatasetFolder(DatasetFolder.FASHION_MNIST).test();
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

    private RoundPlayer commitAll(long seed) {
        RoundPlayer p = new RoundPlayer(s, job.id(), seed);
        for (int i = 0; i < 3; i++) {
            p.commit(s.trainers.get(i), SAMPLES[i]);
        }
        p.openAll();
        return p;
    }

    private void awaitRound(int round) {
        EngineStack.await("round " + round + " to be paid", Duration.ofMinutes(3), () -> roundPaid(round).isPresent());
    }

    private java.util.Optional<MarketEvents.Mined<MarketEvent.RoundPaid>> minedRoundPaid(int round) {
        return s.admin.events().mined(MarketEvent.RoundPaid.class, job.id(), 0).stream()
                .filter(m -> m.event().round() == round).findFirst();
    }

    private java.util.Optional<MarketEvent.RoundPaid> roundPaid(int round) {
        return minedRoundPaid(round).map(MarketEvents.Mined::event);
    }

    /** Accuracy in ppm of the 4x4-max-pool softmax model, computed here without the trainer's evaluator. */
    private long accuracyPpm(float[] w) {
        int n = validation.count();
        long correct = 0;
        byte[] px = validation.pixels();
        for (int i = 0; i < n; i++) {
            int best = PoolSoftmaxReference.predict(w, px, i);
            if (best == validation.label(i)) {
                correct++;
            }
        }
        return correct * PPM / n;
    }

    private float[] current(int round) {
        return round == 0 ? job.initialWeights() : models.get(round - 1);
    }

    @Test
    @Order(1)
    void theEngineCombinesOpensEvaluatesAndPaysARound() throws Exception {
        Map<String, BigInteger> before = claimables();
        RoundPlayer p = commitAll(1);
        for (int k = 1; k <= 3; k++) {
            p.reveal(k, false);
        }
        NextModel.Result expected = p.expected(current(0));
        s.passTime(s.admin.market().attempt(job.id()).openingDeadline());
        awaitRound(0);

        // C_A was opened (by the engine: its evaluations list the opening transaction)
        JsonNode evals = s.getJson(engine, "/api/v1/jobs/" + job.id() + "/evaluations");
        JsonNode r0 = evals.get(0);
        assertEquals(0, r0.get("round").asInt());
        String openTx = r0.get("openTx").asText();
        var aggregated = s.admin.events().mined(MarketEvent.RoundAggregated.class, null, 0);
        assertEquals(1, aggregated.size());
        assertEquals(openTx, aggregated.getFirst().transactionHash());
        BigInteger[] ca = KzgSolidityVerifier.commitmentWords(List.of(p.sums().aggregate()));
        var agg = aggregated.getFirst().event();
        assertEquals(ca[0], agg.resultX());
        assertEquals(ca[1], agg.resultY());

        // w' is the library's from this test's own reveals; the accuracy is this test's own measurement
        MarketEvent.RoundPaid paid = roundPaid(0).orElseThrow();
        assertEquals(Numeric.toHexString(expected.weightsHash()), Numeric.toHexString(paid.model()));
        long measured = accuracyPpm(expected.weights());
        assertTrue(Math.abs(measured - (long) paid.accuracyPpm()) <= 200,
                "posted " + paid.accuracyPpm() + " ppm, measured here " + measured + " ppm (float summation order may move "
                        + "a sample or two)");
        assertTrue(measured > 0);
        models.put(0, expected.weights());

        // w' is on IPFS at the CID the engine reports, and its bytes hash to the posted keccak
        String cid = r0.get("weightsCid").asText();
        byte[] published = s.ipfs.catVerifiedBytes(Cid.parse(cid), 1 << 20);
        assertEquals(Numeric.toHexString(paid.model()), Numeric.toHexString(Hash.sha3(published)));

        // the trainers were paid the contract's formula with accuracy shares proportional to n_i
        BigInteger pool = paid.pool();
        BigInteger trainerPool = pool.subtract(pool.multiply(BigInteger.valueOf(200_000)).divide(BigInteger.valueOf(PPM)));
        long alpha = 300_000;
        long[] shares = {133_334, 333_333, 533_333}; // 10^6 · n_i / Σn, the one ppm left over to the first committer
        Map<String, BigInteger> after = claimables();
        for (int i = 0; i < 3; i++) {
            BigInteger weight = BigInteger.valueOf(alpha * SAMPLES[i] * PPM / 750)
                    .add(BigInteger.valueOf((PPM - alpha) * shares[i]));
            BigInteger expectedPay = trainerPool.multiply(weight).divide(BigInteger.valueOf(PPM * PPM));
            String a = s.trainers.get(i).getAddress().toLowerCase();
            assertEquals(expectedPay, after.get(a).subtract(before.get(a)), "trainer " + i);
        }

        // Kafka carried the round's notices
        Set<String> types = notices(0);
        assertTrue(types.containsAll(List.of("round.certified", "round.aggregated", "round.evaluated", "payment.made")),
                "notices: " + types);
    }

    @Test
    @Order(2)
    void aRevealThatDoesNotOpenItsCommitmentIsIgnored() {
        assertEquals(1, s.admin.market().job(job.id()).round());
        RoundPlayer p = commitAll(2);
        p.reveal(1, true);
        p.reveal(2, false);
        p.reveal(3, false);
        NextModel.Result expected = p.expected(current(1));
        assertEquals(List.of(2, 3), expected.used(), "the library itself skips node 1's reveal");
        s.passTime(s.admin.market().attempt(job.id()).openingDeadline());
        awaitRound(1);
        assertEquals(Numeric.toHexString(expected.weightsHash()), Numeric.toHexString(roundPaid(1).orElseThrow().model()));
        JsonNode r1 = s.getJson(engine, "/api/v1/jobs/" + job.id() + "/evaluations").get(1);
        assertEquals("[2, 3]", r1.get("usedNodes").asText());
        assertTrue(r1.get("refused").asText().contains("1=S_k ‖ b_k does not open C_1"), r1.toString());
        models.put(1, expected.weights());
    }

    @Test
    @Order(3)
    void anEngineKilledBetweenRevealAndResultResumes() {
        assertEquals(2, s.admin.market().job(job.id()).round());
        RoundPlayer p = commitAll(3);
        p.reveal(1, false);
        p.reveal(2, false);
        EngineStack.kill(engine);
        p.reveal(3, false);
        NextModel.Result expected = p.expected(current(2));
        s.passTime(s.admin.market().attempt(job.id()).openingDeadline());
        // someone else (here the test, as a committee leader would) opens C_A while the engine is down
        byte[] aggregateHash = ResultBinding.aggregateHash(expected.aggregate());
        Opening o = Kzg.open(s.srs, expected.aggregate().values(), expected.aggregate().blinding(),
                Fr.of(s.admin.market().resultPoint(job.id(), aggregateHash).z()));
        s.client(p.node(1)).market().openResult(job.id(), aggregateHash, List.of(KzgSolidityVerifier.openingWords(List.of(o))));
        assertEquals(AttemptState.Phase.AGGREGATED, s.admin.market().attempt(job.id()).phase());

        engine = s.startEngine(Map.of());
        awaitRound(2);
        assertEquals(Numeric.toHexString(expected.weightsHash()), Numeric.toHexString(roundPaid(2).orElseThrow().model()));
        long paidEvents = s.admin.events().events(MarketEvent.RoundPaid.class, null, 0).size();
        assertEquals(3, paidEvents, "one result per round, none posted twice");
        models.put(2, expected.weights());

        // the job is complete: the final model is w' of round 2, by hash and CID
        JobState state = s.admin.market().job(job.id());
        assertEquals(JobState.Status.COMPLETED, state.status(), "completed after its last round");
        EngineStack.await("the engine to see the job end", Duration.ofSeconds(30),
                () -> s.getJson(engine, "/api/v1/jobs/" + job.id() + "/model").get("finished").asBoolean());
        JsonNode model = s.getJson(engine, "/api/v1/jobs/" + job.id() + "/model");
        assertEquals(2, model.get("round").asInt());
        assertEquals(Numeric.toHexString(expected.weightsHash()), model.get("weightsHash").asText());
        HttpResponse<String> weights = s.get(engine, "/api/v1/jobs/" + job.id() + "/model/weights");
        assertEquals(200, weights.statusCode());
    }

    @Test
    @Order(4)
    void everyAuditFigureEqualsTheChain() {
        s.mine();
        s.mine();
        long head = s.blockNumber();
        EngineStack.await("the index to reach block " + (head - 1), Duration.ofSeconds(60),
                () -> s.getJson(engine, "/api/v1/audit/index").get("nextBlock").asLong() >= head);
        // payments per account, summed from the audit API, equal what the chain says each can claim
        Map<String, BigInteger> audited = new HashMap<>();
        String after = "";
        do {
            JsonNode page = s.getJson(engine, "/api/v1/audit/jobs/" + job.id() + "/payments?limit=4&after=" + after);
            for (JsonNode p : page.get("items")) {
                assertFalse(p.get("tx").asText().isEmpty());
                assertTrue(p.get("block").asLong() > 0);
                audited.merge(p.get("account").asText(), new BigInteger(p.get("amount").asText()), BigInteger::add);
            }
            after = page.get("next").isNull() ? null : page.get("next").asText();
        } while (after != null);
        Map<String, BigInteger> chain = claimables();
        chain.values().removeIf(v -> v.signum() == 0);
        assertEquals(chain, audited);
        JobState state = s.admin.market().job(job.id());
        JsonNode j = s.getJson(engine, "/api/v1/audit/jobs/" + job.id());
        assertEquals(state.escrowed().toString(), j.get("escrowed").asText());
        assertEquals(state.paid().toString(), j.get("credited").asText());
        assertEquals(state.refunded().toString(), j.get("refunded").asText());

        // each round's result and reveals equal the chain's events
        JsonNode rounds = s.getJson(engine, "/api/v1/audit/jobs/" + job.id() + "/rounds?limit=2");
        assertEquals(2, rounds.get("items").size());
        JsonNode rest = s.getJson(engine, "/api/v1/audit/jobs/" + job.id() + "/rounds?after=" + rounds.get("next").asText());
        List<JsonNode> all = new ArrayList<>();
        rounds.get("items").forEach(all::add);
        rest.get("items").forEach(all::add);
        assertEquals(3, all.size());
        for (JsonNode r : all) {
            int round = r.get("round").asInt();
            var mined = minedRoundPaid(round).orElseThrow();
            var paid = mined.event();
            JsonNode result = r.get("result");
            assertEquals(Numeric.toHexString(paid.model()), result.get("weightsHash").asText());
            assertEquals((long) paid.accuracyPpm(), result.get("accuracyPpm").asLong());
            assertEquals(mined.transactionHash(), result.get("tx").asText());
            assertEquals(paid.block(), result.get("block").asLong());
            assertEquals(paid.paid().toString(), r.get("payments").findValuesAsText("amount").stream()
                    .map(BigInteger::new).reduce(BigInteger.ZERO, BigInteger::add)
                    .subtract(nodePay(r)).toString());
            JsonNode attempt = r.get("attempts").get(0);
            assertEquals(3, attempt.get("commits").size());
            assertEquals(3, attempt.get("reveals").size());
            assertEquals(Numeric.toHexString(Hash.sha3(FlatParameters.encode(models.get(round)))),
                    result.get("weightsHash").asText(), "the posted hash is the test's own w' of round " + round);
            assertNotNull(attempt.get("aggregate").get("tx").asText());
        }
    }

    /** What the round credited the committee (in the openResult transaction). */
    private static BigInteger nodePay(JsonNode round) {
        BigInteger sum = BigInteger.ZERO;
        for (JsonNode p : round.get("payments")) {
            if (p.get("role").asText().equals("node")) {
                sum = sum.add(new BigInteger(p.get("amount").asText()));
            }
        }
        return sum;
    }

    @Test
    @Order(5)
    void badInputIsAProblemThatSaysWhatIsWrong() throws Exception {
        HttpResponse<String> r = s.post(engine, "/api/v1/jobs/" + job.id() + "/artifacts",
                "{\"manifestCid\": \"not-a-cid\", \"modelCid\": \"x\", \"weightsCid\": \"y\"}");
        assertEquals(400, r.statusCode());
        assertTrue(r.headers().firstValue("content-type").orElse("").startsWith("application/problem+json"));
        assertTrue(EngineStack.JSON.readTree(r.body()).get("detail").asText().contains("manifestCid is not a CID"), r.body());
        // the weights' CID in place of the manifest's: its keccak is not the job's modelHash
        r = s.post(engine, "/api/v1/jobs/" + job.id() + "/artifacts", """
                {"manifestCid": "%s", "modelCid": "%s", "weightsCid": "%s"}""".formatted(job.weightsCid(), job.modelCid(),
                job.weightsCid()));
        assertEquals(422, r.statusCode());
        assertTrue(r.body().contains("committed to modelHash"), r.body());
        r = s.get(engine, "/api/v1/audit/events?after=12x");
        assertEquals(400, r.statusCode());
        assertTrue(r.body().contains("after must be a cursor"), r.body());
        r = s.get(engine, "/api/v1/audit/accounts/0x1234/earnings");
        assertEquals(400, r.statusCode());
        r = s.get(engine, "/api/v1/jobs/999/model");
        assertEquals(404, r.statusCode());
    }

    @Test
    @Order(6)
    void reconciliationFromTheChainAloneFindsEveryEscrowAndPaymentInOrder() throws Exception {
        Tool.Result r = Tool.run("reconcile", "--rpc-url", s.anvil.rpcUrl(), "--chain-id", Long.toString(s.anvil.chainId()),
                "--market", s.addresses.market(), "--registry", s.addresses.registry(), "--token", s.addresses.token());
        assertEquals(0, r.exit(), r.output());
        assertTrue(r.output().contains("job " + job.id() + ": escrowed"), r.output());
        assertTrue(r.output().contains("reconciled: every escrow and payment matches"), r.output());
    }

    @Test
    @Order(7)
    void theReplayReproducesEveryPostedModelAndAccuracyAndCatchesADoctoredOne() throws Exception {
        Tool.Result honest = replay(job);
        assertEquals(0, honest.exit(), honest.output());
        assertTrue(honest.output().contains("replayed: every posted model and accuracy is reproduced"), honest.output());

        // a job whose evaluator (played here) posts the right model with an inflated accuracy
        Credentials rogue = s.actor("rogue-evaluator");
        EngineStack.Job doctored = s.createJob(1, 12, rogue.getAddress());
        for (Credentials t : s.trainers) {
            s.client(t).market().join(doctored.id());
        }
        RoundPlayer p = new RoundPlayer(s, doctored.id(), 9);
        for (int i = 0; i < 3; i++) {
            p.commit(s.trainers.get(i), SAMPLES[i]);
        }
        p.openAll();
        for (int k = 1; k <= 3; k++) {
            p.reveal(k, false);
        }
        NextModel.Result w = p.expected(doctored.initialWeights());
        s.passTime(s.admin.market().attempt(doctored.id()).openingDeadline());
        byte[] aggregateHash = ResultBinding.aggregateHash(w.aggregate());
        Opening o = Kzg.open(s.srs, w.aggregate().values(), w.aggregate().blinding(),
                Fr.of(s.admin.market().resultPoint(doctored.id(), aggregateHash).z()));
        s.client(p.node(1)).market().openResult(doctored.id(), aggregateHash, List.of(KzgSolidityVerifier.openingWords(List.of(o))));
        long honestPpm = accuracyPpm(w.weights());
        long inflated = Math.min(1_000_000, honestPpm + 250_000);
        s.client(rogue).market().postRoundResult(doctored.id(), w.weightsHash(), inflated,
                List.of(BigInteger.valueOf(333_334), BigInteger.valueOf(333_333), BigInteger.valueOf(333_333)));
        Tool.Result caught = replay(doctored);
        assertEquals(1, caught.exit(), caught.output());
        assertTrue(caught.output().contains("MISMATCH round 0: the evaluator posted accuracy " + inflated + " ppm"),
                caught.output());
        assertFalse(caught.output().contains("posted w'"), "the model itself was right: " + caught.output());
    }

    private Tool.Result replay(EngineStack.Job j) throws Exception {
        return Tool.run("replay", "--rpc-url", s.anvil.rpcUrl(), "--chain-id", Long.toString(s.anvil.chainId()),
                "--market", s.addresses.market(), "--registry", s.addresses.registry(), "--token", s.addresses.token(),
                "--job", j.id().toString(), "--srs", s.ptau.toString(), "--ipfs-api-url", s.stack.ipfs().apiUrl(),
                "--manifest-cid", j.manifestCid(), "--model-cid", j.modelCid(), "--weights-cid", j.weightsCid());
    }

    private Map<String, BigInteger> claimables() {
        Map<String, BigInteger> out = new HashMap<>();
        List<Credentials> everyone = new ArrayList<>(s.trainers);
        everyone.addAll(s.nodes);
        for (Credentials c : everyone) {
            out.put(c.getAddress().toLowerCase(), s.admin.market().claimable(c.getAddress(), s.addresses.token()));
        }
        return out;
    }

    private Set<String> notices(int round) {
        Properties props = new Properties();
        props.put("bootstrap.servers", s.stack.kafka().bootstrapServers());
        props.put("group.id", "engine-it-" + System.nanoTime());
        props.put("auto.offset.reset", "earliest");
        Set<String> types = new HashSet<>();
        String prefix = RoundTopics.attemptKey(job.id(), round, 0);
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new StringDeserializer())) {
            consumer.subscribe(List.of(RoundTopics.EVENTS));
            long end = System.currentTimeMillis() + 20_000;
            while (System.currentTimeMillis() < end && types.size() < 4) {
                for (ConsumerRecord<String, String> rec : consumer.poll(Duration.ofMillis(500))) {
                    if (rec.key().equals(prefix)) {
                        try {
                            types.add(EngineStack.JSON.readTree(rec.value()).get("type").asText());
                        } catch (java.io.IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    }
                }
            }
        }
        return types;
    }
}
