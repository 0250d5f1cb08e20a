package io.zkpfl.protocol.round;

import io.zkpfl.protocol.fixedpoint.FixedPoint;
import io.zkpfl.protocol.model.FlatParameters;
import io.zkpfl.zk.bn254.Fr;
import java.math.BigInteger;
import org.web3j.crypto.Hash;

/**
 * The deterministic model update every party computes once it accepts {@code A} (docs/protocol.md,
 * "Finalise"; docs/adr/0062-fixed-point-rounding.md): {@code w'_j = w_j + A_j / (Σ n_i · 2^16)},
 * evaluated exactly as a rational number and rounded once to float32, to nearest with ties to even.
 * A zero result is {@code +0.0}. Integer arithmetic only, so every platform gets the same bits.
 */
public final class ModelStep {

    private static final int MIN_EXPONENT_SHIFT = 149; // every float32 is a multiple of 2^−149

    private ModelStep() {
    }

    /**
     * The next weights from the reconstructed sum {@code aggregate} (its first {@code w.length}
     * coordinates, decoded as signed integers) and the included trainers' total sample count.
     *
     * @throws IllegalArgumentException if {@code aggregate} is shorter than {@code w} or the total is not positive
     * @throws ArithmeticException naming the coordinate whose result overflows float32
     */
    public static float[] apply(float[] weights, Fr[] aggregate, BigInteger totalSamples) {
        if (aggregate.length < weights.length) {
            throw new IllegalArgumentException(
                    "aggregate has " + aggregate.length + " coordinates, the model " + weights.length);
        }
        BigInteger[] sums = new BigInteger[weights.length];
        for (int j = 0; j < weights.length; j++) {
            sums[j] = FixedPoint.decode(aggregate[j]);
        }
        return apply(weights, sums, totalSamples);
    }

    /** {@link #apply(float[], Fr[], BigInteger)} on decoded sums. */
    public static float[] apply(float[] weights, BigInteger[] sums, BigInteger totalSamples) {
        if (sums.length != weights.length) {
            throw new IllegalArgumentException("one sum per weight is needed: " + sums.length + " for " + weights.length);
        }
        if (totalSamples == null || totalSamples.signum() <= 0) {
            throw new IllegalArgumentException("the total sample count Σ n_i must be positive");
        }
        BigInteger den = totalSamples.shiftLeft(FixedPoint.FRACTIONAL_BITS + MIN_EXPONENT_SHIFT);
        BigInteger scaledSamples = totalSamples.shiftLeft(FixedPoint.FRACTIONAL_BITS);
        float[] out = new float[weights.length];
        for (int j = 0; j < weights.length; j++) {
            if (!Float.isFinite(weights[j])) {
                throw new IllegalArgumentException("weight " + j + " is not a finite number");
            }
            // w_j · 2^149 is an integer; the exact sum is num / (Σn · 2^16 · 2^149)
            BigInteger num = scaledMultipleOfMinUnit(weights[j]).multiply(scaledSamples)
                    .add(sums[j].shiftLeft(MIN_EXPONENT_SHIFT));
            float v = roundToFloat(num, den);
            if (Float.isInfinite(v)) {
                throw new ArithmeticException("updated weight " + j + " overflows float32");
            }
            out[j] = v;
        }
        return out;
    }

    /** keccak-256 of the weights' canonical bytes ({@link FlatParameters#encode}), as the job's weights hash. */
    public static byte[] weightsHash(float[] weights) {
        return Hash.sha3(FlatParameters.encode(weights));
    }

    /** {@code w · 2^149} as an exact integer. */
    static BigInteger scaledMultipleOfMinUnit(float w) {
        int bits = Float.floatToRawIntBits(w);
        int exp = (bits >>> 23) & 0xFF;
        long mant = bits & 0x7F_FFFF;
        int shift;
        if (exp == 0) {
            shift = 0;
        } else {
            mant |= 0x80_0000;
            shift = exp - 1;
        }
        BigInteger m = BigInteger.valueOf(mant).shiftLeft(shift);
        return bits < 0 ? m.negate() : m;
    }

    /** {@code p / q} ({@code q > 0}) rounded to float32, to nearest, ties to even; infinity on overflow. */
    static float roundToFloat(BigInteger p, BigInteger q) {
        if (p.signum() == 0) {
            return 0.0f;
        }
        BigInteger a = p.abs();
        int e = a.bitLength() - q.bitLength();
        boolean atLeast = e >= 0 ? a.compareTo(q.shiftLeft(e)) >= 0 : a.shiftLeft(-e).compareTo(q) >= 0;
        int floorLog2 = atLeast ? e : e - 1;
        int k = Math.min(23 - floorLog2, MIN_EXPONENT_SHIFT); // result = M · 2^−k, 2^23 ≤ M < 2^24 unless subnormal
        BigInteger num = k >= 0 ? a.shiftLeft(k) : a;
        BigInteger den = k >= 0 ? q : q.shiftLeft(-k);
        BigInteger[] qr = num.divideAndRemainder(den);
        BigInteger m = qr[0];
        int cmp = qr[1].shiftLeft(1).compareTo(den);
        if (cmp > 0 || (cmp == 0 && m.testBit(0))) {
            m = m.add(BigInteger.ONE);
        }
        if (-k > 200) {
            return p.signum() < 0 ? Float.NEGATIVE_INFINITY : Float.POSITIVE_INFINITY;
        }
        float v = (float) Math.scalb(m.doubleValue(), -k); // M ≤ 2^24 and a power-of-two scale: exact
        return p.signum() < 0 ? -v : v;
    }
}
