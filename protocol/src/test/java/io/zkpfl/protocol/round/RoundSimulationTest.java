package io.zkpfl.protocol.round;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zkpfl.protocol.envelope.EnvelopeTag;
import io.zkpfl.protocol.envelope.NodeRoundKey;
import io.zkpfl.protocol.envelope.ShareEnvelope;
import io.zkpfl.protocol.fixedpoint.ClipPolicy;
import io.zkpfl.protocol.ipfs.Cid;
import io.zkpfl.protocol.fixedpoint.FixedPoint;
import io.zkpfl.protocol.fixedpoint.UpdateEncoder;
import io.zkpfl.protocol.vss.CommitmentSums;
import io.zkpfl.protocol.vss.Dealing;
import io.zkpfl.protocol.vss.Lagrange;
import io.zkpfl.protocol.vss.ReceivedShare;
import io.zkpfl.protocol.vss.Reconstruction;
import io.zkpfl.protocol.vss.Share;
import io.zkpfl.protocol.vss.ShareCheck;
import io.zkpfl.protocol.vss.VssDealer;
import io.zkpfl.protocol.vss.VssParameters;
import io.zkpfl.zk.bn254.Fr;
import io.zkpfl.zk.bn254.G1;
import io.zkpfl.zk.kzg.Kzg;
import io.zkpfl.zk.kzg.Opening;
import io.zkpfl.zk.kzg.Srs;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One round in one JVM with the real libraries and no chain: 5 trainers encode and deal, 3 nodes
 * (t = 2) receive their shares in envelopes listed by each trainer's manifest, check them in a batch,
 * sum and open, and every pair of reveals, sent in wire form, reconstructs the sum.
 */
class RoundSimulationTest {

    private static final int TRAINERS = 5;
    private static final int D_MODEL = 40;
    private static final VssParameters PARAMS = new VssParameters(2, 3, D_MODEL, 48);
    private static final ClipPolicy CLIP = new ClipPolicy(1e6, 1.0, 1000);
    private static final Srs SRS = Srs.insecureFromSecrets(Fr.of(777_001), Fr.of(31_337), 48, 5);

    private static float[][] updates;
    private static int[] samples;
    private static List<Dealing> dealings;
    private static CommitmentSums sums;
    private static List<Share> partials;
    /** received.get(k − 1).get(i): node k's share from trainer i, as opened from its envelope. */
    private static List<List<Share>> opened;
    private static List<NodeRoundKey> nodeKeys;
    private static final BigInteger JOB = BigInteger.valueOf(77);

    @BeforeAll
    static void playRound() {
        SplittableRandom rnd = new SplittableRandom(2026);
        Random csprngStandIn = new Random(99);
        UpdateEncoder encoder = new UpdateEncoder(CLIP);
        VssDealer dealer = new VssDealer(SRS, PARAMS);
        updates = new float[TRAINERS][D_MODEL];
        samples = new int[TRAINERS];
        dealings = new ArrayList<>();
        for (int i = 0; i < TRAINERS; i++) {
            for (int j = 0; j < D_MODEL; j++) {
                updates[i][j] = (float) ((rnd.nextDouble() - 0.5) * 2.4); // some beyond B = 1
            }
            samples[i] = 1 + rnd.nextInt(1000);
            dealings.add(dealer.deal(encoder.encode(updates[i], samples[i]), csprngStandIn));
        }
        BigInteger job = JOB;
        nodeKeys = new ArrayList<>();
        opened = new ArrayList<>();
        for (int k = 1; k <= 3; k++) {
            nodeKeys.add(NodeRoundKey.generate(csprngStandIn));
            opened.add(new ArrayList<>());
        }
        for (int i = 0; i < TRAINERS; i++) {
            List<byte[]> wire = new ArrayList<>();
            List<Cid> cids = new ArrayList<>();
            for (int k = 1; k <= 3; k++) {
                byte[] env = ShareEnvelope.seal(nodeKeys.get(k - 1).publicKey(), new EnvelopeTag(job, 4, 0, i, k),
                        dealings.get(i).shareFor(k), csprngStandIn).toBytes();
                wire.add(env);
                cids.add(Cid.ofFile(env));
            }
            byte[] manifest = new EnvelopeManifest(job, 4, 0, i, samples[i], dealings.get(i).commitments(), cids).toBytes();
            EnvelopeManifest received = EnvelopeManifest.fromBytes(manifest);
            assertEquals(dealings.get(i).commitments(), received.commitments());
            for (int k = 1; k <= 3; k++) {
                byte[] env = wire.get(k - 1);
                assertTrue(received.envelopes().get(k - 1).namesFile(env), "envelope matches its CID");
                opened.get(k - 1).add(ShareEnvelope.fromBytes(env).open(nodeKeys.get(k - 1), new EnvelopeTag(job, 4, 0, i, k)));
            }
        }
        List<List<G1>> commitments = new ArrayList<>();
        for (Dealing d : dealings) {
            commitments.add(d.commitments());
        }
        sums = CommitmentSums.of(commitments);
        ShareCheck check = new ShareCheck(SRS, PARAMS);
        partials = new ArrayList<>();
        for (int k = 1; k <= 3; k++) {
            assertEquals(List.of(), check.faultyTrainers(k, received(k), csprngStandIn), "node " + k);
            Share partial = Share.sum(opened.get(k - 1));
            partials.add(Reveal.fromBytes(new Reveal(job, 4, 0, partial).toBytes()).partial());
        }
    }

    private static List<ReceivedShare> received(int k) {
        List<ReceivedShare> out = new ArrayList<>();
        for (int i = 0; i < TRAINERS; i++) {
            out.add(new ReceivedShare(i, dealings.get(i).commitments(), opened.get(k - 1).get(i)));
        }
        return out;
    }

    /** Σ_i round_half_even(clamp(Δ_ij, ±1) · n_i · 2^16), by BigDecimal. */
    private static BigInteger expectedSum(int j) {
        BigInteger sum = BigInteger.ZERO;
        for (int i = 0; i < TRAINERS; i++) {
            BigDecimal v = new BigDecimal(updates[i][j]).max(BigDecimal.ONE.negate()).min(BigDecimal.ONE);
            sum = sum.add(v.multiply(BigDecimal.valueOf((long) samples[i] << 16))
                    .setScale(0, RoundingMode.HALF_EVEN).toBigIntegerExact());
        }
        return sum;
    }

    @Test
    void partialsOpenTheirContractDerivedCommitmentsInOneBatch() {
        List<G1> cks = new ArrayList<>();
        List<Opening> openings = new ArrayList<>();
        for (Share s : partials) {
            G1 ck = sums.forNode(s.node());
            cks.add(ck);
            openings.add(Kzg.open(SRS, s.values(), s.blinding(), Fr.of(1000 + 17L * s.node())));
        }
        assertTrue(Kzg.batchVerify(SRS, cks, openings));
        List<G1> swapped = List.of(cks.get(1), cks.get(0), cks.get(2));
        assertFalse(Kzg.batchVerify(SRS, swapped, openings), "node 1's opening must not open C_2");
    }

    @Test
    void everyPairOfRevealsReconstructsTheExactSum() {
        Reconstruction reconstruction = new Reconstruction(SRS, PARAMS, sums);
        int[][] pairs = {{1, 2}, {1, 3}, {2, 3}, {3, 1}};
        for (int[] pair : pairs) {
            Share a = reconstruction.combine(List.of(partials.get(pair[0] - 1), partials.get(pair[1] - 1)));
            BigInteger[] decoded = FixedPoint.decode(a.values());
            for (int j = 0; j < D_MODEL; j++) {
                assertEquals(expectedSum(j), decoded[j], "coordinate " + j + " from nodes " + pair[0] + "," + pair[1]);
            }
            for (int j = D_MODEL + 3; j < 48; j++) {
                assertEquals(BigInteger.ZERO, decoded[j], "padding " + j);
            }
            assertTrue(reconstruction.opens(sums.aggregate(), a));
        }
        boolean someNegative = false;
        for (int j = 0; j < D_MODEL; j++) {
            someNegative |= expectedSum(j).signum() < 0;
        }
        assertTrue(someNegative, "the round must exercise negative sums");
    }

    @Test
    void aTamperedShareIsPinnedToItsTrainer() {
        ShareCheck check = new ShareCheck(SRS, PARAMS);
        List<ReceivedShare> got = received(3);
        Share s = got.get(4).share();
        Fr[] v = s.values().clone();
        v[0] = v[0].add(Fr.of(65536));
        got.set(4, new ReceivedShare(4, got.get(4).commitments(), new Share(3, v, s.blinding())));
        assertEquals(List.of(4), check.faultyTrainers(3, got, new Random(5)));
    }

    @Test
    void aComplaintsSharedPointLetsAnyoneJudgeTheShare() {
        ShareCheck check = new ShareCheck(SRS, PARAMS);
        Random rng = new Random(6);
        Share honest = dealings.get(1).shareFor(3);
        Fr[] v = honest.values().clone();
        v[5] = v[5].sub(Fr.ONE);
        EnvelopeTag tag = new EnvelopeTag(JOB, 4, 0, 1, 3);
        ShareEnvelope bad = ShareEnvelope.fromBytes(
                ShareEnvelope.seal(nodeKeys.get(2).publicKey(), tag, new Share(3, v, honest.blinding()), rng).toBytes());
        ShareEnvelope good = ShareEnvelope.fromBytes(
                ShareEnvelope.seal(nodeKeys.get(2).publicKey(), tag, honest, rng).toBytes());
        // node 3 publishes K = sk·E; anyone opens that envelope with K alone and checks it
        for (ShareEnvelope env : List.of(bad, good)) {
            G1 k = nodeKeys.get(2).sharedPoint(env.ephemeral());
            Share published = env.openWithSharedPoint(k, tag);
            boolean consistent = check.holds(3, new ReceivedShare(1, dealings.get(1).commitments(), published));
            assertEquals(env == good, consistent, env == good ? "a false complaint is exposed" : "the trainer is at fault");
        }
    }

    @Test
    void aRevealThatDoesNotOpenItsCommitmentIsRefused() {
        Reconstruction reconstruction = new Reconstruction(SRS, PARAMS, sums);
        Share p1 = partials.get(0);
        Fr[] v = p1.values().clone();
        v[3] = v[3].add(Fr.ONE);
        Share forged = new Share(1, v, p1.blinding());
        assertFalse(reconstruction.revealMatches(forged));
        var e = assertThrows(IllegalArgumentException.class, () -> reconstruction.combine(List.of(forged, partials.get(1))));
        assertTrue(e.getMessage().contains("node 1"), e.getMessage());
        Share relabelled = new Share(2, p1.values(), p1.blinding());
        assertFalse(reconstruction.revealMatches(relabelled), "node 1's partial must not pass as node 2's");
        assertThrows(IllegalArgumentException.class, () -> reconstruction.combine(List.of(partials.get(0))));
    }

    @Test
    void theWrongLagrangeSetDoesNotOpenTheResult() {
        Reconstruction reconstruction = new Reconstruction(SRS, PARAMS, sums);
        List<Share> reveals = List.of(partials.get(0), partials.get(1));
        Share wrong = Reconstruction.interpolate(reveals, Lagrange.atZero(new int[] {1, 3}));
        assertFalse(reconstruction.opens(sums.aggregate(), wrong));
        Share right = Reconstruction.interpolate(reveals, Lagrange.atZero(new int[] {1, 2}));
        assertTrue(reconstruction.opens(sums.aggregate(), right));
    }

    @Test
    void nextModelSkipsAForgedRevealAndAgreesWithTheExactSum() {
        float[] w = new float[D_MODEL];
        for (int j = 0; j < D_MODEL; j++) {
            w[j] = 0.01f * j - 0.2f;
        }
        long n = 0;
        for (int s : samples) {
            n += s;
        }
        Share p1 = partials.get(0);
        Fr[] v = p1.values().clone();
        v[0] = v[0].add(Fr.ONE);
        List<Reveal> posted = List.of(new Reveal(JOB, 4, 0, new Share(1, v, p1.blinding())),
                new Reveal(JOB, 4, 0, partials.get(2)), new Reveal(JOB, 5, 0, partials.get(1)),
                new Reveal(JOB, 4, 0, partials.get(1)));
        NextModel.Result r = new NextModel(SRS, PARAMS).compute(JOB, 4, 0, sums, posted, w, BigInteger.valueOf(n));
        assertEquals(List.of(2, 3), r.used());
        assertTrue(r.rejected().get(1).contains("does not open"), r.rejected().toString());
        BigInteger[] exact = new BigInteger[D_MODEL];
        for (int j = 0; j < D_MODEL; j++) {
            exact[j] = expectedSum(j);
        }
        float[] expected = ModelStep.apply(w, exact, BigInteger.valueOf(n));
        assertTrue(java.util.Arrays.equals(expected, r.weights()), "w' from the reveals equals w' from the exact sums");
        assertTrue(java.util.Arrays.equals(ModelStep.weightsHash(expected), r.weightsHash()));
        BigInteger total = BigInteger.valueOf(n);
        var e = assertThrows(IllegalStateException.class, () -> new NextModel(SRS, PARAMS)
                .compute(JOB, 4, 0, sums, posted.subList(0, 3), w, total));
        assertTrue(e.getMessage().contains("only 1 of the t = 2"), e.getMessage());
    }
}
