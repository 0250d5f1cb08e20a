package io.zkpfl.zk.groth16;

import io.zkpfl.zk.bn254.Fr;
import io.zkpfl.zk.r1cs.LinearCombination;
import io.zkpfl.zk.r1cs.R1cs;

/** Hand-built constraint systems for backend tests (independent of the frontend compiler). */
public final class TinyCircuits {

    private TinyCircuits() {
    }

    /** y = x³ + x + 5 with public y, private x. Wires: 1, y, x, x², x³. */
    public static R1cs cubic() {
        R1cs.Builder b = R1cs.builder(0, 1).privateInputs(1);
        b.add(LinearCombination.term(2, Fr.ONE), LinearCombination.term(2, Fr.ONE), LinearCombination.term(3, Fr.ONE));
        b.add(LinearCombination.term(3, Fr.ONE), LinearCombination.term(2, Fr.ONE), LinearCombination.term(4, Fr.ONE));
        b.add(new LinearCombination(new int[] {0, 2, 4}, new Fr[] {Fr.of(5), Fr.ONE, Fr.ONE}),
                LinearCombination.constant(Fr.ONE), LinearCombination.term(1, Fr.ONE));
        return b.build(5);
    }

    public static Fr[] cubicWitness(long x) {
        Fr fx = Fr.of(x);
        Fr x2 = fx.square();
        Fr x3 = x2.mul(fx);
        return new Fr[] {Fr.ONE, x3.add(fx).add(Fr.of(5)), fx, x2, x3};
    }

    /**
     * A product chain with three public inputs a, b, c and private p = a·b, q = p·c·k for a
     * private k, plus {@code extra} squaring constraints on private wires. Wires: 1, a, b, c, k, p, q, s_1…
     */
    public static R1cs chain(int extra) {
        R1cs.Builder b = R1cs.builder(0, 3).privateInputs(1);
        b.add(LinearCombination.term(1, Fr.ONE), LinearCombination.term(2, Fr.ONE), LinearCombination.term(5, Fr.ONE));
        b.add(LinearCombination.term(5, Fr.ONE), new LinearCombination(new int[] {3, 4}, new Fr[] {Fr.of(2), Fr.of(-1)}),
                LinearCombination.term(6, Fr.ONE));
        int prev = 6;
        for (int i = 0; i < extra; i++) {
            b.add(LinearCombination.term(prev, Fr.ONE), LinearCombination.term(prev, Fr.ONE),
                    LinearCombination.term(7 + i, Fr.ONE));
            prev = 7 + i;
        }
        return b.build(7 + extra);
    }

    public static Fr[] chainWitness(long a, long bv, long c, long k, int extra) {
        Fr[] w = new Fr[7 + extra];
        w[0] = Fr.ONE;
        w[1] = Fr.of(a);
        w[2] = Fr.of(bv);
        w[3] = Fr.of(c);
        w[4] = Fr.of(k);
        w[5] = w[1].mul(w[2]);
        w[6] = w[5].mul(w[3].add(w[3]).sub(w[4]));
        for (int i = 0; i < extra; i++) {
            w[7 + i] = w[6 + i].square();
        }
        return w;
    }

    public static Fr[] publicOf(Fr[] witness, int numPublic) {
        return java.util.Arrays.copyOfRange(witness, 1, numPublic + 1);
    }
}
