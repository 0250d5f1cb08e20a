package io.zkpfl.zk.stmt;

import io.zkpfl.zk.bn254.Fr;
import io.zkpfl.zk.frontend.Assignment;
import io.zkpfl.zk.frontend.CompiledCircuit;
import io.zkpfl.zk.frontend.Compiler;
import io.zkpfl.zk.frontend.Witness;
import io.zkpfl.zk.frontend.WitnessException;
import io.zkpfl.zk.std.poseidon.PoseidonSponge;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FingerprintStatementTest {

    private static Fr[] randomVector(SplittableRandom rnd, int d) {
        Fr[] s = new Fr[d];
        for (int i = 0; i < d; i++) {
            s[i] = Fr.random(rnd);
        }
        return s;
    }

    @Test
    void fingerprintEqualsPowerSum() {
        SplittableRandom rnd = new SplittableRandom(1);
        for (int d : new int[] {1, 2, 7, 64}) {
            Fr[] s = randomVector(rnd, d);
            Fr rho = Fr.random(rnd);
            BigInteger expected = BigInteger.ZERO;
            for (int j = 0; j < d; j++) {
                expected = expected.add(s[j].toBigInteger().multiply(rho.toBigInteger().modPow(BigInteger.valueOf(j), Fr.MODULUS)));
            }
            assertEquals(Fr.of(expected), Fingerprint.of(rho, s));
        }
        assertEquals(Fr.ZERO, Fingerprint.of(Fr.of(5), new Fr[0]));
    }

    @Test
    void acceptsHonestWitnessAndExposesPublicInputsInOrder() {
        SplittableRandom rnd = new SplittableRandom(2);
        FingerprintStatement st = new FingerprintStatement(8);
        CompiledCircuit cc = Compiler.compile(st);
        Fr[] s = randomVector(rnd, 8);
        Fr tag = Fr.random(rnd);
        Fr salt = Fr.random(rnd);
        Fr rho = Fr.random(rnd);
        Witness w = cc.solve(st.witness(tag, salt, s, rho));
        assertTrue(cc.r1cs().isSatisfied(w.values()));
        assertArrayEquals(new Fr[] {tag, PoseidonSponge.commit(tag, salt, s), rho, Fingerprint.of(rho, s)}, w.publicInputs());
        assertEquals(4, cc.r1cs().numPublic());
        assertEquals(9, cc.r1cs().numPrivateInputs());
    }

    @Test
    void rejectsChangedPublicOrSecretValues() {
        SplittableRandom rnd = new SplittableRandom(3);
        FingerprintStatement st = new FingerprintStatement(4);
        CompiledCircuit cc = Compiler.compile(st);
        Fr[] s = randomVector(rnd, 4);
        Fr tag = Fr.random(rnd);
        Fr salt = Fr.random(rnd);
        Fr rho = Fr.random(rnd);
        Fr h = PoseidonSponge.commit(tag, salt, s);
        Fr y = Fingerprint.of(rho, s);
        Fr one = Fr.ONE;
        assertFails(cc, tag.add(one), h, rho, y, salt, s, "hash/");
        assertFails(cc, tag, h.add(one), rho, y, salt, s, "hash/");
        assertFails(cc, tag, h, rho, y, salt.add(one), s, "hash/");
        assertFails(cc, tag, h, rho.add(one), y, salt, s, "fingerprint/");
        assertFails(cc, tag, h, rho, y.add(one), salt, s, "fingerprint/");
        Fr[] s2 = s.clone();
        s2[3] = s2[3].add(one);
        // S changes both the hash and the fingerprint; the hash constraints come first
        assertFails(cc, tag, h, rho, Fingerprint.of(rho, s2), salt, s2, "hash/");
    }

    private static void assertFails(CompiledCircuit cc, Fr tag, Fr h, Fr rho, Fr y, Fr salt, Fr[] s, String label) {
        Assignment a = Assignment.builder().set("tag", tag).set("h", h).set("rho", rho).set("y", y)
                .set("salt", salt).set("S", s).build();
        WitnessException e = assertThrows(WitnessException.class, () -> cc.solve(a));
        assertTrue(e.getMessage().contains(label), e.getMessage());
    }

    @Test
    void constraintCountMatchesFormula() {
        for (int d : new int[] {16, 64}) {
            int blocks = (d + 2 + 15) / 16;
            // 204 S-boxes of 3 constraints per block, minus the first S-box on the constant capacity
            // lane, D - 1 Horner products and two equality checks
            assertEquals(612 * blocks - 3 + d - 1 + 2, Compiler.compile(new FingerprintStatement(d)).r1cs().numConstraints());
        }
    }

    @Test
    void rejectsBadSizes() {
        assertThrows(IllegalArgumentException.class, () -> new FingerprintStatement(0));
        assertThrows(IllegalArgumentException.class, () -> new FingerprintStatement(12));
        assertThrows(IllegalArgumentException.class, () -> new FingerprintStatement(1 << 21));
        assertThrows(IllegalArgumentException.class, () -> new FingerprintStatement(4).witness(Fr.ONE, Fr.ONE, new Fr[3], Fr.ONE));
    }
}
