package io.zkpfl.zk.std.poseidon;

import io.zkpfl.zk.bn254.Fr;

/**
 * The native Poseidon permutation over BN254's scalar field, identical to circomlib's
 * {@code poseidon(inputs, initState, nOut)} (round constants, then S-box on all lanes in full
 * rounds or lane 0 in partial rounds, then the MDS mix).
 */
public final class PoseidonPermutation {

    private final PoseidonParameters params;

    private PoseidonPermutation(PoseidonParameters params) {
        this.params = params;
    }

    /** The permutation of width {@code t} (2..17). */
    public static PoseidonPermutation ofWidth(int t) {
        return new PoseidonPermutation(PoseidonParameters.forWidth(t));
    }

    /** The parameters this permutation uses (shared with the gadget). */
    public PoseidonParameters parameters() {
        return params;
    }

    /**
     * Permutes {@code state} in place. Evaluates the traced linear layer (each S-box input as one
     * sparse combination), about a third of the multiplications of the round-by-round form.
     *
     * @throws IllegalArgumentException if the state length is not the width
     */
    public void permute(Fr[] state) {
        int t = params.width();
        if (state.length != t) {
            throw new IllegalArgumentException("state must have " + t + " lanes, got " + state.length);
        }
        LinearTrace tr = params.trace();
        Fr[] basis = new Fr[tr.basisSize()];
        basis[0] = Fr.ONE;
        System.arraycopy(state, 0, basis, 1, t);
        for (int s = 0; s < tr.sboxIdx.length; s++) {
            basis[1 + t + s] = pow5(combine(basis, tr.sboxIdx[s], tr.sboxCoef[s]));
        }
        for (int i = 0; i < t; i++) {
            state[i] = combine(basis, tr.outIdx[i], tr.outCoef[i]);
        }
    }

    private static Fr combine(Fr[] basis, int[] idx, Fr[] coef) {
        Fr acc = Fr.ZERO;
        for (int k = 0; k < idx.length; k++) {
            acc = acc.add(idx[k] == 0 ? coef[k] : coef[k].mul(basis[idx[k]]));
        }
        return acc;
    }

    /** The textbook round-by-round evaluation (dense MDS mix every round); the reference for {@link #permute}. */
    void permuteDense(Fr[] state) {
        int t = params.width();
        if (state.length != t) {
            throw new IllegalArgumentException("state must have " + t + " lanes, got " + state.length);
        }
        Fr[] next = new Fr[t];
        for (int r = 0; r < params.rounds(); r++) {
            for (int i = 0; i < t; i++) {
                state[i] = state[i].add(params.roundConstant(r, i));
            }
            if (params.isFullRound(r)) {
                for (int i = 0; i < t; i++) {
                    state[i] = pow5(state[i]);
                }
            } else {
                state[0] = pow5(state[0]);
            }
            for (int i = 0; i < t; i++) {
                Fr acc = Fr.ZERO;
                for (int j = 0; j < t; j++) {
                    acc = acc.add(params.mds(i, j).mul(state[j]));
                }
                next[i] = acc;
            }
            System.arraycopy(next, 0, state, 0, t);
        }
    }

    /**
     * circomlib's {@code poseidon(inputs)}: width {@code inputs.length + 1}, lane 0 starts at zero,
     * returns lane 0 after one permutation.
     *
     * @throws IllegalArgumentException unless 1 ≤ inputs.length ≤ 16
     */
    public static Fr hash(Fr... inputs) {
        return hashFrom(Fr.ZERO, inputs);
    }

    /** As {@link #hash(Fr...)} with lane 0 starting at {@code initState}. */
    public static Fr hashFrom(Fr initState, Fr... inputs) {
        if (inputs.length < 1 || inputs.length > PoseidonParameters.MAX_WIDTH - 1) {
            throw new IllegalArgumentException("Poseidon takes 1..16 inputs, got " + inputs.length);
        }
        Fr[] state = new Fr[inputs.length + 1];
        state[0] = initState;
        System.arraycopy(inputs, 0, state, 1, inputs.length);
        ofWidth(state.length).permute(state);
        return state[0];
    }

    static Fr pow5(Fr x) {
        Fr x2 = x.square();
        return x2.square().mul(x);
    }
}
