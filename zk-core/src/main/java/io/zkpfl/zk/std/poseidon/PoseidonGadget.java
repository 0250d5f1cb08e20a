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
    private final LinearTrace trace;

    private PoseidonGadget(PoseidonParameters params) {
        this.params = params;
        this.trace = params.trace();
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
        Variable[] basis = new Variable[trace.basisSize()];
        basis[0] = api.one();
        System.arraycopy(state, 0, basis, 1, t);
        for (int s = 0; s < trace.sboxIdx.length; s++) {
            Variable x = combination(api, basis, trace.sboxIdx[s], trace.sboxCoef[s]);
            Variable x2 = api.mul(x, x);
            Variable x4 = api.mul(x2, x2);
            basis[1 + t + s] = api.mul(x4, x);
        }
        Variable[] out = new Variable[t];
        for (int i = 0; i < t; i++) {
            out[i] = combination(api, basis, trace.outIdx[i], trace.outCoef[i]);
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
