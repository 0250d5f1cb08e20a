package io.zkpfl.protocol.fixedpoint;

/**
 * A job's clipping terms: the L2 clip {@code C}, the per-coordinate clip {@code B} (both in model
 * units) and the largest sample count {@code N_max} a trainer may declare.
 *
 * <p>Encoded coordinates are {@code |q| ≤ ⌈N_max·B·2^16⌉}, which must fit a signed 63-bit integer;
 * {@code N_max ≤ 2^29} keeps the product of a float32 coordinate and a sample count exact in a double.
 */
public record ClipPolicy(double l2Clip, double coordinateClip, int maxSamples) {

    /** The largest {@code N_max}: float32's 24-bit significand times it stays within a double's 53. */
    public static final int MAX_SAMPLES_LIMIT = 1 << 29;

    public ClipPolicy {
        if (!(l2Clip > 0) || !Double.isFinite(l2Clip)) {
            throw new IllegalArgumentException("L2 clip C must be finite and positive, got " + l2Clip);
        }
        if (!(coordinateClip > 0) || !Double.isFinite(coordinateClip)) {
            throw new IllegalArgumentException("coordinate clip B must be finite and positive, got " + coordinateClip);
        }
        if (maxSamples < 1 || maxSamples > MAX_SAMPLES_LIMIT) {
            throw new IllegalArgumentException(
                    "N_max must be in [1, 2^29], got " + maxSamples);
        }
        if (OverflowBound.largestCoordinate(maxSamples, coordinateClip, FixedPoint.FRACTIONAL_BITS).bitLength() > 62) {
            throw new IllegalArgumentException("N_max·B·2^16 must stay below 2^62, got N_max = " + maxSamples + ", B = "
                    + coordinateClip);
        }
    }
}
