package io.zkpfl.trainer.round;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zkpfl.protocol.dp.DiscreteGaussianSampler;
import io.zkpfl.protocol.dp.DistributedNoise;
import io.zkpfl.protocol.dp.JobPrivacy;
import io.zkpfl.protocol.fixedpoint.ClipPolicy;
import io.zkpfl.protocol.fixedpoint.FixedPoint;
import io.zkpfl.protocol.fixedpoint.UpdateEncoder;
import io.zkpfl.zk.bn254.Fr;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.security.SecureRandom;
import java.util.Locale;
import java.util.Optional;

/**
 * A trainer's share of a DP job's noise (docs/privacy.md, "How the noise is split"): the update is clipped to the
 * privacy terms' L2 clip {@code C} (or the chain's {@code B·√d}, whichever is smaller), weighted by {@code n_i} and
 * encoded in fixed point, and then every one of its {@code d} model coordinates gets an independent exact sample of
 * {@code N_Z(0, σ²·2^{2f}/n_min)} drawn from a {@link SecureRandom}. The masks and the zero padding the dealer adds
 * afterwards carry no data and get no noise. One instance per trainer process; not thread-safe.
 */
public final class UpdateNoise {

    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * The clip actually applied is {@code C·(1 − 2^-22)}: the encoder scales in double and rounds each coordinate to
     * float32 (relative error at most 2^-24), so the clipped norm stays at or below the {@code C} the accountant's
     * sensitivity assumes.
     */
    static final double CLIP_MARGIN = 1 - Math.scalb(1.0, -22);

    private final JobPrivacy terms;
    private final ClipPolicy clip;
    private final DistributedNoise noise;
    private final DiscreteGaussianSampler sampler;

    private UpdateNoise(JobPrivacy terms, ClipPolicy clip, DistributedNoise noise, DiscreteGaussianSampler sampler) {
        this.terms = terms;
        this.clip = clip;
        this.noise = noise;
        this.sampler = sampler;
    }

    /**
     * The privacy terms of a job's signed manifest, empty for a job without DP.
     *
     * @throws TrainerException (refused) when the manifest's {@code privacy} object is malformed: no trainer can then
     *     know how much noise the owner asked for
     */
    public static Optional<JobPrivacy> terms(byte[] manifest) {
        JsonNode node;
        try {
            node = JSON.readTree(manifest).get("privacy");
        } catch (IOException e) {
            throw TrainerException.refused("the job's manifest is not JSON");
        }
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        try {
            return Optional.of(JobPrivacy.fromJson(node));
        } catch (IllegalArgumentException e) {
            throw TrainerException.refused("the job's privacy terms are malformed: " + e.getMessage());
        }
    }

    /**
     * This trainer's noise for a job.
     *
     * @param chainClip        the clip policy of the job's on-chain terms ({@code B}, {@code N_max})
     * @param chainMinTrainers the chain's {@code n_min}: a round may aggregate this few trainers
     * @param random           the CSPRNG the sampler draws from
     * @throws TrainerException (refused) when the chain lets a round aggregate fewer trainers than the noise is split
     *     among: such a round would carry less noise than the terms promise
     */
    public static UpdateNoise of(JobPrivacy terms, ClipPolicy chainClip, int chainMinTrainers, SecureRandom random) {
        if (chainMinTrainers < terms.minTrainers()) {
            throw TrainerException.refused("the job's privacy terms split the noise among n_min = " + terms.minTrainers()
                    + " trainers but the chain lets a round aggregate " + chainMinTrainers + "; a round could carry less"
                    + " noise than promised, so this trainer does not take part");
        }
        double c = Math.min(terms.l2Clip().doubleValue(), chainClip.l2Clip()) * CLIP_MARGIN;
        ClipPolicy clip = new ClipPolicy(c, chainClip.coordinateClip(), chainClip.maxSamples());
        DistributedNoise noise = terms.noise(chainClip.maxSamples());
        return new UpdateNoise(terms, clip, noise, noise.shareSampler(random));
    }

    /** The clip policy the update is encoded with. */
    public ClipPolicy clip() {
        return clip;
    }

    public JobPrivacy terms() {
        return terms;
    }

    /** {@code σ_i}, the standard deviation of this trainer's share per coordinate, in integer (fixed-point) units. */
    public double shareSigma() {
        return Math.sqrt(noise.shareVariance().doubleValue());
    }

    /** {@code σ = z · N_max · C} of the aggregate, in model units. */
    public BigDecimal sigma() {
        return terms.sigma(clip.maxSamples()).round(MathContext.DECIMAL64);
    }

    /** The encoded, clipped update with this trainer's noise share added to every coordinate. */
    public long[] quantise(float[] delta, int samples) {
        long[] q = new UpdateEncoder(clip).quantise(delta, samples);
        sampler.addTo(q);
        return q;
    }

    /** {@link #quantise} embedded in F_r: what the trainer deals. */
    public Fr[] encode(float[] delta, int samples) {
        long[] q = quantise(delta, samples);
        Fr[] out = new Fr[q.length];
        for (int j = 0; j < q.length; j++) {
            out[j] = FixedPoint.embed(q[j]);
        }
        return out;
    }

    /** One line for the log: the noise's scale, never its values. */
    public String describe() {
        return String.format(Locale.ROOT, "differential privacy: adding this trainer's share of discrete Gaussian noise, "
                        + "σ = %s in model units split among n_min = %d (σ_i = %.1f integer units per coordinate), L2 clip %s;"
                        + " budget ε = %s at δ = %s", sigma().toPlainString(), terms.minTrainers(), shareSigma(),
                BigDecimal.valueOf(clip.l2Clip() / CLIP_MARGIN).round(MathContext.DECIMAL32).toPlainString(),
                terms.epsilon().toPlainString(), terms.delta().toPlainString());
    }
}
