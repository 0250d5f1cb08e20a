package io.zkpfl.zk.std.poseidon;

import io.zkpfl.zk.bn254.Fr;
import io.zkpfl.zk.frontend.Api;
import io.zkpfl.zk.frontend.Variable;

/**
 * The fixed-length Poseidon sponge {@code H_D} of the v1 statement (docs/zk-core.md): width 17, rate 16, capacity 1
 * (lane 0). Lane 0 starts at the domain value (the vector length {@code D}), lanes 1..16 at zero;
 * the inputs are absorbed 16 at a time by adding them into lanes 1..16 (the last block padded with
 * zeros), the state is permuted after every block, and the output is lane 0. An empty input is one
 * all-zero block. The native functions and the gadget overloads (taking an {@link Api}) compute
 * the same function with the same parameters.
 */
public final class PoseidonSponge {

    /** State width. */
    public static final int WIDTH = 17;
    /** Elements absorbed per permutation. */
    public static final int RATE = 16;

    private PoseidonSponge() {
    }

    /** Number of permutations for {@code n} inputs. */
    public static int blocks(int n) {
        return Math.max(1, (n + RATE - 1) / RATE);
    }

    /** The sponge over {@code inputs} with lane 0 initialised to {@code domain}. */
    public static Fr hash(long domain, Fr[] inputs) {
        PoseidonPermutation perm = PoseidonPermutation.ofWidth(WIDTH);
        Fr[] state = new Fr[WIDTH];
        java.util.Arrays.fill(state, Fr.ZERO);
        state[0] = Fr.of(domain);
        int blocks = blocks(inputs.length);
        for (int b = 0; b < blocks; b++) {
            for (int k = 0; k < RATE; k++) {
                int idx = b * RATE + k;
                if (idx < inputs.length) {
                    state[1 + k] = state[1 + k].add(inputs[idx]);
                }
            }
            perm.permute(state);
        }
        return state[0];
    }

    /** {@code H_D(tag, salt, S)} with {@code D = s.length}: the sponge over {@code (tag, salt, S_0..S_{D-1})}. */
    public static Fr commit(Fr tag, Fr salt, Fr[] s) {
        Fr[] in = new Fr[s.length + 2];
        in[0] = tag;
        in[1] = salt;
        System.arraycopy(s, 0, in, 2, s.length);
        return hash(s.length, in);
    }

    /** The sponge as a gadget: {@code 612 · blocks(n)} constraints (3 per S-box, 204 S-boxes per block). */
    public static Variable hash(Api api, long domain, Variable[] inputs) {
        PoseidonGadget perm = PoseidonGadget.ofWidth(WIDTH);
        Variable[] state = new Variable[WIDTH];
        java.util.Arrays.fill(state, api.zero());
        state[0] = api.constant(Fr.of(domain));
        int blocks = blocks(inputs.length);
        for (int b = 0; b < blocks; b++) {
            for (int k = 0; k < RATE; k++) {
                int idx = b * RATE + k;
                if (idx < inputs.length) {
                    state[1 + k] = api.add(state[1 + k], inputs[idx]);
                }
            }
            state = perm.permute(api, state);
        }
        return state[0];
    }

    /** {@code H_D(tag, salt, S)} as a gadget, {@code D = s.length}. */
    public static Variable commit(Api api, Variable tag, Variable salt, Variable[] s) {
        Variable[] in = new Variable[s.length + 2];
        in[0] = tag;
        in[1] = salt;
        System.arraycopy(s, 0, in, 2, s.length);
        return hash(api, s.length, in);
    }
}
