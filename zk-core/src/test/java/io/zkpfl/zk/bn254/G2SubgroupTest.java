package io.zkpfl.zk.bn254;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The ψ-endomorphism subgroup test of G2 against the definition [r]P = O. */
class G2SubgroupTest {

    private static final SplittableRandom RNG = new SplittableRandom(2026);

    /** A random point of the twist E'(F_p²) without cofactor clearing (almost surely outside G2). */
    static G2 randomTwistPoint(SplittableRandom rng) {
        while (true) {
            Fp2 x = new Fp2(Fp.random(rng), Fp.random(rng));
            Fp2 y = x.square().mul(x).add(G2.B).sqrt();
            if (y != null) {
                return G2.fromAffine(x, y);
            }
        }
    }

    private static boolean slowCheck(G2 p) {
        return p.mul(Fr.MODULUS).isInfinity();
    }

    @Test
    void psiActsOnG2AsMultiplicationByP() {
        G2 q = G2.GENERATOR.mul(Fr.random(RNG));
        assertEquals(q.mul(Fp.MODULUS.mod(Fr.MODULUS)), q.psi());
        assertTrue(G2.isOnCurve(q.psi().affineX(), q.psi().affineY()));
        // ψ satisfies ψ² − t·ψ + p = 0 on the whole twist, with t = 6x² + 1 the trace of Frobenius
        G2 any = randomTwistPoint(RNG);
        BigInteger x = BigInteger.valueOf(G2.SEED);
        BigInteger t = x.multiply(x).multiply(BigInteger.valueOf(6)).add(BigInteger.ONE);
        assertTrue(any.psi().psi().sub(any.psi().mul(t)).add(any.mul(Fp.MODULUS)).isInfinity());
    }

    @Test
    void mulBySeedIsScalarMultiplication() {
        G2 q = randomTwistPoint(RNG);
        assertEquals(q.mul(BigInteger.valueOf(G2.SEED)), q.mulBySeed());
    }

    @Test
    void agreesWithTheSlowCheckOnRandomPoints() {
        int inside = 0;
        int outside = 0;
        for (int i = 0; i < 100; i++) {
            G2 p = (i % 2 == 0) ? G2.GENERATOR.mul(Fr.random(RNG)) : randomTwistPoint(RNG);
            boolean fast = p.isInSubgroup();
            assertEquals(slowCheck(p), fast, "point " + i);
            if (fast) {
                inside++;
            } else {
                outside++;
            }
        }
        assertEquals(50, inside);
        assertEquals(50, outside);
    }

    @Test
    void rejectsSubgroupPointsShiftedByATwistPoint() {
        for (int i = 0; i < 10; i++) {
            G2 g = G2.GENERATOR.mul(Fr.random(RNG));
            G2 off = g.add(randomTwistPoint(RNG));
            assertFalse(off.isInSubgroup());
            assertFalse(slowCheck(off));
            // clearing the cofactor h = 2p − r brings any twist point into G2
            G2 cleared = randomTwistPoint(RNG).mul(Fp.MODULUS.shiftLeft(1).subtract(Fr.MODULUS));
            assertTrue(cleared.isInSubgroup());
            assertTrue(slowCheck(cleared));
        }
        assertTrue(G2.INFINITY.isInSubgroup());
        assertTrue(G2.GENERATOR.isInSubgroup());
    }
}
