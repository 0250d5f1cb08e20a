package io.zkpfl.protocol.fixedpoint;

import io.zkpfl.zk.bn254.Fr;

/**
 * Turns a trainer's float update {@code Δ} into the integers of its share vector
 * (docs/protocol.md, "Train" and "Encode"; rounding rule in docs/adr/0062-fixed-point-rounding.md):
 * <ol>
 *   <li>L2 clip: if {@code ‖Δ‖₂ > C} (norm computed in double), every coordinate is scaled by
 *       {@code C/‖Δ‖₂} in double;</li>
 *   <li>rounded to float32 (nearest, ties to even) and clamped to {@code [−B', B']}, {@code B'} the
 *       largest float32 not above {@code B};</li>
 *   <li>{@code q = roundHalfEven(v · n · 2^16)}, computed exactly (the product of a float32 and
 *       {@code n ≤ 2^29} is exact in a double, and {@link Math#rint} rounds half to even).</li>
 * </ol>
 */
public final class UpdateEncoder {

    private final ClipPolicy policy;
    private final float clampBound;

    /** An encoder for a job's clipping terms. */
    public UpdateEncoder(ClipPolicy policy) {
        this.policy = policy;
        float b = (float) policy.coordinateClip();
        this.clampBound = b > policy.coordinateClip() ? Math.nextDown(b) : b;
    }

    /**
     * The clipped update: steps 1 and 2 above.
     *
     * @throws IllegalArgumentException if a coordinate is not finite
     */
    public float[] clip(float[] delta) {
        double sumSquares = 0;
        for (int j = 0; j < delta.length; j++) {
            if (!Float.isFinite(delta[j])) {
                throw new IllegalArgumentException("update coordinate " + j + " is not a finite number");
            }
            sumSquares += (double) delta[j] * delta[j];
        }
        double norm = Math.sqrt(sumSquares);
        double scale = norm > policy.l2Clip() ? policy.l2Clip() / norm : 1.0;
        float[] out = new float[delta.length];
        for (int j = 0; j < delta.length; j++) {
            float v = (float) (delta[j] * scale);
            out[j] = Math.max(-clampBound, Math.min(clampBound, v));
        }
        return out;
    }

    /**
     * The encoded integers {@code q_j} of {@code Δ} weighted by the declared sample count.
     *
     * @throws IllegalArgumentException if {@code samples} is not in {@code [1, N_max]} or a
     *     coordinate is not finite
     */
    public long[] quantise(float[] delta, int samples) {
        if (samples < 1 || samples > policy.maxSamples()) {
            throw new IllegalArgumentException(
                    "declared sample count must be in [1, N_max = " + policy.maxSamples() + "], got " + samples);
        }
        float[] clipped = clip(delta);
        double factor = samples * (double) (1 << FixedPoint.FRACTIONAL_BITS);
        long[] q = new long[clipped.length];
        for (int j = 0; j < clipped.length; j++) {
            q[j] = (long) Math.rint(clipped[j] * factor);
        }
        return q;
    }

    /** {@link #quantise} embedded in F_r. */
    public Fr[] encode(float[] delta, int samples) {
        long[] q = quantise(delta, samples);
        Fr[] out = new Fr[q.length];
        for (int j = 0; j < q.length; j++) {
            out[j] = Fr.of(q[j]);
        }
        return out;
    }
}
