package io.zkpfl.zk.bn254;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/** Group laws of G1 and G2 and their encodings. */
public class CurveTest {

    private static final SplittableRandom RNG = new SplittableRandom(99);

    @RepeatedTest(5)
    void g1GroupLaws() {
        Fr a = Fr.random(RNG), b = Fr.random(RNG);
        G1 g = G1.GENERATOR;
        G1 pa = g.mul(a), pb = g.mul(b);
        assertEquals(g.mul(a.add(b)), pa.add(pb));
        assertEquals(pa.add(pb), pb.add(pa));
        assertEquals(pa.dbl(), pa.add(pa));
        assertEquals(pa.mul(b), pb.mul(a));
        assertTrue(pa.add(pa.neg()).isInfinity());
        assertEquals(pa, pa.add(G1.INFINITY));
        assertEquals(pa.add(pb.normalize()), pa.normalize().add(pb));
        assertTrue(pa.isOnCurve());
        assertTrue(g.mul(Fr.MODULUS).isInfinity());
        assertEquals(pa, G1.fromEvmBytes(pa.toEvmBytes()));
    }

    @RepeatedTest(3)
    void g2GroupLaws() {
        Fr a = Fr.random(RNG), b = Fr.random(RNG);
        G2 g = G2.GENERATOR;
        assertTrue(G2.isOnCurve(g.x, g.y));
        G2 pa = g.mul(a), pb = g.mul(b);
        assertEquals(g.mul(a.add(b)), pa.add(pb));
        assertEquals(pa.dbl(), pa.add(pa));
        assertEquals(pa.mul(b), pb.mul(a));
        assertTrue(pa.sub(pa).isInfinity());
        assertTrue(pa.isInSubgroup());
        assertEquals(pa, G2.fromEvmBytes(pa.toEvmBytes()));
        assertNotEquals(pa, pb);
    }

    @Test
    void encodingsRejectBadInput() {
        assertTrue(G1.fromEvmBytes(new byte[64]).isInfinity());
        assertTrue(G2.fromEvmBytes(new byte[128]).isInfinity());
        assertArrayEquals(new byte[64], G1.INFINITY.toEvmBytes());
        byte[] off = G1.GENERATOR.toEvmBytes();
        off[63] ^= 1; // (1, 3) is not on the curve
        assertThrows(IllegalArgumentException.class, () -> G1.fromEvmBytes(off));
        assertThrows(IllegalArgumentException.class, () -> G1.fromEvmBytes(new byte[63]));
        byte[] big = new byte[64];
        java.util.Arrays.fill(big, 0, 32, (byte) 0xff);
        assertThrows(IllegalArgumentException.class, () -> G1.fromEvmBytes(big));
        assertThrows(IllegalArgumentException.class, () -> G2.fromEvmBytes(new byte[127]));
        byte[] g2 = G2.GENERATOR.toEvmBytes();
        g2[127] ^= 1;
        assertThrows(IllegalArgumentException.class, () -> G2.fromEvmBytes(g2));
    }

    @Test
    void g2SubgroupCheckRejectsTwistPointsOfOtherOrder() {
        G2 q = nonSubgroupPoint();
        assertTrue(G2.isOnCurve(q.x, q.y));
        assertFalse(q.isInSubgroup());
        assertThrows(IllegalArgumentException.class, () -> G2.fromEvmBytes(q.toEvmBytes()));
        assertThrows(IllegalArgumentException.class, () -> G2.fromAffineInSubgroup(q.x, q.y));
    }

    @Test
    void fp2SqrtFindsRootsOfSquares() {
        SplittableRandom rng = new SplittableRandom(5);
        for (int i = 0; i < 20; i++) {
            Fp2 a = new Fp2(Fp.random(rng), Fp.random(rng));
            Fp2 r = a.square().sqrt();
            assertEquals(a.square(), r.square());
        }
    }

    /**
     * A point on the twist outside the order-r subgroup: x = i + u for the first i that gives a
     * curve point (the twist's cofactor is > 1, so such a point is almost never in the subgroup).
     */
    public static G2 nonSubgroupPoint() {
        for (int i = 1; i < 1000; i++) {
            Fp2 x = new Fp2(Fp.of(i), Fp.ONE);
            Fp2 y = x.square().mul(x).add(G2.B).sqrt();
            if (y != null) {
                G2 q = G2.fromAffine(x, y);
                if (!q.isInSubgroup()) {
                    return q;
                }
            }
        }
        throw new AssertionError("no twist point outside the subgroup found");
    }
}
