package io.zkpfl.protocol.dp;

/**
 * A {@code ρ}-zCDP mechanism: {@code rdp(α) = ρ·α} at every order.
 *
 * @param rho the zCDP parameter, in nats, {@code ≥ 0}
 */
public record ZeroConcentrated(double rho) implements RdpMechanism {

    public ZeroConcentrated {
        if (!(rho >= 0) || Double.isInfinite(rho)) {
            throw new IllegalArgumentException("ρ must be finite and non-negative");
        }
    }

    /**
     * The discrete Gaussian {@code N_Z(0, σ²)} added to each coordinate of an integer vector whose
     * L2 sensitivity is {@code l2Sensitivity}: {@code ρ = Δ²/(2σ²)} (Canonne, Kamath and Steinke
     * 2020, Section 2). Exact at integer orders when the shift is an integer vector.
     */
    public static ZeroConcentrated discreteGaussian(double l2Sensitivity, Rational variance) {
        return new ZeroConcentrated(l2Sensitivity * l2Sensitivity / (2 * variance.doubleValue()));
    }

    @Override
    public double rdp(double order) {
        if (!(order > 1)) {
            throw new IllegalArgumentException("order must exceed 1");
        }
        return rho * order;
    }
}
