package io.zkpfl.protocol.round;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zkpfl.protocol.fixedpoint.FixedPoint;
import io.zkpfl.zk.bn254.Fr;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.util.SplittableRandom;
import org.bouncycastle.crypto.digests.KeccakDigest;
import org.junit.jupiter.api.Test;

class ModelStepTest {

    private static final MathContext MC = new MathContext(400);

    /** w + s/(n·2^16) to 400 digits (exact when it is dyadic, as every tie is). */
    private static BigDecimal exact(float w, BigInteger s, BigInteger n) {
        return new BigDecimal(w).add(new BigDecimal(s).divide(new BigDecimal(n.shiftLeft(16)), MC));
    }

    /** The float32 nearest to x, ties to the even significand, found among a candidate's neighbours. */
    private static float nearestFloat(BigDecimal x) {
        float c = x.floatValue();
        float best = c;
        BigDecimal bestErr = null;
        for (float cand : new float[] {Math.nextDown(c), c, Math.nextUp(c)}) {
            BigDecimal err = x.subtract(new BigDecimal(cand)).abs();
            int cmp = bestErr == null ? -1 : err.compareTo(bestErr);
            if (cmp < 0 || (cmp == 0 && (Float.floatToIntBits(cand) & 1) == 0)) {
                best = cand;
                bestErr = err;
            }
        }
        return best == 0.0f ? 0.0f : best;
    }

    @Test
    void randomStepsMatchAnIndependentDecimalRounding() {
        SplittableRandom rnd = new SplittableRandom(8);
        int d = 2000;
        float[] w = new float[d];
        BigInteger[] s = new BigInteger[d];
        for (int j = 0; j < d; j++) {
            w[j] = (float) ((rnd.nextDouble() - 0.5) * Math.pow(2, rnd.nextInt(-30, 10)));
            s[j] = BigInteger.valueOf(rnd.nextLong(-(1L << 40), 1L << 40));
        }
        w[0] = 0f;
        s[0] = BigInteger.ZERO;
        w[1] = -0f;
        w[2] = Float.MIN_VALUE;
        s[2] = BigInteger.ONE.negate();
        for (long total : new long[] {1, 3, 7919, 123_456_789}) {
            BigInteger n = BigInteger.valueOf(total);
            float[] got = ModelStep.apply(w, s, n);
            for (int j = 0; j < d; j++) {
                assertEquals(Float.floatToIntBits(nearestFloat(exact(w[j], s[j], n))), Float.floatToIntBits(got[j]),
                        "coordinate " + j + ", Σn = " + total);
            }
        }
    }

    @Test
    void tiesGoToTheEvenSignificand() {
        // at 65536 a float32 ulp is 2^−7; 256/2^16 = 2^−8 is half an ulp
        float[] w = {65536f, 65536f, -65536f, 65536f + 0x1p-7f, 65536f};
        BigInteger[] s = {BigInteger.valueOf(256), BigInteger.valueOf(768), BigInteger.valueOf(-256),
                BigInteger.valueOf(256), BigInteger.valueOf(257)};
        float[] got = ModelStep.apply(w, s, BigInteger.ONE);
        assertEquals(65536f, got[0]); // half an ulp: down to the even 65536
        assertEquals(65536f + 2 * 0x1p-7f, got[1]); // 1.5 ulp: up to the even neighbour
        assertEquals(-65536f, got[2]);
        assertEquals(65536f + 2 * 0x1p-7f, got[3]); // from the odd significand up to the even one
        assertEquals(65536f + 0x1p-7f, got[4]); // just above half an ulp
        float[] viaThree = ModelStep.apply(new float[] {65536f}, new BigInteger[] {BigInteger.valueOf(768)}, BigInteger.valueOf(3));
        assertEquals(65536f, viaThree[0]);
    }

    @Test
    void fieldAggregatesAreDecodedBeforeTheStep() {
        Fr[] a = {FixedPoint.embed(-(3L << 16)), FixedPoint.embed(1L << 15), Fr.of(12345)};
        float[] got = ModelStep.apply(new float[] {1f, 1f}, a, BigInteger.valueOf(3));
        assertEquals(0f, got[0]); // 1 + (−3·2^16)/(3·2^16)
        assertEquals(nearestFloat(BigDecimal.ONE.add(BigDecimal.ONE.divide(BigDecimal.valueOf(6), MC))), got[1]);
    }

    @Test
    void overflowAndBadInputAreRefused() {
        var e = assertThrows(ArithmeticException.class, () -> ModelStep.apply(new float[] {0f, Float.MAX_VALUE},
                new BigInteger[] {BigInteger.ZERO, BigInteger.ONE.shiftLeft(200)}, BigInteger.ONE));
        assertTrue(e.getMessage().contains("weight 1"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> ModelStep.apply(new float[] {0f}, new BigInteger[] {BigInteger.ONE}, BigInteger.ZERO));
        assertThrows(IllegalArgumentException.class,
                () -> ModelStep.apply(new float[] {Float.NaN}, new BigInteger[] {BigInteger.ONE}, BigInteger.ONE));
        assertThrows(IllegalArgumentException.class,
                () -> ModelStep.apply(new float[] {0f, 0f}, new Fr[] {Fr.ONE}, BigInteger.ONE));
    }

    @Test
    void weightsHashIsKeccakOfLittleEndianFloat32() {
        KeccakDigest k = new KeccakDigest(256);
        byte[] le = {0x00, 0x00, (byte) 0x80, 0x3f, 0x00, 0x00, 0x00, (byte) 0xc0}; // 1.0f, −2.0f
        k.update(le, 0, le.length);
        byte[] expected = new byte[32];
        k.doFinal(expected, 0);
        assertArrayEquals(expected, ModelStep.weightsHash(new float[] {1.0f, -2.0f}));
    }
}
