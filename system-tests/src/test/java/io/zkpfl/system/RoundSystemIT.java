package io.zkpfl.system;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zkpfl.contracts.MarketEvent;
import io.zkpfl.contracts.JobState;
import io.zkpfl.devstack.demo.DemoJob;
import io.zkpfl.devstack.demo.LocalSystem;
import io.zkpfl.protocol.chain.DevChainKeys;
import io.zkpfl.protocol.ipfs.Cid;
import io.zkpfl.protocol.ipfs.KuboClient;
import io.zkpfl.protocol.model.FlatParameters;
import io.zkpfl.protocol.model.ModelSpec;
import io.zkpfl.protocol.round.NextModel;
import io.zkpfl.protocol.round.Reveal;
import io.zkpfl.protocol.vss.CommitmentSums;
import io.zkpfl.protocol.vss.VssParameters;
import io.zkpfl.zk.bn254.Fp;
import io.zkpfl.zk.bn254.G1;
import io.zkpfl.zk.kzg.Srs;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;
import org.web3j.utils.Numeric;

/**
 * The whole protocol with every party a separate process (docs/protocol.md): the marketplace takes a signed job and
 * puts it on chain, three trainers stake, join and train on Fashion-MNIST until the job reaches its target accuracy (two
 * rounds, half its budget), three nodes check, sum, open and
 * reveal, and the reward engine combines, opens C_A, evaluates and pays. Everything checked here is read from the
 * chain and IPFS with the contract wrappers and the protocol library, not from any service's own view. The marketplace's
 * dashboard is open in a browser all along: its plot and tables must follow the rounds live and agree with the chain,
 * and the marketplace must serve the final model that the reveals give anyone.
 */
class RoundSystemIT {

    /** 4×4 max-pooling then softmax regression: 7·7·10 + 10 = 500 parameters, D = 512. */
    static final String MODEL = """
            {"input": {"shape": [1, 28, 28]},
             "layers": [{"type": "maxpool2d", "pool": [4, 4]}, {"type": "flatten"},
                        {"type": "output", "units": 10, "activation": "softmax"}],
             "loss": "cross_entropy"}""";
    static final int TRAINERS = 3;
    /** Rounds to the target: with the fixed nonce and seeds below, round 0 reaches ≈ 29 % and round 1 ≈ 47 %. */
    static final int ROUNDS = 2;
    /** Between the two rounds' accuracies, so that the job ends by reaching it, within a budget of twice the rounds. */
    static final double TARGET = 0.38;

    static SystemStack system;

    @BeforeAll
    static void start() throws Exception {
        system = new SystemStack(9);
    }

    @AfterAll
    static void stop() {
        if (system != null) {
            system.close();
        }
    }

    static ObjectNode job() {
        // a fixed nonce (the chain is fresh) makes the marketplace's initial weights, and with the trainers' seeds the rounds, repeatable
        return DemoJob.of(MODEL, system.addresses.token()).training(1, 32, new BigDecimal("0.1")).target(BigDecimal.valueOf(TARGET))
                .rounds(2 * ROUNDS).fee("100000000000000000000").trainers(TRAINERS, TRAINERS).maxSamples(1000)
                .windows(300, 15, 120).nonce("20261203").json();
    }

    @Test
    void threeTrainersThreeNodesAndTheEngineReachTheTargetInTwoRoundsOfTheWholeProtocol() throws Exception {
        long fromBlock = system.web3j.ethBlockNumber().send().getBlockNumber().longValue();
        long id = system.system.postJob(job());
        JsonNode view = system.system.awaitOnChain(id, Duration.ofMinutes(2));
        BigInteger chainJob = new BigInteger(view.get("submission").get("chainJobId").asText());
        JsonNode artifacts = view.get("artifacts");
        // the dashboard, opened before any round has run and never reloaded
        try (DashboardBrowser browser = new DashboardBrowser(system.dir.resolve("chromium-profile"))) {
            browser.open(system.system.marketplace().baseUrl(), id);
            int pointsBefore = browser.points().size();
            int roundsBefore = browser.rounds().size();
            assertEquals(0, pointsBefore, "no accuracy before the first round");
            for (int i = 0; i < TRAINERS; i++) {
                system.system.enrolTrainer(i, id);
            }
            for (int i = 0; i < TRAINERS; i++) {
                system.system.startTrainer(i, "run", "run", "--job", Long.toString(id), "--rounds", Integer.toString(ROUNDS),
                        "--limit", Integer.toString(400 + 100 * i), "--seed", Integer.toString(i));
            }
            int[] pointsWhileRunning = {0};
            await(Duration.ofMinutes(10), () -> {
                if (system.reader.market().job(chainJob).status() == JobState.Status.COMPLETED) {
                    return Boolean.TRUE;
                }
                try {
                    pointsWhileRunning[0] = Math.max(pointsWhileRunning[0], browser.points().size());
                } catch (RuntimeException e) {
                    // the page was re-rendering: read it on the next pass
                }
                return null;
            });
            assertTrue(pointsWhileRunning[0] >= 1, "the plot gained a point while the job was still running");
            DashboardBrowser.await(Duration.ofSeconds(90), "every round's point and row",
                    () -> browser.points().size() == ROUNDS && browser.rounds().size() == ROUNDS);
            assertTrue(roundsBefore < ROUNDS, "the rounds table gained rows: " + roundsBefore + " before, " + ROUNDS + " after");
            dashboardShowsTheChain(browser, chainJob, fromBlock);
            browser.screenshot(Path.of("target", "dashboard.png"));
        }

        long toBlock = system.web3j.ethBlockNumber().send().getBlockNumber().longValue();
        List<MarketEvent> events = system.reader.events().events(fromBlock, toBlock);
        List<MarketEvent.RoundPaid> paid = of(events, MarketEvent.RoundPaid.class);
        assertEquals(ROUNDS, paid.stream().filter(e -> e.jobId().equals(chainJob)).count(), "every round was paid");

        ModelSpec spec = ModelSpec.parse(MODEL);
        int d = (int) spec.parameterCount();
        Srs srs = Srs.fromPtau(system.ptau, 512, 5);
        VssParameters params = new VssParameters(2, 3, d, 512);
        KuboClient ipfs = KuboClient.create(system.stack.ipfs().apiUrl());
        float[] w = FlatParameters.decode(ipfs.catVerifiedBytes(Cid.parse(artifacts.get("weights.bin").get("cid").asText()), 1 << 24), spec);
        for (int round = 0; round < ROUNDS; round++) {
            int r = round;
            var aggregated = of(events, MarketEvent.RoundAggregated.class).stream()
                    .filter(e -> e.jobId().equals(chainJob) && e.round() == r).findFirst().orElseThrow();
            int attempt = aggregated.attempt();
            var included = of(events, MarketEvent.IncludedSetFixed.class).stream()
                    .filter(e -> e.jobId().equals(chainJob) && e.round() == r && e.attempt() == attempt)
                    .findFirst().orElseThrow();
            assertEquals(TRAINERS, included.included().size(), "round " + r + " included every trainer");
            // P_l from the trainers' own commitments as the chain logged them, independently of the contract's sums
            List<List<G1>> perTrainer = new ArrayList<>();
            for (var c : of(events, MarketEvent.RoundCommitted.class)) {
                if (c.jobId().equals(chainJob) && c.round() == r && c.attempt() == attempt) {
                    List<G1> points = new ArrayList<>();
                    for (int l = 0; l < c.points().size(); l += 2) {
                        points.add(G1.fromAffine(Fp.of(c.points().get(l)), Fp.of(c.points().get(l + 1))));
                    }
                    perTrainer.add(points);
                }
            }
            CommitmentSums sums = CommitmentSums.of(perTrainer);
            assertEquals(List.of(aggregated.resultX(), aggregated.resultY()), words(sums.aggregate()),
                    "round " + r + ": the chain's C_A is the sum of the trainers' C_i0");
            List<Reveal> reveals = new ArrayList<>();
            for (var rv : of(events, MarketEvent.PartialRevealed.class)) {
                if (rv.jobId().equals(chainJob) && rv.round() == r && rv.attempt() == attempt) {
                    reveals.add(Reveal.fromBytes(ipfs.catVerifiedBytes(Cid.fromBytes(rv.cid()), 1 << 26)));
                }
            }
            NextModel.Result next = new NextModel(srs, params).compute(chainJob, r, attempt, sums, reveals, w,
                    java.math.BigInteger.valueOf(aggregated.sampleSum()));
            var roundPaid = paid.stream().filter(e -> e.jobId().equals(chainJob) && e.round() == r).findFirst().orElseThrow();
            assertArrayEquals(next.weightsHash(), roundPaid.model(),
                    "round " + r + ": the evaluator posted the hash of w' that the revealed partials give anyone");
            assertTrue(roundPaid.accuracyPpm() > 100_000, "round " + r + " accuracy " + roundPaid.accuracyPpm() + " ppm");
            w = next.weights();
        }
        theFinalModelIsServedByTheMarketplace(id, paid.stream().filter(e -> e.jobId().equals(chainJob)).toList(), w, spec, ipfs);

        // the job ended by reaching its target, before its budget: the last round's accuracy is the first at or above it
        var ordered = paid.stream().filter(e -> e.jobId().equals(chainJob)).sorted(java.util.Comparator.comparingInt(MarketEvent.RoundPaid::round)).toList();
        assertTrue(ordered.getLast().accuracyPpm() >= Math.round(TARGET * 1e6), "the last round reached the target");
        assertTrue(ordered.getFirst().accuracyPpm() < Math.round(TARGET * 1e6), "the first round had not");
        JobState state = system.reader.market().job(chainJob);
        assertEquals(JobState.Status.COMPLETED, state.status());
        assertTrue(state.refunded().signum() > 0, "the unspent budget went back to the owner");
        assertEquals(state.escrowed(), state.paid().add(state.refunded()).add(state.remaining()), "escrow is conserved");
        for (int k = 0; k < LocalSystem.NODES.size(); k++) {
            String node = Credentials.create(DevChainKeys.privateKey(LocalSystem.NODES.get(k))).getAddress();
            assertTrue(system.reader.market().claimable(node, system.addresses.token()).signum() > 0, "node " + (k + 1) + " was paid");
        }
        for (int i = 0; i < TRAINERS; i++) {
            String trainer = Credentials.create(DevChainKeys.trainerKey(i)).getAddress();
            assertTrue(system.reader.market().claimable(trainer, system.addresses.token()).signum() > 0, "trainer " + i + " was paid");
        }
    }

    /** Each plotted point is the accuracy the chain paid the round with; committee, trainers and payments are listed. */
    void dashboardShowsTheChain(DashboardBrowser browser, BigInteger chainJob, long fromBlock) throws Exception {
        List<MarketEvent> events = system.reader.events().events(fromBlock, system.web3j.ethBlockNumber().send().getBlockNumber().longValue());
        for (var e : of(events, MarketEvent.RoundPaid.class)) {
            if (e.jobId().equals(chainJob)) {
                String title = browser.pointTitle(e.round());
                double shown = Double.parseDouble(title.replaceAll("^round \\d+: ([0-9.]+) %$", "$1"));
                assertEquals(e.accuracyPpm() / 10_000.0, shown, 0.0051, "round " + e.round() + "'s point: " + title);
            }
        }
        assertEquals(LocalSystem.NODES.size(), browser.rows("committee").size(), "the committee");
        assertEquals(TRAINERS, browser.rows("trainers").size(), "the trainers");
        List<MarketEvent.RewardCredited> credited = of(events, MarketEvent.RewardCredited.class).stream().filter(e -> e.jobId().equals(chainJob)).toList();
        DashboardBrowser.await(Duration.ofSeconds(30), "every payment",
                () -> browser.rows("payments").size() == credited.size());
    }

    /**
     * {@code GET /api/v1/jobs/{id}/model} names the last round's w' as the chain logged it, its CID holds exactly the
     * weights that the reveals give anyone, and {@code /model/weights} streams those bytes.
     */
    void theFinalModelIsServedByTheMarketplace(long id, List<MarketEvent.RoundPaid> paid, float[] w, ModelSpec spec,
            KuboClient ipfs) throws Exception {
        URI base = system.system.marketplace().baseUrl();
        JsonNode model = system.system.get(base.resolve("/api/v1/jobs/" + id + "/model"));
        var last = paid.getLast();
        assertEquals(ROUNDS - 1, model.get("round").asInt(), model.toString());
        assertEquals(Numeric.toHexString(last.model()), model.get("weightsHash").asText(), "the hash the chain logged");
        assertTrue(model.get("verifiedOnChain").asBoolean());
        byte[] atCid = ipfs.catVerifiedBytes(Cid.parse(model.get("weightsCid").asText()), 1 << 24);
        assertArrayEquals(last.model(), Hash.sha3(atCid), "keccak of the bytes at the CID");
        assertArrayEquals(w, FlatParameters.decode(atCid, spec), "the CID holds the w' recomputed from the reveals");
        HttpResponse<byte[]> download = HttpClient.newHttpClient().send(HttpRequest.newBuilder(base.resolve(
                model.get("href").asText())).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, download.statusCode());
        assertArrayEquals(atCid, download.body(), "the marketplace streams the final weights");
        JsonNode rounds = system.system.get(base.resolve("/api/v1/jobs/" + id + "/rounds")).get("rounds");
        assertEquals(ROUNDS, rounds.size());
        for (int r = 0; r < ROUNDS; r++) {
            int round = r;
            var p = paid.stream().filter(e -> e.round() == round).findFirst().orElseThrow();
            assertEquals(p.accuracyPpm(), rounds.get(r).path("result").path("accuracyPpm").asLong(), "round " + r);
        }
    }

    static List<BigInteger> words(G1 p) {
        return List.of(io.zkpfl.zk.solidity.KzgSolidityVerifier.commitmentWords(List.of(p)));
    }

    /** The {@code type} events among {@code events}, in chain order. */
    static <E extends MarketEvent> List<E> of(List<MarketEvent> events, Class<E> type) {
        return events.stream().filter(type::isInstance).map(type::cast).toList();
    }

    interface Probe<T> {
        T get() throws Exception;
    }

    static <T> T await(Duration timeout, Probe<T> probe) throws Exception {
        long until = System.nanoTime() + timeout.toNanos();
        while (true) {
            T v = probe.get();
            if (v != null) {
                return v;
            }
            if (System.nanoTime() > until) {
                throw new AssertionError("not reached within " + timeout + "; logs in " + system.dir);
            }
            Thread.sleep(1_000);
        }
    }
}
