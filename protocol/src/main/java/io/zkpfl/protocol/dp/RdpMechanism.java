package io.zkpfl.protocol.dp;

/**
 * A mechanism described by its Rényi-DP curve: one invocation is {@code (α, rdp(α))}-RDP at every
 * order {@code α > 1}, in nats. Curves add up under composition (Mironov, "Rényi Differential
 * Privacy", CSF 2017, Proposition 1).
 */
public sealed interface RdpMechanism permits SampledGaussian, ZeroConcentrated, DiscreteGaussianSum {

    /** The Rényi divergence bound of one invocation at {@code order > 1}, in nats; may be {@code +∞}. */
    double rdp(double order);
}
