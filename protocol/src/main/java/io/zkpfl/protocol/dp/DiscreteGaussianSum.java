package io.zkpfl.protocol.dp;

/**
 * The sum of {@code contributors} independent discrete Gaussian shares {@code N_Z(0, σ_i²)} added to
 * an integer vector of dimension {@code dimension} whose L2 sensitivity is {@code l2Sensitivity}
 * (integer units). A sum of discrete Gaussians is not a discrete Gaussian; its RDP is bounded by
 * the smallest of
 * <ul>
 *   <li>Kairouz, Liu and Steinke, "The Distributed Discrete Gaussian Mechanism for Federated
 *       Learning with Secure Aggregation" (ICML 2021), Proposition 14, for {@code σ_i ≥ 1/2}:
 *       {@code α/2 · Δ²/(nσ_i²) + τd} and {@code α/2 · (Δ/(√n σ_i) + τ√d)²} with
 *       {@code τ = 10 Σ_{k=1}^{n−1} exp(−2π²σ_i² · k/(k+1))};</li>
 *   <li>one share alone, {@code α Δ²/(2σ_i²)}: the other shares are independent post-processing.</li>
 * </ul>
 * For the variances of the protocol ({@code σ_i} in the hundreds or more) {@code τ} underflows to 0
 * and the bound is that of one discrete Gaussian of variance {@code nσ_i²}.
 *
 * @param shareVariance  {@code σ_i²} of each share, integer units squared
 * @param contributors   {@code n}, the number of shares the adversary does not know
 * @param l2Sensitivity  {@code Δ}, integer units
 * @param dimension      {@code d}, the number of noised coordinates
 */
public record DiscreteGaussianSum(Rational shareVariance, int contributors, double l2Sensitivity, long dimension)
        implements RdpMechanism {

    public DiscreteGaussianSum {
        if (shareVariance.numerator().signum() == 0) {
            throw new IllegalArgumentException("share variance must be positive");
        }
        if (contributors < 1 || dimension < 1) {
            throw new IllegalArgumentException("need at least one contributor and one coordinate");
        }
        if (!(l2Sensitivity >= 0) || Double.isInfinite(l2Sensitivity)) {
            throw new IllegalArgumentException("sensitivity must be finite and non-negative");
        }
    }

    /** {@code τ} of Kairouz, Liu and Steinke: how far the sum is from one discrete Gaussian. */
    public double tau() {
        double variance = shareVariance.doubleValue();
        double sum = 0;
        for (int k = 1; k < contributors; k++) {
            sum += Math.exp(-2 * Math.PI * Math.PI * variance * k / (k + 1));
        }
        return 10 * sum;
    }

    @Override
    public double rdp(double order) {
        if (!(order > 1)) {
            throw new IllegalArgumentException("order must exceed 1");
        }
        double variance = shareVariance.doubleValue();
        double squared = l2Sensitivity * l2Sensitivity;
        double oneShare = order * squared / (2 * variance);
        if (variance < 0.25) {
            return oneShare;
        }
        double tau = tau();
        double ratio = squared / (contributors * variance);
        double additive = order / 2 * ratio + tau * dimension;
        double root = Math.sqrt(ratio) + tau * Math.sqrt(dimension);
        double shifted = order / 2 * root * root;
        return Math.min(oneShare, Math.min(additive, shifted));
    }
}
