package io.zkpfl.zk.bn254;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The allocation-free limb kernels used by MSM and NTT ({@link FpLimbs}, {@link FrLimbs},
 * {@link Fp2Limbs}) against BigInteger arithmetic mod p (resp. r): seeded samples plus edge values
 * (0, 1, q − 1, limbs with all bits set), with aliased outputs as the MSM uses them.
 */
class FpLimbsTest {

    private static final BigInteger P = Fp.MODULUS;
    private static final BigInteger R_INV = BigInteger.ONE.shiftLeft(256).mod(P).modInverse(P);

    private static List<BigInteger> values() {
        List<BigInteger> xs = new ArrayList<>(FrTest.samples(P, 4242, 45));
        BigInteger ones192 = BigInteger.ONE.shiftLeft(192).subtract(BigInteger.ONE);
        xs.add(ones192);
        xs.add(BigInteger.valueOf(Fp.Q3 - 1).shiftLeft(192).or(ones192)); // < p, three all-ones limbs
        xs.add(BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE));
        return xs;
    }

    /** The Montgomery limbs of canonical value v, read back through the raw representation. */
    private static long[] limbs(BigInteger v) {
        long[] r = new long[4];
        FpLimbs.put(Fp.fromCanonical(v), r, 0);
        return r;
    }

    private static BigInteger value(long[] a, int ao) {
        BigInteger mont = BigInteger.ZERO;
        for (int i = 3; i >= 0; i--) {
            mont = mont.shiftLeft(64).add(new BigInteger(Long.toUnsignedString(a[ao + i])));
        }
        return mont.multiply(R_INV).mod(P);
    }

    @Test
    void limbKernelsMatchBigInteger() {
        List<BigInteger> xs = values();
        long[] r = new long[4];
        for (BigInteger a : xs) {
            long[] x = limbs(a);
            for (BigInteger b : xs) {
                long[] y = limbs(b);
                String ctx = "a=" + a + " b=" + b;
                FpLimbs.mul(x, 0, y, 0, r, 0);
                assertEquals(a.multiply(b).mod(P), value(r, 0), ctx);
                FpLimbs.add(x, 0, y, 0, r, 0);
                assertEquals(a.add(b).mod(P), value(r, 0), ctx);
                FpLimbs.sub(x, 0, y, 0, r, 0);
                assertEquals(a.subtract(b).mod(P), value(r, 0), ctx);
                long[] alias = x.clone();
                FpLimbs.mul(alias, 0, y, 0, alias, 0);
                assertEquals(a.multiply(b).mod(P), value(alias, 0), ctx);
            }
            FpLimbs.sqr(x, 0, r, 0);
            assertEquals(a.multiply(a).mod(P), value(r, 0));
            FpLimbs.dbl(x, 0, r, 0);
            assertEquals(a.shiftLeft(1).mod(P), value(r, 0));
        }
    }

    @Test
    void frLimbKernelsMatchBigInteger() {
        BigInteger r = Fr.MODULUS;
        BigInteger rInv = BigInteger.ONE.shiftLeft(256).mod(r).modInverse(r);
        List<BigInteger> xs = new ArrayList<>(FrTest.samples(r, 4343, 40));
        xs.add(BigInteger.valueOf(Fr.Q3 - 1).shiftLeft(192).or(BigInteger.ONE.shiftLeft(192).subtract(BigInteger.ONE)));
        long[] out = new long[4];
        for (BigInteger a : xs) {
            long[] x = new long[4];
            FrLimbs.put(Fr.fromCanonical(a), x, 0);
            for (BigInteger b : xs) {
                long[] y = new long[4];
                FrLimbs.put(Fr.fromCanonical(b), y, 0);
                String ctx = "a=" + a + " b=" + b;
                FrLimbs.mul(x, 0, y, 0, out, 0);
                assertEquals(a.multiply(b).mod(r), FrLimbs.get(out, 0).toBigInteger(), ctx);
                FrLimbs.add(x, 0, y, 0, out, 0);
                assertEquals(a.add(b).mod(r), FrLimbs.get(out, 0).toBigInteger(), ctx);
                FrLimbs.sub(x, 0, y, 0, out, 0);
                assertEquals(a.subtract(b).mod(r), FrLimbs.get(out, 0).toBigInteger(), ctx);
            }
            // the raw limbs of the product are the Montgomery form a·b·2^256 mod r
            FrLimbs.mul(x, 0, x, 0, out, 0);
            BigInteger mont = BigInteger.ZERO;
            for (int i = 3; i >= 0; i--) {
                mont = mont.shiftLeft(64).add(new BigInteger(Long.toUnsignedString(out[i])));
            }
            assertEquals(a.multiply(a).mod(r), mont.multiply(rInv).mod(r));
        }
    }

    @Test
    void fp2LimbKernelsMatchTheObjectApi() {
        List<BigInteger> xs = values();
        long[] t = new long[20];
        long[] r = new long[8];
        for (int i = 0; i + 3 < xs.size(); i += 2) {
            Fp2 a = new Fp2(Fp.fromCanonical(xs.get(i)), Fp.fromCanonical(xs.get(i + 1)));
            Fp2 b = new Fp2(Fp.fromCanonical(xs.get(i + 2)), Fp.fromCanonical(xs.get(i + 3)));
            long[] x = new long[8];
            long[] y = new long[8];
            Fp2Limbs.put(a, x, 0);
            Fp2Limbs.put(b, y, 0);
            Fp2Limbs.mul(x, 0, y, 0, r, 0, t);
            assertEquals(a.mul(b), Fp2Limbs.get(r, 0));
            Fp2Limbs.sqr(x, 0, r, 0, t);
            assertEquals(a.square(), Fp2Limbs.get(r, 0));
            Fp2Limbs.sub(x, 0, y, 0, r, 0);
            assertEquals(a.sub(b), Fp2Limbs.get(r, 0));
        }
    }
}
