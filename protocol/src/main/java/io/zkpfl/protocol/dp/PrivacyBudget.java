package io.zkpfl.protocol.dp;

/**
 * A job's total privacy budget: the job must stay {@code (epsilon, delta)}-DP over all its rounds.
 *
 * @param epsilon nats, {@code > 0}
 * @param delta   {@code 0 < δ < 1}
 */
public record PrivacyBudget(double epsilon, double delta) {

    public PrivacyBudget {
        if (!(epsilon > 0) || Double.isInfinite(epsilon)) {
            throw new IllegalArgumentException("ε must be positive and finite");
        }
        if (!(delta > 0 && delta < 1)) {
            throw new IllegalArgumentException("δ must lie in (0, 1)");
        }
    }
}
