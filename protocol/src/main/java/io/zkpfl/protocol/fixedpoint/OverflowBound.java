package io.zkpfl.protocol.fixedpoint;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;

/**
 * The overflow condition job creation enforces (docs/protocol.md, "Parameters"): the largest possible
 * per-coordinate sum of the included trainers' encoded updates, plus the noise tail, must stay below
 * {@code (r − 1)/2} so that it decodes to itself.
 */
public final class OverflowBound {

    private OverflowBound() {
    }

    /**
     * {@code ⌈N_max · B · 2^f⌉}: the largest magnitude of one encoded coordinate (a clipped coordinate
     * times a declared sample count, rounded to an integer; rounding never exceeds the ceiling).
     */
    public static BigInteger largestCoordinate(long maxSamples, double coordinateClip, int fractionalBits) {
        if (maxSamples < 1) {
            throw new IllegalArgumentException("N_max must be positive, got " + maxSamples);
        }
        if (!(coordinateClip > 0) || !Double.isFinite(coordinateClip)) {
            throw new IllegalArgumentException("coordinate clip B must be finite and positive, got " + coordinateClip);
        }
        if (fractionalBits < 0 || fractionalBits > 128) {
            throw new IllegalArgumentException("fractional bits f must be in [0, 128], got " + fractionalBits);
        }
        return new BigDecimal(coordinateClip)
                .multiply(BigDecimal.valueOf(maxSamples))
                .multiply(new BigDecimal(BigInteger.ONE.shiftLeft(fractionalBits)))
                .setScale(0, RoundingMode.CEILING)
                .toBigIntegerExact();
    }

    /**
     * The largest possible magnitude of a coordinate of the sum:
     * {@code maxTrainers · ⌈N_max · B · 2^f⌉ + noiseTail}, with {@code noiseTail} the bound on the
     * summed noise's magnitude per coordinate, in units of {@code 2^−f} (zero without DP).
     */
    public static BigInteger largestSum(long maxSamples, double coordinateClip, int fractionalBits, int maxTrainers,
            BigInteger noiseTail) {
        if (maxTrainers < 1) {
            throw new IllegalArgumentException("the maximum number of trainers must be positive, got " + maxTrainers);
        }
        if (noiseTail == null || noiseTail.signum() < 0) {
            throw new IllegalArgumentException("the noise tail must be a non-negative integer");
        }
        return largestCoordinate(maxSamples, coordinateClip, fractionalBits)
                .multiply(BigInteger.valueOf(maxTrainers))
                .add(noiseTail);
    }

    /** Whether {@link #largestSum} stays strictly below {@code (r − 1)/2}. */
    public static boolean fits(long maxSamples, double coordinateClip, int fractionalBits, int maxTrainers,
            BigInteger noiseTail) {
        return largestSum(maxSamples, coordinateClip, fractionalBits, maxTrainers, noiseTail)
                .compareTo(FixedPoint.HALF_MODULUS) < 0;
    }
}
