package io.zkpfl.zk.bn254;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The fixed-base tables against plain double-and-add, in both groups, including edge scalars. */
class FixedBaseTest {

    private static final SplittableRandom RNG = new SplittableRandom(99);

    private static Fr[] scalars() {
        Fr[] k = new Fr[12];
        k[0] = Fr.ZERO;
        k[1] = Fr.ONE;
        k[2] = Fr.of(Fr.MODULUS.subtract(BigInteger.ONE));
        k[3] = Fr.of(255);
        k[4] = Fr.of(256);
        for (int i = 5; i < k.length; i++) {
            k[i] = Fr.random(RNG);
        }
        return k;
    }

    @Test
    void g1TableAgreesWithDoubleAndAdd() {
        G1 base = G1.GENERATOR.mul(BigInteger.valueOf(7919));
        FixedBase<G1> table = FixedBase.ofG1(base);
        Fr[] k = scalars();
        G1[] all = table.mulAll(k);
        for (int i = 0; i < k.length; i++) {
            G1 expected = base.mul(k[i].toBigInteger()).normalize();
            assertEquals(expected, table.mul(k[i]).normalize(), "scalar " + i);
            assertEquals(expected, all[i], "scalar " + i + " in mulAll");
        }
        assertTrue(table.mul(Fr.ZERO).isInfinity());
    }

    @Test
    void g2TableAgreesWithDoubleAndAdd() {
        G2 base = G2.GENERATOR.mul(BigInteger.valueOf(104729));
        FixedBase<G2> table = FixedBase.ofG2(base);
        Fr[] k = scalars();
        G2[] all = table.mulAll(k);
        for (int i = 0; i < k.length; i++) {
            G2 expected = base.mul(k[i].toBigInteger()).normalize();
            assertEquals(expected, table.mul(k[i]).normalize(), "scalar " + i);
            assertEquals(expected, all[i], "scalar " + i + " in mulAll");
        }
    }
}
