package io.zkpfl.zk.bn254;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zkpfl.zk.bn254.Fr;
import io.zkpfl.zk.bn254.G1;
import java.math.BigInteger;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** GLV scaling against plain double-and-add. */
class EndomorphismScalingTest {

    private static final SplittableRandom RNG = new SplittableRandom(31337);

    @Test
    void splitIsAShortDecomposition() {
        BigInteger r = Fr.MODULUS;
        for (int i = 0; i < 200; i++) {
            BigInteger k = i < 3 ? BigInteger.valueOf(i) : (i == 3 ? r.subtract(BigInteger.ONE) : Fr.random(RNG).toBigInteger());
            BigInteger[] p = EndomorphismScaling.split(k);
            assertTrue(p[0].abs().bitLength() <= 128 && p[1].abs().bitLength() <= 128, "k = " + k);
            // k1 + k2·λ ≡ k, checked on the curve for a few: the scaling equals k·G
            if (i < 20) {
                assertEquals(G1.GENERATOR.mul(k), EndomorphismScaling.scaleAll(new G1[] {G1.GENERATOR}, Fr.of(k))[0]);
            }
        }
    }

    @Test
    void scaleAllEqualsScalarMultiplication() {
        G1[] pts = new G1[40];
        for (int i = 0; i < pts.length; i++) {
            pts[i] = i == 7 ? G1.INFINITY : G1.GENERATOR.mul(Fr.random(RNG)).normalize();
        }
        for (int round = 0; round < 4; round++) {
            Fr k = round == 0 ? Fr.ONE : Fr.random(RNG);
            G1[] out = EndomorphismScaling.scaleAll(pts, k);
            for (int i = 0; i < pts.length; i++) {
                assertEquals(pts[i].mul(k), out[i], "point " + i);
            }
        }
    }
}
