package io.zkpfl.trainer.round;

import io.zkpfl.protocol.fixedpoint.ClipPolicy;
import io.zkpfl.protocol.vss.VssParameters;
import java.math.BigInteger;

/**
 * A job's sharing shape and clipping terms derived from its signed on-chain parameters (docs/adr/0075): share length
 * {@code D} = the job's {@code bucket}, which must hold {@code d + m}; per
 * coordinate clip {@code B = clipQ16 / 2^16}; L2 clip {@code C = B·√d}, so only {@code B} binds (the chain's overflow
 * bound is stated in {@code B}); {@code N_max = maxSamples}.
 */
public final class RoundShape {

    private RoundShape() {
    }

    /**
     * Share length D: the job's bucket, which must hold the {@code d} coordinates and {@code m} masks.
     *
     * @throws TrainerException (refused) when it does not; the nodes and the reward engine use the bucket as D too
     */
    public static int length(long d, int m, long bucket) {
        if (bucket < d + m) {
            throw TrainerException.refused("the job's bucket D = " + bucket + " cannot hold its " + d + " parameters and "
                    + m + " masks; no party can run it");
        }
        return Math.toIntExact(bucket);
    }

    /** The VSS parameters of a job. */
    public static VssParameters params(int threshold, int committee, long d, long bucket) {
        return new VssParameters(threshold, committee, Math.toIntExact(d), length(d, committee, bucket));
    }

    /** The clip policy of a job. */
    public static ClipPolicy clip(BigInteger clipQ16, long maxSamples, long d) {
        double b = clipQ16.doubleValue() / 65536.0;
        return new ClipPolicy(b * Math.sqrt((double) d), b, Math.toIntExact(maxSamples));
    }
}
