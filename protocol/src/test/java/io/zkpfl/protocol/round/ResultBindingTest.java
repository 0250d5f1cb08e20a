package io.zkpfl.protocol.round;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zkpfl.protocol.fixedpoint.ClipPolicy;
import io.zkpfl.protocol.fixedpoint.UpdateEncoder;
import io.zkpfl.protocol.vss.CommitmentSums;
import io.zkpfl.protocol.vss.Dealing;
import io.zkpfl.protocol.vss.Share;
import io.zkpfl.protocol.vss.VssDealer;
import io.zkpfl.protocol.vss.VssParameters;
import io.zkpfl.zk.bn254.Fr;
import io.zkpfl.zk.bn254.G1;
import io.zkpfl.zk.kzg.Kzg;
import io.zkpfl.zk.kzg.Srs;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Hash;

/**
 * The result bound to its opening point (docs/adr/0108): the engine's combine-open-verify step, the trainer's check
 * against ResultOpened with no MSM, and the per-reveal fallback that names a bad reveal. A small round of 4 trainers,
 * m = 5 nodes, t = 3, dealt with the real library.
 */
class ResultBindingTest {

    private static final int D_MODEL = 26;
    private static final VssParameters PARAMS = new VssParameters(3, 5, D_MODEL, 32);
    private static final Srs SRS = Srs.insecureFromSecrets(Fr.of(424_242), Fr.of(90_001), 32, 7);
    private static final BigInteger JOB = BigInteger.valueOf(12);
    private static final long ROUND = 3;
    private static final long ATTEMPT = 1;
    private static final BigInteger SAMPLES = BigInteger.valueOf(40);
    private static final float[] W = new float[D_MODEL];

    private static CommitmentSums sums;
    private static List<Share> partials;

    @BeforeAll
    static void deal() {
        Random rng = new Random(7);
        UpdateEncoder encoder = new UpdateEncoder(new ClipPolicy(1e6, 1.0, 100));
        VssDealer dealer = new VssDealer(SRS, PARAMS);
        List<Dealing> dealings = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            float[] u = new float[D_MODEL];
            for (int j = 0; j < D_MODEL; j++) {
                u[j] = (float) (rng.nextDouble() - 0.5);
            }
            dealings.add(dealer.deal(encoder.encode(u, 10), rng));
        }
        sums = CommitmentSums.of(dealings.stream().map(Dealing::commitments).toList());
        partials = new ArrayList<>();
        for (int k = 1; k <= 5; k++) {
            int node = k;
            partials.add(Share.sum(dealings.stream().map(d -> d.shareFor(node)).toList()));
        }
        for (int j = 0; j < D_MODEL; j++) {
            W[j] = 0.02f * j;
        }
    }

    private static Reveal reveal(int k) {
        return new Reveal(JOB, ROUND, ATTEMPT, partials.get(k - 1));
    }

    private static Reveal forged(int k) {
        Share p = partials.get(k - 1);
        Fr[] v = p.values().clone();
        v[5] = v[5].add(Fr.ONE);
        return new Reveal(JOB, ROUND, ATTEMPT, new Share(k, v, p.blinding()));
    }

    private static NextModel next() {
        return new NextModel(SRS, PARAMS);
    }

    /** What the chain's ResultOpened carries for an opening the engine posted. */
    private static ResultBinding.Claim claimOf(ResultBinding.Posted posted) {
        return new ResultBinding.Claim(posted.aggregateHash(), posted.opening().z(), posted.opening().y());
    }

    @Test
    void theAggregateHashIsKeccakOfEveryCoordinateThenEveryBlindingCoefficient() {
        Share a = new Share(0, new Fr[] {Fr.of(1), Fr.of(-1)}, new Fr[] {Fr.of(258)});
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        byte[] one = new byte[32];
        one[31] = 1;
        expected.writeBytes(one);
        expected.writeBytes(Arrays.copyOf(Fr.MODULUS.subtract(BigInteger.ONE).toByteArray(), 32));
        byte[] b = new byte[32];
        b[30] = 1;
        b[31] = 2;
        expected.writeBytes(b);
        assertArrayEquals(expected.toByteArray(), ResultBinding.canonicalBytes(a));
        assertArrayEquals(Hash.sha3(expected.toByteArray()), ResultBinding.aggregateHash(a));
    }

    @Test
    void thePointIsKeccakOfTheAbiEncodedCommitmentAttemptAndHash() {
        G1 ca = sums.aggregate();
        byte[] hash = Hash.sha3(new byte[] {1, 2, 3});
        byte[] enc = new byte[128];
        System.arraycopy(ca.toEvmBytes(), 0, enc, 0, 64);
        enc[95] = 1; // attempt 1, a uint16 padded to a word
        System.arraycopy(hash, 0, enc, 96, 32);
        assertEquals(Fr.of(new BigInteger(1, Hash.sha3(enc))), ResultBinding.point(ca, 1, hash));
        assertFalse(ResultBinding.point(ca, 1, hash).equals(ResultBinding.point(ca, 2, hash)));
    }

    @Test
    void theEnginesOpeningVerifiesAndTheTrainerAcceptsTheSameResultWithoutAnMsm() {
        List<Reveal> all = List.of(reveal(1), reveal(2), reveal(3), reveal(4));
        NextModel.Aggregated engine = next().aggregate(JOB, ROUND, ATTEMPT, sums, all, W, SAMPLES);
        assertEquals("opening", engine.result().check());
        assertEquals(List.of(1, 2, 3), engine.result().used());
        assertTrue(Kzg.verify(SRS, sums.aggregate(), engine.posted().opening()), "the chain's check passes");
        assertEquals(ResultBinding.point(sums.aggregate(), ATTEMPT, engine.posted().aggregateHash()),
                engine.posted().opening().z());

        NextModel.Result perReveal = next().compute(JOB, ROUND, ATTEMPT, sums, all, W, SAMPLES);
        assertEquals("per-reveal", perReveal.check());
        assertArrayEquals(perReveal.aggregate().values(), engine.result().aggregate().values());

        // a trainer holding other reveals (2, 3, 4) reaches the same A, checked by hash and A(z) = y alone
        NextModel.Result trainer = next().compute(JOB, ROUND, ATTEMPT, sums, List.of(reveal(4), reveal(2), reveal(3)),
                W, SAMPLES, claimOf(engine.posted()));
        assertEquals("result-opened", trainer.check());
        assertEquals(List.of(2, 3, 4), trainer.used());
        assertArrayEquals(engine.result().weights(), trainer.weights());
        assertArrayEquals(perReveal.weightsHash(), trainer.weightsHash());
    }

    @Test
    void aTamperedRevealFailsTheCheapChecksAndTheFallbackNamesItsNode() {
        NextModel.Aggregated honest = next().aggregate(JOB, ROUND, ATTEMPT, sums,
                List.of(reveal(1), reveal(2), reveal(3)), W, SAMPLES);
        ResultBinding.Claim claim = claimOf(honest.posted());

        // the engine: the opening of 1, 2, 3 (2 forged) does not verify; the per-reveal check drops node 2
        List<Reveal> posted = List.of(reveal(1), forged(2), reveal(3), reveal(4));
        NextModel.Aggregated engine = next().aggregate(JOB, ROUND, ATTEMPT, sums, posted, W, SAMPLES);
        assertEquals("per-reveal", engine.result().check());
        assertEquals(List.of(1, 3, 4), engine.result().used());
        assertEquals("S_k ‖ b_k does not open C_2", engine.result().rejected().get(2));
        assertTrue(engine.posted().verifies(SRS, sums.aggregate()));
        assertArrayEquals(honest.result().weightsHash(), engine.result().weightsHash());

        // the combination with the forged reveal is refused by the claim, by hash
        Share bad = io.zkpfl.protocol.vss.Reconstruction.interpolate(
                List.of(partials.get(0), forged(2).partial(), partials.get(2)),
                io.zkpfl.protocol.vss.Lagrange.atZero(new int[] {1, 2, 3}));
        assertEquals("keccak256(A ‖ b_A) differs from the chain's aggregateHash",
                claim.refusal(bad, sums.aggregate(), ATTEMPT));

        // a trainer with t + 1 reveals finds the subset without the forged one, still with no MSM
        NextModel.Result trainer = next().compute(JOB, ROUND, ATTEMPT, sums, posted, W, SAMPLES, claim);
        assertEquals("result-opened", trainer.check());
        assertEquals(List.of(1, 3, 4), trainer.used());
        assertArrayEquals(honest.result().weights(), trainer.weights());

        // with only t reveals, one forged, no subset fits: the fallback names node 2
        var e = assertThrows(IllegalStateException.class, () -> next().compute(JOB, ROUND, ATTEMPT, sums,
                List.of(reveal(1), forged(2), reveal(3)), W, SAMPLES, claim));
        assertTrue(e.getMessage().contains("2=S_k ‖ b_k does not open C_2"), e.getMessage());
    }

    @Test
    void aClaimThatTheAggregateDoesNotMeetIsRefusedAndThePerRevealCheckDecides() {
        NextModel.Aggregated honest = next().aggregate(JOB, ROUND, ATTEMPT, sums,
                List.of(reveal(1), reveal(2), reveal(3)), W, SAMPLES);
        Share a = honest.result().aggregate();
        ResultBinding.Claim right = claimOf(honest.posted());
        assertNull(right.refusal(a, sums.aggregate(), ATTEMPT));

        ResultBinding.Claim wrongY = new ResultBinding.Claim(right.aggregateHash(), right.z(), right.y().add(Fr.ONE));
        assertEquals("A(z) differs from the y the chain verified", wrongY.refusal(a, sums.aggregate(), ATTEMPT));
        ResultBinding.Claim unbound = new ResultBinding.Claim(right.aggregateHash(), right.z().add(Fr.ONE),
                Kzg.evaluate(a.values(), right.z().add(Fr.ONE)));
        assertEquals("the chain's z is not the point bound to C_A, the attempt and aggregateHash",
                unbound.refusal(a, sums.aggregate(), ATTEMPT));
        assertNotNull(right.refusal(a, sums.aggregate(), ATTEMPT + 1), "the point depends on the attempt");

        NextModel.Result r = next().compute(JOB, ROUND, ATTEMPT, sums, List.of(reveal(1), reveal(2), reveal(3)), W,
                SAMPLES, wrongY);
        assertEquals("per-reveal", r.check(), "no subset meets a wrong claim: every reveal is checked instead");
        assertArrayEquals(honest.result().weights(), r.weights());
        NextModel.Result u = next().compute(JOB, ROUND, ATTEMPT, sums, List.of(reveal(1), reveal(2), reveal(3)), W,
                SAMPLES, unbound);
        assertEquals("per-reveal", u.check(), "a claim at a point not bound to its hash is not used");
        assertArrayEquals(honest.result().weights(), u.weights());
    }

    @Test
    void subsetsAreEveryKSubsetInOrder() {
        List<String> seen = new ArrayList<>();
        for (int[] s : NextModel.subsets(4, 2)) {
            seen.add(Arrays.toString(s));
        }
        assertEquals(List.of("[0, 1]", "[0, 2]", "[0, 3]", "[1, 2]", "[1, 3]", "[2, 3]"), seen);
        assertFalse(NextModel.subsets(2, 3).iterator().hasNext());
    }
}
