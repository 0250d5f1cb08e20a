package io.zkpfl.zk.frontend;

import io.zkpfl.zk.bn254.Fr;

/**
 * Computes witness values outside the constraints (e.g. an inverse or a bit decomposition). A hint
 * proves nothing: the circuit must constrain its outputs. Must be deterministic and must not throw
 * for any input; return any value (e.g. zero) when no valid output exists, and let the constraints
 * reject it.
 */
@FunctionalInterface
public interface Hint {

    /** Returns exactly {@code nOutputs} values for the given input values. */
    Fr[] compute(Fr[] inputs, int nOutputs);
}
