package io.zkpfl.zk.bn254;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Fr against BigInteger arithmetic mod r (seeded random samples plus edge values, ADR 0002). */
class FrTest {

    private static final BigInteger R = new BigInteger(
            "21888242871839275222246405745257275088548364400416034343698204186575808495617");
    private static final long SEED = 0x5EEDF00DL;

    /** Edge values followed by uniformly random values below r. */
    static List<BigInteger> samples(BigInteger modulus, long seed, int n) {
        List<BigInteger> out = new ArrayList<>(List.of(BigInteger.ZERO, BigInteger.ONE, BigInteger.TWO,
                modulus.subtract(BigInteger.ONE), modulus.subtract(BigInteger.TWO), modulus.shiftRight(1),
                BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE), BigInteger.ONE.shiftLeft(64),
                BigInteger.ONE.shiftLeft(192), BigInteger.ONE.shiftLeft(253)));
        java.util.Random rng = new java.util.Random(seed);
        while (out.size() < n) {
            BigInteger v = new BigInteger(modulus.bitLength(), rng);
            if (v.compareTo(modulus) < 0) {
                out.add(v);
            }
        }
        return out;
    }

    @Test
    void addSubMulMatchBigInteger() {
        List<BigInteger> xs = samples(R, SEED, 60);
        for (BigInteger a : xs) {
            for (BigInteger b : xs) {
                Fr x = Fr.fromCanonical(a);
                Fr y = Fr.fromCanonical(b);
                String ctx = "seed " + SEED + " a=" + a + " b=" + b;
                assertEquals(a.add(b).mod(R), x.add(y).toBigInteger(), ctx);
                assertEquals(a.subtract(b).mod(R), x.sub(y).toBigInteger(), ctx);
                assertEquals(a.multiply(b).mod(R), x.mul(y).toBigInteger(), ctx);
            }
            Fr x = Fr.fromCanonical(a);
            assertEquals(a.multiply(a).mod(R), x.square().toBigInteger());
            assertEquals(a.negate().mod(R), x.neg().toBigInteger());
        }
    }

    @Test
    void inverseAndPowMatchBigInteger() {
        SplittableRandom rng = new SplittableRandom(SEED);
        for (BigInteger a : samples(R, SEED + 1, 60)) {
            Fr x = Fr.fromCanonical(a);
            if (a.signum() == 0) {
                assertThrows(ArithmeticException.class, x::inverse);
                continue;
            }
            long e = rng.nextLong();
            assertEquals(a.modInverse(R), x.inverse().toBigInteger(), "a=" + a);
            assertEquals(a.modPow(BigInteger.valueOf(e), R), x.pow(e).toBigInteger(), "a=" + a + " e=" + e);
        }
    }

    @Test
    void encodingsRoundTrip() {
        for (BigInteger a : samples(R, SEED + 2, 100)) {
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
    }

    @Test
    void ofLongMapsNegativesToModulusMinus() {
        SplittableRandom rng = new SplittableRandom(SEED);
        List<Long> vs = new ArrayList<>(List.of(0L, 1L, -1L, Long.MAX_VALUE, Long.MIN_VALUE, -2L));
        for (int i = 0; i < 100; i++) {
            vs.add(rng.nextLong());
        }
        for (long v : vs) {
            assertEquals(BigInteger.valueOf(v).mod(R), Fr.of(v).toBigInteger(), "v=" + v);
        }
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
        assertTrue(Fr.of(7).pow(R.subtract(BigInteger.ONE)).isOne(), "Fermat");
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
