package io.zkpfl.zk.std.poseidon;

import io.zkpfl.zk.bn254.Fr;

/**
 * The Poseidon permutation's linear layer traced once per width: every S-box input and every
 * output lane as a sparse combination over the basis {@code [1, input lanes 0..t-1, S-box outputs
 * in order]}. Round constants sit in the coefficient of the constant 1. Both the native
 * permutation and the gadget evaluate these combinations, so they share one derivation from
 * {@link PoseidonParameters}.
 */
final class LinearTrace {

    final int width;
    final int[][] sboxIdx;
    final Fr[][] sboxCoef;
    final int[][] outIdx;
    final Fr[][] outCoef;

    LinearTrace(PoseidonParameters params) {
        int t = params.width();
        this.width = t;
        int nSbox = t * PoseidonParameters.FULL_ROUNDS + params.partialRounds();
        int basis = 1 + t + nSbox;
        sboxIdx = new int[nSbox][];
        sboxCoef = new Fr[nSbox][];
        Fr[][] state = new Fr[t][basis];
        for (int i = 0; i < t; i++) {
            java.util.Arrays.fill(state[i], Fr.ZERO);
            state[i][1 + i] = Fr.ONE;
        }
        int lo = 1;
        int hi = 1 + t;
        int s = 0;
        for (int r = 0; r < params.rounds(); r++) {
            for (int i = 0; i < t; i++) {
                state[i][0] = state[i][0].add(params.roundConstant(r, i));
            }
            int lanes = params.isFullRound(r) ? t : 1;
            int firstNew = 1 + t + s;
            for (int i = 0; i < lanes; i++) {
                record(state[i], lo, hi, s);
                int b = 1 + t + s;
                java.util.Arrays.fill(state[i], Fr.ZERO);
                state[i][b] = Fr.ONE;
                s++;
            }
            if (params.isFullRound(r)) {
                lo = firstNew;
            }
            hi = 1 + t + s;
            Fr[][] next = new Fr[t][basis];
            for (int i = 0; i < t; i++) {
                java.util.Arrays.fill(next[i], Fr.ZERO);
                for (int j = 0; j < t; j++) {
                    Fr m = params.mds(i, j);
                    next[i][0] = next[i][0].add(m.mul(state[j][0]));
                    for (int k = lo; k < hi; k++) {
                        if (!state[j][k].isZero()) {
                            next[i][k] = next[i][k].add(m.mul(state[j][k]));
                        }
                    }
                }
            }
            state = next;
        }
        outIdx = new int[t][];
        outCoef = new Fr[t][];
        for (int i = 0; i < t; i++) {
            int n = count(state[i], lo, hi);
            outIdx[i] = new int[n];
            outCoef[i] = new Fr[n];
            fill(state[i], lo, hi, outIdx[i], outCoef[i]);
        }
    }

    private void record(Fr[] v, int lo, int hi, int s) {
        int n = count(v, lo, hi);
        sboxIdx[s] = new int[n];
        sboxCoef[s] = new Fr[n];
        fill(v, lo, hi, sboxIdx[s], sboxCoef[s]);
    }

    private static int count(Fr[] v, int lo, int hi) {
        int n = v[0].isZero() ? 0 : 1;
        for (int k = lo; k < hi; k++) {
            if (!v[k].isZero()) {
                n++;
            }
        }
        return n;
    }

    private static void fill(Fr[] v, int lo, int hi, int[] idx, Fr[] coef) {
        int n = 0;
        if (!v[0].isZero()) {
            idx[n] = 0;
            coef[n++] = v[0];
        }
        for (int k = lo; k < hi; k++) {
            if (!v[k].isZero()) {
                idx[n] = k;
                coef[n++] = v[k];
            }
        }
    }

    /** Size of the basis: the constant, the inputs and the S-box outputs. */
    int basisSize() {
        return 1 + width + sboxIdx.length;
    }
}
