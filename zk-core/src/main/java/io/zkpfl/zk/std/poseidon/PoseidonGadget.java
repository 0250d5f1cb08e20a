package io.zkpfl.zk.std.poseidon;

import io.zkpfl.zk.bn254.Fr;
import io.zkpfl.zk.frontend.Api;
import io.zkpfl.zk.frontend.Variable;

import java.util.concurrent.ConcurrentHashMap;

/**
 * The Poseidon permutation as a circuit gadget, using the same {@link PoseidonParameters} as
 * {@link PoseidonPermutation}.
 *
 * <p>Cost: 3 constraints per S-box ({@code x²}, {@code x⁴}, {@code x⁵}), i.e.
 * {@code 3·(8·t + R_P)}; everything linear (round constants, MDS mix) is folded into the
 * S-box inputs. To keep compilation fast the linear layer is traced once per width: every S-box
 * input and every output lane is precomputed as a sparse combination of the permutation's inputs
 * and earlier S-box outputs.
 */
public final class PoseidonGadget {

    private static final ConcurrentHashMap<Integer, PoseidonGadget> CACHE = new ConcurrentHashMap<>();

    private final PoseidonParameters params;
    private final int[][] sboxIdx;
    private final Fr[][] sboxCoef;
    private final int[][] outIdx;
    private final Fr[][] outCoef;

    private PoseidonGadget(PoseidonParameters params) {
        this.params = params;
        int t = params.width();
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

    /** The gadget of width {@code t} (2..17). */
    public static PoseidonGadget ofWidth(int t) {
        return CACHE.computeIfAbsent(t, w -> new PoseidonGadget(PoseidonParameters.forWidth(w)));
    }

    /** The shared parameters. */
    public PoseidonParameters parameters() {
        return params;
    }

    /**
     * Constrains and returns the permutation of {@code state}.
     *
     * @throws IllegalArgumentException if the state length is not the width
     */
    public Variable[] permute(Api api, Variable[] state) {
        int t = params.width();
        if (state.length != t) {
            throw new IllegalArgumentException("state must have " + t + " lanes, got " + state.length);
        }
        Variable[] basis = new Variable[1 + t + sboxIdx.length];
        basis[0] = api.one();
        System.arraycopy(state, 0, basis, 1, t);
        for (int s = 0; s < sboxIdx.length; s++) {
            Variable x = combination(api, basis, sboxIdx[s], sboxCoef[s]);
            Variable x2 = api.mul(x, x);
            Variable x4 = api.mul(x2, x2);
            basis[1 + t + s] = api.mul(x4, x);
        }
        Variable[] out = new Variable[t];
        for (int i = 0; i < t; i++) {
            out[i] = combination(api, basis, outIdx[i], outCoef[i]);
        }
        return out;
    }

    private static Variable combination(Api api, Variable[] basis, int[] idx, Fr[] coef) {
        Variable[] vs = new Variable[idx.length];
        for (int k = 0; k < idx.length; k++) {
            vs[k] = basis[idx[k]];
        }
        return api.weightedSum(coef, vs);
    }

    /** circomlib's {@code poseidon(inputs)} in a circuit (width {@code inputs.length + 1}, lane 0 starts at 0). */
    public static Variable hash(Api api, Variable... inputs) {
        if (inputs.length < 1 || inputs.length > PoseidonParameters.MAX_WIDTH - 1) {
            throw new IllegalArgumentException("Poseidon takes 1..16 inputs, got " + inputs.length);
        }
        Variable[] state = new Variable[inputs.length + 1];
        state[0] = api.zero();
        System.arraycopy(inputs, 0, state, 1, inputs.length);
        return ofWidth(state.length).permute(api, state)[0];
    }
}
