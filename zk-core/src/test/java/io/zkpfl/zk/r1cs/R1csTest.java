package io.zkpfl.zk.r1cs;

import io.zkpfl.zk.bn254.Fr;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class R1csTest {

    /** x·x = y with public y (wire 1) and private x (wire 2), plus (x + 3)·1 = z (wire 3). */
    private static R1cs square() {
        R1cs.Builder b = R1cs.builder(0, 1).privateInputs(1);
        b.add(LinearCombination.term(2, Fr.ONE), LinearCombination.term(2, Fr.ONE), LinearCombination.term(1, Fr.ONE));
        b.add(new LinearCombination(new int[] {0, 2}, new Fr[] {Fr.of(3), Fr.ONE}),
                LinearCombination.constant(Fr.ONE), LinearCombination.term(3, Fr.ONE));
        return b.build();
    }

    @Test
    void satisfiedAndUnsatisfiedWitnesses() {
        R1cs r = square();
        assertEquals(4, r.numWires());
        assertEquals(1, r.numPublic());
        assertEquals(2, r.numConstraints());
        assertTrue(r.isSatisfied(new Fr[] {Fr.ONE, Fr.of(49), Fr.of(7), Fr.of(10)}));
        assertTrue(r.isSatisfied(new Fr[] {Fr.ONE, Fr.of(49), Fr.of(-7), Fr.of(-4)}));
        assertFalse(r.isSatisfied(new Fr[] {Fr.ONE, Fr.of(50), Fr.of(7), Fr.of(10)}));
        assertEquals(1, r.firstUnsatisfied(new Fr[] {Fr.ONE, Fr.of(49), Fr.of(7), Fr.of(11)}));
        assertFalse(r.isSatisfied(new Fr[] {Fr.of(2), Fr.of(49), Fr.of(7), Fr.of(10)}));
        assertFalse(r.isSatisfied(new Fr[] {Fr.ONE, Fr.of(49), Fr.of(7)}));
        assertThrows(IllegalArgumentException.class, () -> r.firstUnsatisfied(new Fr[3]));
    }

    @Test
    void rowsRoundTripAndMultiply() {
        R1cs r = square();
        assertEquals(new LinearCombination(new int[] {0, 2}, new Fr[] {Fr.of(3), Fr.ONE}), r.a(1));
        assertEquals(LinearCombination.term(1, Fr.ONE), r.c(0));
        Fr[] w = {Fr.ONE, Fr.of(49), Fr.of(7), Fr.of(10)};
        Fr[] out = new Fr[2];
        r.multiply(R1cs.Matrix.A, w, out);
        assertEquals(Fr.of(7), out[0]);
        assertEquals(Fr.of(10), out[1]);
        long[] count = {0};
        r.forEachTerm(R1cs.Matrix.A, (i, wire, c) -> count[0]++);
        assertEquals(3, count[0]);
        assertEquals(3, r.nonZeros(R1cs.Matrix.A));
    }

    @Test
    void bulkWalksAgreeWithRowsOnACompiledStatement() {
        io.zkpfl.zk.stmt.FingerprintStatement st = new io.zkpfl.zk.stmt.FingerprintStatement(4);
        io.zkpfl.zk.frontend.CompiledCircuit cc = io.zkpfl.zk.frontend.Compiler.compile(st);
        R1cs r = cc.r1cs();
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(8);
        Fr[] s = {Fr.random(rnd), Fr.random(rnd), Fr.random(rnd), Fr.random(rnd)};
        Fr[] w = cc.solve(st.witness(Fr.of(1), Fr.of(2), s, Fr.of(3))).values();
        for (R1cs.Matrix m : R1cs.Matrix.values()) {
            Fr[] out = new Fr[r.numConstraints()];
            r.multiply(m, w, out);
            Fr[] viaTerms = new Fr[r.numConstraints()];
            java.util.Arrays.fill(viaTerms, Fr.ZERO);
            long[] nnz = {0};
            r.forEachTerm(m, (i, wire, c) -> {
                viaTerms[i] = viaTerms[i].add(c.mul(w[wire]));
                nnz[0]++;
            });
            assertEquals(r.nonZeros(m), nnz[0]);
            for (int i = 0; i < r.numConstraints(); i++) {
                assertEquals(r.row(m, i).evaluate(w), out[i]);
                assertEquals(out[i], viaTerms[i]);
            }
        }
        assertTrue(r.isSatisfied(w));
        Fr[] broken = w.clone();
        broken[r.numWires() - 1] = broken[r.numWires() - 1].add(Fr.ONE);
        assertFalse(r.isSatisfied(broken));
        broken[r.numWires() - 1] = null;
        assertFalse(r.isSatisfied(broken));
    }

    @Test
    void linearCombinationRejectsBadShapes() {
        assertThrows(IllegalArgumentException.class, () -> new LinearCombination(new int[] {2, 1}, new Fr[] {Fr.ONE, Fr.ONE}));
        assertThrows(IllegalArgumentException.class, () -> new LinearCombination(new int[] {1, 1}, new Fr[] {Fr.ONE, Fr.ONE}));
        assertThrows(IllegalArgumentException.class, () -> new LinearCombination(new int[] {1}, new Fr[] {Fr.ZERO}));
        assertThrows(IllegalArgumentException.class, () -> new LinearCombination(new int[] {1}, new Fr[0]));
        int[] wires = {1, 5};
        LinearCombination lc = new LinearCombination(wires, new Fr[] {Fr.ONE, Fr.of(2)});
        wires[0] = 9;
        assertEquals(1, lc.wire(0));
        lc.wires()[1] = 0;
        assertEquals(5, lc.wire(1));
    }

    @Test
    void relabelResortsRows() {
        R1cs.Builder b = R1cs.builder(0, 1);
        // provisional private wires 100, 101; final order puts 101 before 100
        b.add(new LinearCombination(new int[] {1, 100, 101}, new Fr[] {Fr.ONE, Fr.of(2), Fr.of(3)}),
                LinearCombination.constant(Fr.ONE), LinearCombination.ZERO);
        R1cs r = b.build(4, w -> w == 100 ? 3 : w == 101 ? 2 : w);
        assertEquals(new LinearCombination(new int[] {1, 2, 3}, new Fr[] {Fr.ONE, Fr.of(3), Fr.of(2)}), r.a(0));
        assertTrue(r.isSatisfied(new Fr[] {Fr.ONE, Fr.of(-5), Fr.ONE, Fr.ONE}));
    }
}
