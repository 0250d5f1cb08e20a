package io.zkpfl.protocol.fixedpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zkpfl.zk.bn254.Fr;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Arrays;
import java.util.Random;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FixedPointTest {

    private static final BigInteger R = new BigInteger(
            "21888242871839275222246405745257275088548364400416034343698204186575808495617");
    private static final BigDecimal SCALE = BigDecimal.valueOf(65536);

    @Test
    void decodeMapsTheUpperHalfToNegatives() {
        BigInteger half = R.subtract(BigInteger.ONE).divide(BigInteger.TWO);
        assertEquals(BigInteger.ZERO, FixedPoint.decode(Fr.ZERO));
        assertEquals(BigInteger.ONE, FixedPoint.decode(Fr.ONE));
        assertEquals(BigInteger.ONE.negate(), FixedPoint.decode(Fr.fromCanonical(R.subtract(BigInteger.ONE))));
        assertEquals(half, FixedPoint.decode(Fr.fromCanonical(half)));
        assertEquals(half.negate(), FixedPoint.decode(Fr.fromCanonical(half.add(BigInteger.ONE))));
    }

    @Test
    void signedIntegersWithinHalfTheModulusRoundTrip() {
        SplittableRandom rnd = new SplittableRandom(1);
        BigInteger half = R.shiftRight(1);
        for (int n = 0; n < 200; n++) {
            BigInteger v = new BigInteger(253, new Random(rnd.nextLong())).mod(half);
            if (rnd.nextBoolean()) {
                v = v.negate();
            }
            assertEquals(v, FixedPoint.decode(FixedPoint.embed(v)));
        }
        assertEquals(BigInteger.valueOf(-5), FixedPoint.decode(FixedPoint.embed(-5)));
        assertEquals(BigInteger.valueOf(Long.MIN_VALUE), FixedPoint.decode(FixedPoint.embed(Long.MIN_VALUE)));
    }

    @Test
    void unclippedCoordinatesMatchAnExactDecimalRecomputation() {
        UpdateEncoder encoder = new UpdateEncoder(new ClipPolicy(1e9, 4.0, 1 << 20));
        SplittableRandom rnd = new SplittableRandom(7);
        float[] delta = new float[500];
        for (int j = 0; j < delta.length; j++) {
            delta[j] = (float) ((rnd.nextDouble() - 0.5) * 6.0);
        }
        delta[0] = 5.5f;
        delta[1] = -7f;
        for (int samples : new int[] {1, 3, 1000, 1 << 20}) {
            long[] q = encoder.quantise(delta, samples);
            Fr[] x = encoder.encode(delta, samples);
            for (int j = 0; j < delta.length; j++) {
                BigDecimal v = new BigDecimal(delta[j]).max(BigDecimal.valueOf(-4)).min(BigDecimal.valueOf(4));
                BigInteger expected = v.multiply(BigDecimal.valueOf(samples)).multiply(SCALE)
                        .setScale(0, RoundingMode.HALF_EVEN).toBigIntegerExact();
                assertEquals(expected, BigInteger.valueOf(q[j]), "coordinate " + j + ", n = " + samples);
                assertEquals(expected.mod(R), x[j].toBigInteger());
            }
        }
    }

    @Test
    void tiesRoundToEven() {
        UpdateEncoder encoder = new UpdateEncoder(new ClipPolicy(100, 1, 10));
        float unit = 0x1p-17f;
        long[] q = encoder.quantise(new float[] {unit, 3 * unit, 5 * unit, -unit, -3 * unit, -5 * unit, 7 * unit}, 1);
        // 0.5 → 0, 1.5 → 2, 2.5 → 2, −0.5 → 0, −1.5 → −2, −2.5 → −2, 3.5 → 4
        assertEquals("[0, 2, 2, 0, -2, -2, 4]", Arrays.toString(q));
        long[] q3 = encoder.quantise(new float[] {unit}, 3);
        assertEquals(2, q3[0]); // 1.5 → 2
    }

    @Test
    void coordinatesAreClampedToTheLargestFloatNotAboveB() {
        double b = 0.1; // not a float32: (float) 0.1 is above 0.1
        UpdateEncoder encoder = new UpdateEncoder(new ClipPolicy(1e6, b, 1000));
        float[] clipped = encoder.clip(new float[] {3f, -3f, 0.05f});
        assertTrue(new BigDecimal(clipped[0]).compareTo(new BigDecimal(b)) <= 0);
        assertTrue(new BigDecimal(Math.nextUp(clipped[0])).compareTo(new BigDecimal(b)) > 0);
        assertEquals(-clipped[0], clipped[1]);
        assertEquals(0.05f, clipped[2]);
        long top = encoder.quantise(new float[] {3f}, 1000)[0];
        assertTrue(BigInteger.valueOf(top).compareTo(OverflowBound.largestCoordinate(1000, b, 16)) <= 0);
        assertEquals(new BigDecimal(clipped[0]).multiply(BigDecimal.valueOf(1000)).multiply(SCALE)
                .setScale(0, RoundingMode.HALF_EVEN).longValueExact(), top);
    }

    @Test
    void l2ClipScalesTheUpdateOntoTheBall() {
        double c = 2.0;
        UpdateEncoder encoder = new UpdateEncoder(new ClipPolicy(c, 10, 100));
        SplittableRandom rnd = new SplittableRandom(3);
        float[] delta = new float[300];
        for (int j = 0; j < delta.length; j++) {
            delta[j] = (float) (rnd.nextDouble() - 0.5);
        }
        MathContext mc = new MathContext(60);
        BigDecimal sumSquares = BigDecimal.ZERO;
        for (float v : delta) {
            sumSquares = sumSquares.add(new BigDecimal(v).pow(2));
        }
        BigDecimal norm = sumSquares.sqrt(mc);
        assertTrue(norm.doubleValue() > c);
        int samples = 17;
        long[] q = encoder.quantise(delta, samples);
        for (int j = 0; j < delta.length; j++) {
            BigDecimal exact = new BigDecimal(delta[j]).multiply(BigDecimal.valueOf(c)).divide(norm, mc)
                    .multiply(BigDecimal.valueOf(samples)).multiply(SCALE);
            assertTrue(exact.subtract(BigDecimal.valueOf(q[j])).abs().compareTo(BigDecimal.ONE) <= 0,
                    "coordinate " + j + ": " + q[j] + " vs " + exact);
        }
        float[] small = {0.5f, -0.25f};
        assertEquals(0.5f, encoder.clip(small)[0]);
        assertEquals(-0.25f, encoder.clip(small)[1]);
    }

    @Test
    void badInputIsRefusedByName() {
        UpdateEncoder encoder = new UpdateEncoder(new ClipPolicy(1, 1, 10));
        var nan = assertThrows(IllegalArgumentException.class, () -> encoder.quantise(new float[] {0, 1, Float.NaN}, 1));
        assertTrue(nan.getMessage().contains("coordinate 2"), nan.getMessage());
        var inf = assertThrows(IllegalArgumentException.class,
                () -> encoder.quantise(new float[] {Float.NEGATIVE_INFINITY}, 1));
        assertTrue(inf.getMessage().contains("coordinate 0"), inf.getMessage());
        var many = assertThrows(IllegalArgumentException.class, () -> encoder.quantise(new float[] {0}, 11));
        assertTrue(many.getMessage().contains("sample count"), many.getMessage());
        assertThrows(IllegalArgumentException.class, () -> encoder.quantise(new float[] {0}, 0));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new ClipPolicy(0, 1, 1)).getMessage().contains("C"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new ClipPolicy(1, Double.NaN, 1)).getMessage()
                .contains("B"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new ClipPolicy(1, 1, (1 << 29) + 1)).getMessage()
                .contains("N_max"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new ClipPolicy(1, 1e12, 1 << 29)).getMessage()
                .contains("2^62"));
    }

    @Test
    void overflowBoundAgreesWithHandComputedLimits() {
        // ⌈0.1 · 3 · 65536⌉: the double 0.1 is slightly above 0.1, 19660.8… → 19661
        assertEquals(BigInteger.valueOf(19661), OverflowBound.largestCoordinate(3, 0.1, 16));
        assertEquals(BigInteger.valueOf(65_536_000L), OverflowBound.largestCoordinate(1000, 1.0, 16));
        assertEquals(BigInteger.valueOf(7 * 65_536_000L + 12), OverflowBound.largestSum(1000, 1.0, 16, 7, BigInteger.valueOf(12)));

        BigInteger half = R.subtract(BigInteger.ONE).divide(BigInteger.TWO);
        BigInteger perTrainer = BigInteger.valueOf(1000).shiftLeft(16);
        int trainers = 1_000_000;
        BigInteger tailAtLimit = half.subtract(perTrainer.multiply(BigInteger.valueOf(trainers)));
        assertTrue(OverflowBound.fits(1000, 1.0, 16, trainers, tailAtLimit.subtract(BigInteger.ONE)));
        assertFalse(OverflowBound.fits(1000, 1.0, 16, trainers, tailAtLimit));
        assertTrue(OverflowBound.fits(1 << 29, 1 << 16, 16, 1 << 20, BigInteger.ZERO));
        assertFalse(OverflowBound.fits(1L << 62, 0x1p60, 128, 16, BigInteger.ZERO)); // 2^254
        assertThrows(IllegalArgumentException.class, () -> OverflowBound.fits(1, 1, 16, 0, BigInteger.ZERO));
        assertThrows(IllegalArgumentException.class, () -> OverflowBound.fits(1, 1, 16, 1, BigInteger.ONE.negate()));
    }
}
