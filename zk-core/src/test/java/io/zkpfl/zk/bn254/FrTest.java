package io.zkpfl.zk.bn254;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.SplittableRandom;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** Fr against BigInteger arithmetic mod r. */
class FrTest {

    private static final BigInteger R = new BigInteger(
            "21888242871839275222246405745257275088548364400416034343698204186575808495617");

    @Provide
    Arbitrary<BigInteger> elems() {
        return Arbitraries.oneOf(
                Arbitraries.bigIntegers().between(BigInteger.ZERO, R.subtract(BigInteger.ONE)),
                Arbitraries.of(BigInteger.ZERO, BigInteger.ONE, BigInteger.TWO, R.subtract(BigInteger.ONE),
                        R.subtract(BigInteger.TWO), BigInteger.ONE.shiftLeft(253), BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE)));
    }

    @Property(tries = 300)
    void addSubMulMatchBigInteger(@ForAll("elems") BigInteger a, @ForAll("elems") BigInteger b) {
        Fr x = Fr.fromCanonical(a);
        Fr y = Fr.fromCanonical(b);
        assertEquals(a.add(b).mod(R), x.add(y).toBigInteger());
        assertEquals(a.subtract(b).mod(R), x.sub(y).toBigInteger());
        assertEquals(a.multiply(b).mod(R), x.mul(y).toBigInteger());
        assertEquals(a.multiply(a).mod(R), x.square().toBigInteger());
        assertEquals(a.negate().mod(R), x.neg().toBigInteger());
    }

    @Property(tries = 100)
    void inverseAndPowMatchBigInteger(@ForAll("elems") BigInteger a, @ForAll long e) {
        Fr x = Fr.fromCanonical(a);
        if (a.signum() == 0) {
            assertThrows(ArithmeticException.class, x::inverse);
            return;
        }
        assertEquals(a.modInverse(R), x.inverse().toBigInteger());
        assertEquals(a.modPow(BigInteger.valueOf(e), R), x.pow(e).toBigInteger());
    }

    @Property(tries = 200)
    void encodingsRoundTrip(@ForAll("elems") BigInteger a) {
        Fr x = Fr.fromCanonical(a);
        byte[] be = x.toBytesBE();
        assertEquals(32, be.length);
        assertEquals(a, new BigInteger(1, be));
        assertEquals(x, Fr.fromBytesBE(be));
        assertEquals(x.hashCode(), Fr.fromBytesBE(be).hashCode());
        assertEquals(a.toString(), x.toString());
        long[] l = x.canonicalLimbs();
        assertEquals(x, Fr.fromCanonicalLimbs(l[0], l[1], l[2], l[3]));
    }

    @Property(tries = 200)
    void ofLongMapsNegativesToModulusMinus(@ForAll long v) {
        assertEquals(BigInteger.valueOf(v).mod(R), Fr.of(v).toBigInteger());
    }

    @Test
    void constantsAndEdges() {
        assertEquals(R, Fr.MODULUS);
        assertTrue(Fr.ZERO.isZero());
        assertTrue(Fr.ONE.isOne());
        assertFalse(Fr.ONE.isZero());
        assertEquals(BigInteger.ONE, Fr.ONE.toBigInteger());
        assertEquals(Fr.ZERO, Fr.of(R));
        assertEquals(Fr.ONE, Fr.of(R.add(BigInteger.ONE)));
        assertEquals(Fr.of(-1), Fr.fromCanonical(R.subtract(BigInteger.ONE)));
        assertThrows(IllegalArgumentException.class, () -> Fr.fromCanonical(R));
        assertThrows(IllegalArgumentException.class, () -> Fr.fromCanonical(BigInteger.ONE.negate()));
        byte[] rBytes = new byte[32];
        byte[] raw = R.toByteArray();
        System.arraycopy(raw, raw.length - 32, rBytes, 0, 32);
        assertThrows(IllegalArgumentException.class, () -> Fr.fromBytesBE(rBytes));
        assertThrows(IllegalArgumentException.class, () -> Fr.fromBytesBE(new byte[31]));
        assertThrows(IllegalArgumentException.class, () -> Fr.fromBytesBE(new byte[33]));
        assertThrows(ArithmeticException.class, () -> Fr.ZERO.inverse());
        assertNotEquals(Fr.ONE, Fr.ZERO);
        // Fermat: a^(r-1) = 1
        assertTrue(Fr.of(7).pow(R.subtract(BigInteger.ONE)).isOne());
        assertArrayEquals(new byte[32], Fr.ZERO.toBytesBE());
    }

    @Test
    void randomIsInRangeAndSpreads() {
        SplittableRandom rng = new SplittableRandom(42);
        BigInteger half = R.shiftRight(1);
        int upper = 0;
        for (int i = 0; i < 2000; i++) {
            BigInteger v = Fr.random(rng).toBigInteger();
            assertTrue(v.signum() >= 0 && v.compareTo(R) < 0);
            if (v.compareTo(half) > 0) {
                upper++;
            }
        }
        assertTrue(upper > 850 && upper < 1150, "upper half count " + upper);
    }

    @Test
    void batchInverseMatchesSingleInverses() {
        SplittableRandom rng = new SplittableRandom(7);
        Fr[] in = new Fr[37];
        for (int i = 0; i < in.length; i++) {
            in[i] = Fr.random(rng);
        }
        Fr[] out = new Fr[in.length];
        Fr.batchInverse(in, out);
        for (int i = 0; i < in.length; i++) {
            assertEquals(in[i].toBigInteger().modInverse(R), out[i].toBigInteger());
        }
        Fr[] withZero = {Fr.ONE, Fr.ZERO};
        assertThrows(ArithmeticException.class, () -> Fr.batchInverse(withZero, new Fr[2]));
        assertThrows(IllegalArgumentException.class, () -> Fr.batchInverse(in, new Fr[1]));
    }
}
