package io.zkpfl.protocol.dp;

/**
 * An {@code (ε, δ)}-DP guarantee and the RDP order that gives the smallest {@code ε}.
 *
 * @param epsilon nats
 * @param delta   the job's {@code δ}
 * @param order   the optimal order {@code α} among those tracked
 */
public record PrivacySpent(double epsilon, double delta, double order) {
}
