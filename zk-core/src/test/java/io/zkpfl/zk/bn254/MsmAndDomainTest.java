package io.zkpfl.zk.bn254;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** MSM against the naive sum of scalar multiplications; NTT against direct polynomial evaluation. */
class MsmAndDomainTest {

    @ParameterizedTest
    @ValueSource(ints = {1, 5, 17, 100, 300})
    void msmG1MatchesNaiveSum(int n) {
        SplittableRandom rng = new SplittableRandom(n);
        G1[] bases = new G1[n];
        Fr[] scalars = new Fr[n];
        G1 expected = G1.INFINITY;
        for (int i = 0; i < n; i++) {
            bases[i] = G1.GENERATOR.mul(Fr.random(rng));
            scalars[i] = switch (i % 7) {
                case 0 -> Fr.ZERO;
                case 1 -> Fr.of(-1);
                case 2 -> Fr.ONE;
                default -> Fr.random(rng);
            };
            if (i % 11 == 3) {
                bases[i] = G1.INFINITY;
            }
            if (i % 13 == 5) {
                // same point and scalar as the previous entry: lands in the same bucket (doubling path)
                bases[i] = bases[i - 1];
                scalars[i] = scalars[i - 1];
            }
            expected = expected.add(bases[i].mul(scalars[i]));
        }
        assertEquals(expected, MsmG1.msm(bases, scalars));
    }

    @ParameterizedTest
    @ValueSource(ints = {3, 40})
    void msmG2MatchesNaiveSum(int n) {
        SplittableRandom rng = new SplittableRandom(n);
        G2[] bases = new G2[n];
        Fr[] scalars = new Fr[n];
        G2 expected = G2.INFINITY;
        for (int i = 0; i < n; i++) {
            bases[i] = G2.GENERATOR.mul(Fr.random(rng));
            scalars[i] = Fr.random(rng);
            if (i % 13 == 5) {
                bases[i] = bases[i - 1];
                scalars[i] = scalars[i - 1];
            } else if (i % 17 == 9) {
                bases[i] = bases[i - 1].neg();
                scalars[i] = scalars[i - 1];
            }
            expected = expected.add(bases[i].mul(scalars[i]));
        }
        assertEquals(expected, MsmG2.msm(bases, scalars));
    }

    /**
     * Terms with a zero scalar or an infinite base are dropped before the bucket method runs: a
     * mostly-dead input (as a proving key's B query is for many wires) keeps the caller's arrays
     * intact and gives the sum of the live terms; an all-dead one gives infinity.
     */
    @Test
    void deadTermsAreDroppedWithoutTouchingTheInputs() {
        SplittableRandom rng = new SplittableRandom(99);
        int n = 200;
        G1[] b1 = new G1[n];
        G2[] b2 = new G2[n];
        Fr[] scalars = new Fr[n];
        G1 e1 = G1.INFINITY;
        G2 e2 = G2.INFINITY;
        for (int i = 0; i < n; i++) {
            Fr k = Fr.random(rng);
            b1[i] = i % 3 == 0 ? G1.GENERATOR.mul(k) : G1.INFINITY;
            b2[i] = i % 3 == 0 ? G2.GENERATOR.mul(k) : G2.INFINITY;
            scalars[i] = i % 9 == 0 ? Fr.ZERO : Fr.random(rng);
            e1 = e1.add(b1[i].mul(scalars[i]));
            e2 = e2.add(b2[i].mul(scalars[i]));
        }
        G1[] b1Copy = b1.clone();
        Fr[] scalarsCopy = scalars.clone();
        assertEquals(e1, MsmG1.msm(b1, scalars));
        assertEquals(e2, MsmG2.msm(b2, scalars));
        assertArrayEquals(b1Copy, b1);
        assertArrayEquals(scalarsCopy, scalars);
        Fr[] zeros = new Fr[n];
        java.util.Arrays.fill(zeros, Fr.ZERO);
        assertTrue(MsmG1.msm(b1, zeros).isInfinity());
        assertTrue(MsmG2.msm(b2, zeros).isInfinity());
    }

    /**
     * Few distinct bases (so batched affine additions keep hitting busy buckets and get deferred),
     * their negations (P + (−P) empties a bucket), repeats (P + P doubles), zero scalars and
     * infinity, against the naive sum of scalar multiplications.
     */
    @ParameterizedTest
    @ValueSource(ints = {700, 2500})
    void msmG1WithCollidingBucketsMatchesNaiveSum(int n) {
        SplittableRandom rng = new SplittableRandom(7 * n);
        G1[] distinct = {G1.GENERATOR.mul(Fr.random(rng)), G1.GENERATOR.mul(Fr.random(rng)), G1.GENERATOR};
        G1[] bases = new G1[n];
        Fr[] scalars = new Fr[n];
        G1 expected = G1.INFINITY;
        for (int i = 0; i < n; i++) {
            G1 p = distinct[rng.nextInt(distinct.length)];
            bases[i] = switch (i % 9) {
                case 0 -> p.neg();
                case 1 -> G1.INFINITY;
                case 2 -> G1.GENERATOR.mul(Fr.random(rng));
                default -> p;
            };
            scalars[i] = switch (i % 5) {
                case 0 -> Fr.ZERO;
                case 1 -> Fr.of(rng.nextInt(1, 40));
                case 2 -> Fr.of(-rng.nextInt(1, 40));
                default -> Fr.random(rng);
            };
            expected = expected.add(bases[i].mul(scalars[i]));
        }
        assertEquals(expected, MsmG1.msm(bases, scalars));
    }

    @Test
    void msmG2WithCollidingBucketsMatchesNaiveSum() {
        int n = 400;
        SplittableRandom rng = new SplittableRandom(99);
        G2[] distinct = {G2.GENERATOR.mul(Fr.random(rng)), G2.GENERATOR};
        G2[] bases = new G2[n];
        Fr[] scalars = new Fr[n];
        G2 expected = G2.INFINITY;
        for (int i = 0; i < n; i++) {
            G2 q = distinct[rng.nextInt(distinct.length)];
            bases[i] = switch (i % 7) {
                case 0 -> q.neg();
                case 1 -> G2.INFINITY;
                case 2 -> G2.GENERATOR.mul(Fr.random(rng));
                default -> q;
            };
            scalars[i] = switch (i % 4) {
                case 0 -> Fr.ZERO;
                case 1 -> Fr.of(rng.nextInt(-30, 30));
                default -> Fr.random(rng);
            };
            expected = expected.add(bases[i].mul(scalars[i]));
        }
        assertEquals(expected, MsmG2.msm(bases, scalars));
    }

    @Test
    void repeatedPointsHitTheDoublingAndCancellingBranches() {
        SplittableRandom rng = new SplittableRandom(21);
        Fr k = Fr.random(rng);
        G1 p = G1.GENERATOR.mul(Fr.random(rng));
        G2 q = G2.GENERATOR.mul(Fr.random(rng));
        G1[] ps = new G1[20];
        G2[] qs = new G2[20];
        Fr[] ks = new Fr[20];
        for (int i = 0; i < 20; i++) {
            ps[i] = i == 1 ? p.neg() : p;
            qs[i] = i == 1 ? q.neg() : q;
            ks[i] = k;
        }
        assertEquals(p.mul(k.mul(Fr.of(18))), MsmG1.msm(ps, ks));
        assertEquals(q.mul(k.mul(Fr.of(18))), MsmG2.msm(qs, ks));
    }

    @Test
    void signedDigitsRecompose() {
        SplittableRandom rng = new SplittableRandom(3);
        Fr[] s = {Fr.of(-1), Fr.ZERO, Fr.ONE, Fr.random(rng), Fr.random(rng)};
        for (int c = 2; c <= 15; c++) {
            short[][] d = SignedDigits.recode(s, c);
            for (int i = 0; i < s.length; i++) {
                BigInteger acc = BigInteger.ZERO;
                for (int w = d.length - 1; w >= 0; w--) {
                    assertTrue(Math.abs(d[w][i]) <= 1 << (c - 1));
                    acc = acc.shiftLeft(c).add(BigInteger.valueOf(d[w][i]));
                }
                assertEquals(s[i].toBigInteger(), acc, "c=" + c);
            }
        }
    }

    /**
     * (A·B − C)/Z on the coset, checked at a random point τ: h(τ)·Z(τ) = A(τ)·B(τ) − C(τ) with A, B, C
     * evaluated from their domain values by the Lagrange basis; a C that is off at one point leaves
     * a non-zero top coefficient. 8192 and 16384 points take the parallel path.
     */
    @ParameterizedTest
    @ValueSource(ints = {2, 4, 64, 8192, 16384})
    void quotientByVanishingDividesOnTheCoset(int n) {
        Domain d = Domain.atLeast(n);
        SplittableRandom rng = new SplittableRandom(n + 5);
        Fr[] a = new Fr[n];
        Fr[] b = new Fr[n];
        Fr[] c = new Fr[n];
        for (int i = 0; i < n; i++) {
            a[i] = Fr.random(rng);
            b[i] = Fr.random(rng);
            c[i] = a[i].mul(b[i]);
        }
        Fr[] h = d.quotientByVanishing(a.clone(), b.clone(), c.clone());
        assertTrue(h[n - 1].isZero());
        Fr tau = Fr.random(rng);
        Fr[] lag = d.lagrangeAt(tau);
        Fr at = Fr.ZERO;
        Fr bt = Fr.ZERO;
        Fr ct = Fr.ZERO;
        for (int i = 0; i < n; i++) {
            at = at.add(a[i].mul(lag[i]));
            bt = bt.add(b[i].mul(lag[i]));
            ct = ct.add(c[i].mul(lag[i]));
        }
        Fr ht = Fr.ZERO;
        for (int j = n - 1; j >= 0; j--) {
            ht = ht.mul(tau).add(h[j]);
        }
        assertEquals(at.mul(bt).sub(ct), ht.mul(d.vanishing(tau)));
        c[n / 2] = c[n / 2].add(Fr.ONE);
        assertFalse(d.quotientByVanishing(a, b, c)[n - 1].isZero());
        assertThrows(IllegalArgumentException.class, () -> d.quotientByVanishing(new Fr[n + 1], b, c));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 8, 64})
    void fftEvaluatesOnTheDomainAndInverts(int n) {
        Domain d = Domain.atLeast(n);
        assertEquals(n, d.size());
        if (n > 1) {
            assertEquals(Fr.of(-1), d.omega().pow(n / 2));
        }
        assertTrue(d.omega().pow(n).isOne());
        SplittableRandom rng = new SplittableRandom(n);
        Fr[] coeffs = new Fr[n];
        for (int i = 0; i < n; i++) {
            coeffs[i] = Fr.random(rng);
        }
        Fr[] evals = coeffs.clone();
        d.fft(evals);
        Fr[] cos = coeffs.clone();
        d.cosetFft(cos);
        for (int j = 0; j < n; j++) {
            assertEquals(horner(coeffs, d.omega().pow(j)), evals[j]);
            assertEquals(horner(coeffs, Domain.GENERATOR.mul(d.omega().pow(j))), cos[j]);
        }
        d.ifft(evals);
        assertArrayEquals(coeffs, evals);
        d.cosetIfft(cos);
        assertArrayEquals(coeffs, cos);
    }

    @Test
    void largeParallelFftRoundTrips() {
        Domain d = Domain.atLeast(1 << 13);
        SplittableRandom rng = new SplittableRandom(13);
        Fr[] coeffs = new Fr[d.size()];
        for (int i = 0; i < coeffs.length; i++) {
            coeffs[i] = Fr.random(rng);
        }
        Fr[] evals = coeffs.clone();
        d.fft(evals);
        assertEquals(horner(coeffs, d.omega().pow(12345)), evals[12345 % d.size()]);
        d.ifft(evals);
        assertArrayEquals(coeffs, evals);
    }

    @Test
    void lagrangeBasisInterpolates() {
        Domain d = Domain.atLeast(8);
        Fr tau = Fr.of(123456789);
        Fr[] l = d.lagrangeAt(tau);
        SplittableRandom rng = new SplittableRandom(8);
        Fr[] coeffs = new Fr[8];
        for (int i = 0; i < 8; i++) {
            coeffs[i] = Fr.random(rng);
        }
        Fr[] evals = coeffs.clone();
        d.fft(evals);
        Fr acc = Fr.ZERO;
        for (int j = 0; j < 8; j++) {
            acc = acc.add(l[j].mul(evals[j]));
        }
        assertEquals(horner(coeffs, tau), acc);
        assertThrows(IllegalArgumentException.class, () -> d.lagrangeAt(d.omega()));
        assertFalse(d.vanishingOnCoset().isZero());
    }

    static Fr horner(Fr[] c, Fr x) {
        Fr acc = Fr.ZERO;
        for (int i = c.length - 1; i >= 0; i--) {
            acc = acc.mul(x).add(c[i]);
        }
        return acc;
    }
}
