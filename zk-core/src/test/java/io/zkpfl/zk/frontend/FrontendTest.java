package io.zkpfl.zk.frontend;

import io.zkpfl.zk.bn254.Fr;
import io.zkpfl.zk.r1cs.R1cs;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FrontendTest {

    private static final BigInteger R = Fr.MODULUS;

    /** Solves and checks the witness against the R1CS independently of the solver's own check. */
    private static Witness solveOk(CompiledCircuit cc, Assignment a) {
        Witness w = cc.solve(a);
        assertTrue(cc.r1cs().isSatisfied(w.values()), "solver returned a witness the R1CS rejects");
        return w;
    }

    private static WitnessException solveFails(CompiledCircuit cc, Assignment a, String labelPart) {
        WitnessException e = assertThrows(WitnessException.class, () -> cc.solve(a));
        assertTrue(e.getMessage().contains(labelPart), e.getMessage());
        return e;
    }

    @Test
    void linearOperationsCostNoConstraint() {
        CompiledCircuit cc = Compiler.compile(api -> {
            Variable x = api.publicInput("x");
            Variable y = api.secretInput("y");
            Variable lin = api.add(api.mul(x, Fr.of(3)), api.sub(y, api.constant(5)), api.neg(x), api.mul(api.constant(2), y));
            // lin = 3x + y - 5 - x + 2y = 2x + 3y - 5
            api.assertIsEqual(lin, api.add(api.mul(x, Fr.of(2)), api.mul(y, Fr.of(3)), api.constant(-5)));
        });
        assertEquals(0, cc.r1cs().numConstraints());
    }

    @Test
    void mulAddSubProperties() {
        CompiledCircuit cc = Compiler.compile(api -> {
            Variable out = api.publicInput("out");
            Variable a = api.secretInput("a");
            Variable b = api.secretInput("b");
            Variable c = api.secretInput("c");
            // out = (a + b)·(a - c) + 7·b
            api.assertIsEqual(api.add(api.mul(api.add(a, b), api.sub(a, c)), api.mul(b, Fr.of(7))), out);
        });
        assertEquals(2, cc.r1cs().numConstraints());
        assertEquals(1, cc.r1cs().numPublic());
        SplittableRandom rnd = new SplittableRandom(11);
        for (int i = 0; i < 200; i++) {
            BigInteger a = new BigInteger(254, new java.util.Random(rnd.nextLong())).mod(R);
            BigInteger b = new BigInteger(254, new java.util.Random(rnd.nextLong())).mod(R);
            BigInteger c = new BigInteger(254, new java.util.Random(rnd.nextLong())).mod(R);
            BigInteger out = a.add(b).multiply(a.subtract(c)).add(b.multiply(BigInteger.valueOf(7))).mod(R);
            Assignment ok = Assignment.builder().set("out", Fr.of(out)).set("a", Fr.of(a)).set("b", Fr.of(b)).set("c", Fr.of(c)).build();
            Witness w = solveOk(cc, ok);
            assertArrayEquals(new Fr[] {Fr.of(out)}, w.publicInputs());
            Assignment bad = Assignment.builder().set("out", Fr.of(out.add(BigInteger.ONE))).set("a", Fr.of(a))
                    .set("b", Fr.of(b)).set("c", Fr.of(c)).build();
            solveFails(cc, bad, "assertIsEqual");
        }
    }

    @Test
    void divAndInverse() {
        CompiledCircuit cc = Compiler.compile(api -> {
            Variable q = api.publicInput("q");
            Variable a = api.secretInput("a");
            Variable b = api.secretInput("b");
            api.assertIsEqual(api.div(a, b), q);
            api.assertIsEqual(api.mul(api.inverse(b), a), q);
        });
        SplittableRandom rnd = new SplittableRandom(3);
        for (int i = 0; i < 50; i++) {
            Fr a = Fr.random(rnd);
            Fr b = Fr.random(rnd);
            Fr q = Fr.of(a.toBigInteger().multiply(b.toBigInteger().modInverse(R)));
            solveOk(cc, Assignment.builder().set("q", q).set("a", a).set("b", b).build());
            solveFails(cc, Assignment.builder().set("q", q.add(Fr.ONE)).set("a", a).set("b", b).build(), "assertIsEqual");
        }
        // division by zero: the hint yields 0 and b·q = a fails
        solveFails(cc, Assignment.builder().set("q", Fr.ZERO).set("a", Fr.of(5)).set("b", Fr.ZERO).build(), "div");
        // inverse of zero fails at its own constraint even when a = 0 satisfies b·q = a
        solveFails(cc, Assignment.builder().set("q", Fr.ZERO).set("a", Fr.ZERO).set("b", Fr.ZERO).build(), "inverse");
    }

    @Test
    void constantFolding() {
        CompiledCircuit cc = Compiler.compile(api -> {
            Variable x = api.publicInput("x");
            Variable k = api.div(api.constant(6), api.constant(3));
            api.assertIsEqual(api.mul(x, k), api.add(x, x));
            api.assertIsEqual(api.inverse(api.constant(4)), api.constant(Fr.of(4).inverse()));
            api.assertIsBoolean(api.constant(1));
            api.assertIsEqual(api.select(api.constant(0), x, api.constant(9)), api.constant(9));
        });
        assertEquals(0, cc.r1cs().numConstraints());
        assertThrows(IllegalArgumentException.class, () -> Compiler.compile(api -> api.inverse(api.constant(0))));
        assertThrows(IllegalArgumentException.class, () -> Compiler.compile(api -> api.assertIsEqual(api.constant(1), api.constant(2))));
        assertThrows(IllegalArgumentException.class, () -> Compiler.compile(api -> api.assertIsBoolean(api.constant(2))));
        assertThrows(IllegalArgumentException.class, () -> Compiler.compile(api -> api.toBinary(api.constant(8), 3)));
    }

    @Test
    void assertIsBooleanAndSelect() {
        CompiledCircuit cc = Compiler.compile(api -> {
            Variable out = api.publicInput("out");
            Variable b = api.secretInput("b");
            Variable x = api.secretInput("x");
            Variable y = api.secretInput("y");
            api.assertIsEqual(api.select(b, x, y), out);
        });
        assertEquals(3, cc.r1cs().numConstraints());
        Fr x = Fr.of(10);
        Fr y = Fr.of(20);
        solveOk(cc, Assignment.builder().set("out", x).set("b", Fr.ONE).set("x", x).set("y", y).build());
        solveOk(cc, Assignment.builder().set("out", y).set("b", Fr.ZERO).set("x", x).set("y", y).build());
        solveFails(cc, Assignment.builder().set("out", y).set("b", Fr.ONE).set("x", x).set("y", y).build(), "assertIsEqual");
        // b = 2 with out = 2x - y would satisfy the selection constraint but not booleanity
        solveFails(cc, Assignment.builder().set("out", Fr.of(0)).set("b", Fr.of(2)).set("x", x).set("y", y).build(), "assertIsBoolean");
    }

    @Test
    void toBinaryAndBack() {
        int n = 16;
        CompiledCircuit cc = Compiler.compile(api -> {
            Variable v = api.publicInput("v");
            Variable[] bits = api.toBinary(v, n);
            api.assertIsEqual(api.fromBinary(bits), v);
            for (Variable b : bits) {
                api.assertIsBoolean(b);
            }
        });
        assertEquals(n + 2, cc.r1cs().numConstraints());
        SplittableRandom rnd = new SplittableRandom(5);
        for (int i = 0; i < 100; i++) {
            long v = rnd.nextLong(1L << n);
            Witness w = solveOk(cc, Assignment.builder().set("v", Fr.of(v)).build());
            Fr[] all = w.values();
            for (int k = 0; k < n; k++) {
                assertEquals(Fr.of((v >>> k) & 1), all[2 + k], "bit " + k);
            }
        }
        solveFails(cc, Assignment.builder().set("v", Fr.of(1L << n)).build(), "toBinary");
        solveFails(cc, Assignment.builder().set("v", Fr.of(-1)).build(), "toBinary");
        assertThrows(IllegalArgumentException.class, () -> Compiler.compile(api -> api.toBinary(api.publicInput("v"), 254)));
    }

    @Test
    void forgedBitsAreRejectedByTheConstraints() {
        // a malicious prover bypasses the hint: a witness with a non-boolean "bit" must not satisfy the R1CS
        CompiledCircuit cc = Compiler.compile(api -> api.toBinary(api.publicInput("v"), 2));
        Fr[] w = cc.solve(Assignment.builder().set("v", Fr.of(3)).build()).values();
        assertTrue(cc.r1cs().isSatisfied(w));
        w[2] = Fr.of(3);
        w[3] = Fr.ZERO;
        assertFalse(cc.r1cs().isSatisfied(w));
    }

    @Test
    void customHint() {
        Hint sqrtOf49 = (in, k) -> new Fr[] {Fr.of(7)};
        CompiledCircuit cc = Compiler.compile(api -> {
            Variable sq = api.publicInput("sq");
            Variable r = api.hint(sqrtOf49, 1, sq)[0];
            api.assertIsEqual(api.mul(r, r), sq);
        });
        solveOk(cc, Assignment.builder().set("sq", Fr.of(49)).build());
        solveFails(cc, Assignment.builder().set("sq", Fr.of(50)).build(), "assertIsEqual");
        CompiledCircuit broken = Compiler.compile(api -> api.hint((in, k) -> new Fr[0], 1, api.publicInput("x")));
        assertThrows(WitnessException.class, () -> broken.solve(Assignment.builder().set("x", Fr.ONE).build()));
    }

    @Test
    void inputErrorsAreNamed() {
        CompiledCircuit cc = Compiler.compile(api -> {
            Variable p = api.publicInput("p");
            Variable[] s = api.secretInputs("s", 3);
            api.assertIsEqual(api.mul(s[0], s[1]), api.add(p, s[2]));
        });
        assertTrue(assertThrows(WitnessException.class, () -> cc.solve(Assignment.builder().set("p", Fr.ONE).build()))
                .getMessage().contains("missing input 's'"));
        assertTrue(assertThrows(WitnessException.class, () -> cc.solve(Assignment.builder().set("p", Fr.ONE)
                .set("s", new Fr[] {Fr.ONE, Fr.ONE}).build())).getMessage().contains("'s' needs 3"));
        assertTrue(assertThrows(WitnessException.class, () -> cc.solve(Assignment.builder().set("p", Fr.ONE)
                .set("s", new Fr[] {Fr.ONE, Fr.ONE, Fr.ZERO}).set("q", Fr.ONE).build())).getMessage().contains("unknown input 'q'"));
        WitnessException e = assertThrows(WitnessException.class, () -> cc.solve(Assignment.builder().set("p", Fr.ONE)
                .set("s", new Fr[] {Fr.of(123456789), Fr.of(2), Fr.ONE}).build()));
        assertEquals(1, e.constraint());
        assertFalse(e.getMessage().contains("123456789"), "values must not leak into messages");
        assertThrows(IllegalArgumentException.class, () -> Assignment.builder().set("p", Fr.ONE).set("p", Fr.ONE));
    }

    @Test
    void apiMisuse() {
        assertThrows(IllegalStateException.class, () -> Compiler.compile(api -> {
            api.secretInput("s");
            api.publicInput("p");
        }));
        assertThrows(IllegalArgumentException.class, () -> Compiler.compile(api -> {
            api.publicInput("p");
            api.secretInput("p");
        }));
        Variable[] leaked = new Variable[1];
        Compiler.compile(api -> leaked[0] = api.publicInput("x"));
        assertThrows(IllegalArgumentException.class, () -> Compiler.compile(api -> api.mul(leaked[0], api.publicInput("y"))));
    }

    @Test
    void iden3WireOrderWithLateSecretInputs() {
        CompiledCircuit cc = Compiler.compile(api -> {
            Variable a = api.publicInput("a");
            Variable b = api.publicInput("b");
            Variable s1 = api.secretInput("s1");
            Variable t = api.mul(s1, s1);
            Variable s2 = api.secretInput("s2");
            api.assertIsEqual(api.mul(t, s2), api.add(a, b));
        });
        R1cs r = cc.r1cs();
        assertEquals(2, r.numPublic());
        assertEquals(2, r.numPrivateInputs());
        assertEquals(3, cc.inputs().get(2).firstWire());
        assertEquals(4, cc.inputs().get(3).firstWire());
        Witness w = solveOk(cc, Assignment.builder().set("a", Fr.of(10)).set("b", Fr.of(8)).set("s1", Fr.of(3)).set("s2", Fr.of(2)).build());
        Fr[] v = w.values();
        assertEquals(Fr.of(3), v[3]);
        assertEquals(Fr.of(2), v[4]);
        assertEquals(Fr.of(9), v[5]);
        assertFalse(w.toString().contains("9"));
    }

    @Test
    void scopesLabelConstraints() {
        CompiledCircuit cc = Compiler.compile(api -> {
            Variable x = api.publicInput("x");
            api.scope("outer", () -> api.scope("inner", () -> {
                api.assertIsBoolean(x);
                return null;
            }));
        });
        assertEquals("outer/inner/assertIsBoolean", cc.label(0));
        solveFails(cc, Assignment.builder().set("x", Fr.of(2)).build(), "outer/inner/assertIsBoolean");
    }
}
