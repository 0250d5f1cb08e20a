package io.zkpfl.protocol.dp;

import java.math.BigDecimal;
import java.security.SecureRandom;

/**
 * How a job's aggregate noise {@code N_Z(0, σ²)} is split among its trainers: each included trainer
 * adds an independent share {@code N_Z(0, σ²/n_min)} to every model coordinate of its encoded update,
 * so any {@code n_min} honest shares sum to variance {@code σ²} (more trainers only add noise).
 *
 * @param variance        {@code σ²} of the aggregate, integer (fixed-point) units squared
 * @param minimumTrainers {@code n_min}, the fewest trainers a round may aggregate
 */
public record DistributedNoise(Rational variance, int minimumTrainers) {

    public DistributedNoise {
        if (variance.numerator().signum() == 0) {
            throw new IllegalArgumentException("variance must be positive");
        }
        if (minimumTrainers < 1) {
            throw new IllegalArgumentException("n_min must be at least 1");
        }
    }

    /**
     * The aggregate noise for a standard deviation {@code sigma} in model units (the same units as
     * the weighted update {@code n_i·Δ_i}), encoded with {@code fractionalBits} fractional bits:
     * {@code σ² = sigma² · 2^{2f}}, exactly.
     */
    public static DistributedNoise ofModelUnits(BigDecimal sigma, int fractionalBits, int minimumTrainers) {
        Rational modelUnits = Rational.of(sigma);
        return new DistributedNoise(modelUnits.multiply(modelUnits).shiftLeft(2 * fractionalBits), minimumTrainers);
    }

    /**
     * The L2 sensitivity, in integer units, of one trainer's encoded update: its update is clipped to
     * L2 norm {@code clipNorm}, multiplied by at most {@code maxSamples}, scaled by {@code 2^f} and
     * rounded coordinate by coordinate, which adds at most {@code √d / 2}.
     */
    public static double encodedL2Sensitivity(double clipNorm, long maxSamples, int fractionalBits, long dimension) {
        return maxSamples * clipNorm * Math.scalb(1.0, fractionalBits) + Math.sqrt(dimension) / 2;
    }

    /** {@code σ_i² = σ² / n_min}, each trainer's share. */
    public Rational shareVariance() {
        return variance.divide(minimumTrainers);
    }

    /** A sampler of one trainer's share, drawing from {@code random}. */
    public DiscreteGaussianSampler shareSampler(SecureRandom random) {
        return new DiscreteGaussianSampler(shareVariance(), random);
    }

    /**
     * The per-round mechanism the accountant charges: the sum of {@code n_min − colluders} shares the
     * adversary does not know, on {@code dimension} coordinates with L2 sensitivity {@code l2Sensitivity}.
     */
    public DiscreteGaussianSum perRound(double l2Sensitivity, long dimension, int colluders) {
        if (colluders < 0 || colluders >= minimumTrainers) {
            throw new IllegalArgumentException("colluding trainers must be fewer than n_min");
        }
        return new DiscreteGaussianSum(shareVariance(), minimumTrainers - colluders, l2Sensitivity, dimension);
    }

    /**
     * A bound {@code k} (integer units) such that, with probability at least {@code 1 − failure},
     * no coordinate of the summed noise of {@code trainers} shares over {@code coordinates}
     * coordinates exceeds {@code k} in absolute value — for the job-creation check that the largest
     * sum stays below {@code (r − 1)/2}. A discrete Gaussian {@code N_Z(0, σ_i²)} is
     * {@code σ_i²}-sub-Gaussian (Canonne, Kamath and Steinke 2020), so the sum of {@code n} shares
     * obeys {@code P[|X| ≥ k] ≤ 2 exp(−k²/(2nσ_i²))}; a union bound covers the coordinates.
     */
    public long noiseBound(int trainers, long coordinates, double failure) {
        if (trainers < 1 || coordinates < 1 || !(failure > 0 && failure < 1)) {
            throw new IllegalArgumentException("need trainers ≥ 1, coordinates ≥ 1 and 0 < failure < 1");
        }
        double proxy = trainers * shareVariance().doubleValue();
        return (long) Math.ceil(Math.sqrt(2 * proxy * Math.log(2 * (double) coordinates / failure)));
    }
}
