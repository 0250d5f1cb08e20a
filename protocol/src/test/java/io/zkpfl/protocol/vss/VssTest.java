package io.zkpfl.protocol.vss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zkpfl.zk.bn254.Fr;
import io.zkpfl.zk.bn254.G1;
import io.zkpfl.zk.kzg.Srs;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class VssTest {

    private static final BigInteger R = Fr.MODULUS;
    private static final BigInteger TAU = BigInteger.valueOf(987_654_321_123L);
    private static final BigInteger ALPHA = BigInteger.valueOf(55_555_777L);
    private static final Srs SRS = Srs.insecureFromSecrets(Fr.of(TAU), Fr.of(ALPHA), 24, 8);

    /** {@code [v(τ) + α·b(τ)]_1} computed with BigInteger from the known secrets. */
    private static G1 commitmentBySecrets(BigInteger[] v, BigInteger[] b) {
        return G1.GENERATOR.mul(poly(v, TAU).add(ALPHA.multiply(poly(b, TAU))).mod(R));
    }

    private static BigInteger poly(BigInteger[] c, BigInteger x) {
        BigInteger acc = BigInteger.ZERO;
        BigInteger p = BigInteger.ONE;
        for (BigInteger ci : c) {
            acc = acc.add(ci.multiply(p)).mod(R);
            p = p.multiply(x).mod(R);
        }
        return acc;
    }

    private static BigInteger[] big(Fr[] v) {
        BigInteger[] out = new BigInteger[v.length];
        for (int j = 0; j < v.length; j++) {
            out[j] = v[j].toBigInteger();
        }
        return out;
    }

    /** Interpolation at 0 over the integers mod r, coordinate by coordinate. */
    private static BigInteger[] interpolateAtZero(List<Share> shares, boolean blinding) {
        int len = blinding ? shares.get(0).blinding().length : shares.get(0).values().length;
        BigInteger[] out = new BigInteger[len];
        Arrays.fill(out, BigInteger.ZERO);
        for (Share s : shares) {
            BigInteger num = BigInteger.ONE;
            BigInteger den = BigInteger.ONE;
            for (Share o : shares) {
                if (o != s) {
                    num = num.multiply(BigInteger.valueOf(o.node()));
                    den = den.multiply(BigInteger.valueOf(o.node() - s.node()));
                }
            }
            BigInteger lambda = num.multiply(den.mod(R).modInverse(R)).mod(R);
            Fr[] v = blinding ? s.blinding() : s.values();
            for (int j = 0; j < len; j++) {
                out[j] = out[j].add(lambda.multiply(v[j].toBigInteger())).mod(R);
            }
        }
        return out;
    }

    private static Fr[] randomUpdate(int d, SplittableRandom rnd) {
        Fr[] u = new Fr[d];
        for (int j = 0; j < d; j++) {
            u[j] = Fr.of(rnd.nextLong(-1_000_000, 1_000_000));
        }
        return u;
    }

    @Test
    void parametersAreChecked() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new VssParameters(1, 3, 4, 16)).getMessage()
                .contains("threshold t"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new VssParameters(2, 2, 4, 16)).getMessage()
                .contains("2t − 1 = 3"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new VssParameters(2, 3, 14, 16)).getMessage()
                .contains("d + m = 17"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new VssDealer(SRS, new VssParameters(2, 3, 30, 33)))
                .getMessage().contains("needs 33"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new VssDealer(SRS, new VssParameters(3, 7, 4, 16)))
                .getMessage().contains("need 9"));
        assertEquals(5, new VssParameters(2, 3, 4, 7).blindingLength());
    }

    @Test
    void anyThresholdOfSharesRecoversTheMaskedPaddedUpdateAndItsCommitment() {
        VssParameters p = new VssParameters(3, 5, 10, 20);
        SplittableRandom rnd = new SplittableRandom(11);
        Fr[] update = randomUpdate(10, rnd);
        Dealing dealing = new VssDealer(SRS, p).deal(update, rnd);
        assertEquals(3, dealing.commitments().size());
        assertEquals(5, dealing.shares().size());
        BigInteger[] first = null;
        for (int[] set : new int[][] {{1, 2, 3}, {1, 4, 5}, {2, 3, 5}, {3, 4, 5}}) {
            List<Share> chosen = new ArrayList<>();
            for (int k : set) {
                chosen.add(dealing.shareFor(k));
            }
            BigInteger[] u = interpolateAtZero(chosen, false);
            BigInteger[] b0 = interpolateAtZero(chosen, true);
            for (int j = 0; j < 10; j++) {
                assertEquals(update[j].toBigInteger(), u[j]);
            }
            for (int j = 15; j < 20; j++) {
                assertEquals(BigInteger.ZERO, u[j], "padding coordinate " + j);
            }
            assertEquals(7, b0.length);
            assertEquals(commitmentBySecrets(u, b0), dealing.commitments().get(0));
            if (first == null) {
                first = u;
            } else {
                assertArrayEquals(first, u, "masks must be the same whichever shares recover them");
            }
        }
        for (int j = 10; j < 15; j++) {
            assertNotEquals(BigInteger.ZERO, first[j], "mask " + j);
        }
    }

    @Test
    void eachShareMatchesItsCommitmentEvaluatedAtTheNode() {
        VssParameters p = new VssParameters(2, 3, 6, 12);
        SplittableRandom rnd = new SplittableRandom(5);
        Dealing dealing = new VssDealer(SRS, p).deal(randomUpdate(6, rnd), rnd);
        for (int k = 1; k <= 3; k++) {
            Share s = dealing.shareFor(k);
            G1 expected = commitmentBySecrets(big(s.values()), big(s.blinding()));
            G1 fromCommitments = dealing.commitments().get(0).add(dealing.commitments().get(1).mul(Fr.of(k)));
            assertEquals(expected, fromCommitments, "node " + k);
        }
    }

    @Test
    void batchCheckAcceptsHonestSharesAndNamesTamperedOnes() {
        VssParameters p = new VssParameters(2, 3, 6, 12);
        SplittableRandom rnd = new SplittableRandom(9);
        VssDealer dealer = new VssDealer(SRS, p);
        ShareCheck check = new ShareCheck(SRS, p);
        List<Dealing> dealings = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            dealings.add(dealer.deal(randomUpdate(6, rnd), rnd));
        }
        int node = 2;
        List<ReceivedShare> honest = new ArrayList<>();
        for (int i = 0; i < dealings.size(); i++) {
            honest.add(new ReceivedShare(i + 10, dealings.get(i).commitments(), dealings.get(i).shareFor(node)));
        }
        assertEquals(List.of(), check.faultyTrainers(node, honest, rnd));
        assertEquals(List.of(10, 11, 12, 13, 14, 15), check.faultyTrainers(3, honest, rnd), "shares of another node");

        List<ReceivedShare> tampered = new ArrayList<>(honest);
        Share s12 = honest.get(2).share();
        Fr[] v = s12.values().clone();
        v[7] = v[7].add(Fr.ONE);
        tampered.set(2, new ReceivedShare(12, honest.get(2).commitments(), new Share(node, v, s12.blinding())));
        Share s15 = honest.get(5).share();
        Fr[] b = s15.blinding().clone();
        b[4] = b[4].sub(Fr.ONE);
        tampered.set(5, new ReceivedShare(15, honest.get(5).commitments(), new Share(node, s15.values(), b)));
        assertEquals(List.of(12, 15), check.faultyTrainers(node, tampered, rnd));
        assertFalse(check.holds(node, tampered.get(2)));
        assertTrue(check.holds(node, tampered.get(3)));

        List<ReceivedShare> shortShare = new ArrayList<>(honest);
        shortShare.set(0, new ReceivedShare(10, honest.get(0).commitments(),
                new Share(node, Arrays.copyOf(honest.get(0).share().values(), 11), honest.get(0).share().blinding())));
        assertEquals(List.of(10), check.faultyTrainers(node, shortShare, rnd));
        assertThrows(IllegalArgumentException.class, () -> check.faultyTrainers(4, honest, rnd));
    }

    @Test
    void tamperingThatCancelsInAPlainSumIsStillCaught() {
        VssParameters p = new VssParameters(2, 3, 6, 12);
        SplittableRandom rnd = new SplittableRandom(21);
        VssDealer dealer = new VssDealer(SRS, p);
        List<ReceivedShare> got = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Dealing d = dealer.deal(randomUpdate(6, rnd), rnd);
            got.add(new ReceivedShare(i, d.commitments(), d.shareFor(1)));
        }
        Fr delta = Fr.of(1_000_003);
        for (int i : new int[] {1, 3}) {
            Share s = got.get(i).share();
            Fr[] v = s.values().clone();
            v[2] = i == 1 ? v[2].add(delta) : v[2].sub(delta);
            got.set(i, new ReceivedShare(i, got.get(i).commitments(), new Share(1, v, s.blinding())));
        }
        // Σ_i x_i and Σ_i Σ_l C_il still agree: only random weights γ_i expose the pair
        Fr[] plain = VectorOps.zeros(12);
        Fr[] plainB = VectorOps.zeros(5);
        G1 plainC = G1.INFINITY;
        for (ReceivedShare r : got) {
            VectorOps.addInto(plain, r.share().values());
            VectorOps.addInto(plainB, r.share().blinding());
            plainC = plainC.add(r.commitments().get(0)).add(r.commitments().get(1));
        }
        assertEquals(commitmentBySecrets(big(plain), big(plainB)), plainC);
        assertEquals(List.of(1, 3), new ShareCheck(SRS, p).faultyTrainers(1, got, rnd));
    }

    @Test
    void lagrangeCoefficientsMatchTheClosedForm() {
        Fr[] l13 = Lagrange.atZero(new int[] {1, 3});
        BigInteger two = BigInteger.TWO.modInverse(R);
        assertEquals(BigInteger.valueOf(3).multiply(two).mod(R), l13[0].toBigInteger()); // 3/(3 − 1)
        assertEquals(R.subtract(two), l13[1].toBigInteger()); // 1/(1 − 3)
        Fr[] l = Lagrange.atZero(new int[] {2, 5, 7, 1});
        for (int e = 0; e < 4; e++) {
            BigInteger sum = BigInteger.ZERO;
            int[] pts = {2, 5, 7, 1};
            for (int a = 0; a < 4; a++) {
                sum = sum.add(l[a].toBigInteger().multiply(BigInteger.valueOf(pts[a]).pow(e)));
            }
            assertEquals(e == 0 ? BigInteger.ONE : BigInteger.ZERO, sum.mod(R), "Σ λ_k k^" + e);
        }
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Lagrange.atZero(new int[] {1, 1})).getMessage()
                .contains("twice"));
        assertThrows(IllegalArgumentException.class, () -> Lagrange.atZero(new int[] {0, 1}));
    }

    @Test
    void shareToStringShowsNoValues() {
        Share s = new Share(1, new Fr[] {Fr.of(123456789)}, new Fr[] {Fr.of(987654321)});
        assertFalse(s.toString().contains("123456789"));
        assertFalse(s.toString().contains("987654321"));
    }
}
