package io.zkpfl.zk.stmt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zkpfl.zk.bn254.Fr;
import io.zkpfl.zk.frontend.Assignment;
import io.zkpfl.zk.frontend.CompiledCircuit;
import io.zkpfl.zk.frontend.Compiler;
import io.zkpfl.zk.frontend.Witness;
import io.zkpfl.zk.frontend.WitnessException;
import io.zkpfl.zk.groth16.Groth16;
import io.zkpfl.zk.groth16.KeyPair;
import io.zkpfl.zk.groth16.Proof;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SharesStatementTest {

    private static Fr[][] shares(SplittableRandom rnd, int m, int d) {
        Fr[][] s = new Fr[m][d];
        for (int k = 0; k < m; k++) {
            for (int j = 0; j < d; j++) {
                s[k][j] = Fr.random(rnd);
            }
        }
        return s;
    }

    private static Fr[] salts(SplittableRandom rnd, int m) {
        Fr[] s = new Fr[m];
        for (int k = 0; k < m; k++) {
            s[k] = Fr.random(rnd);
        }
        return s;
    }

    @Test
    void eachShareCarriesTheValuesOfItsOwnStmtInstance() {
        SplittableRandom rnd = new SplittableRandom(11);
        for (int[] dm : new int[][] {{4, 1}, {4, 3}, {8, 5}}) {
            int d = dm[0];
            int m = dm[1];
            SharesStatement st = new SharesStatement(d, m);
            CompiledCircuit cc = Compiler.compile(st);
            Fr[][] s = shares(rnd, m, d);
            Fr[] salt = salts(rnd, m);
            Fr tag = Fr.random(rnd);
            Fr rho = Fr.random(rnd);
            Witness w = cc.solve(st.witness(tag, salt, s, rho));
            assertTrue(cc.r1cs().isSatisfied(w.values()));
            assertEquals(2 + 2 * m, cc.r1cs().numPublic());
            Fr[] pub = w.publicInputs();
            assertEquals(tag, pub[0]);
            assertEquals(rho, pub[1]);
            // reference: an independent Stmt(D) circuit solved for share k under tag + k
            FingerprintStatement single = new FingerprintStatement(d);
            CompiledCircuit sc = Compiler.compile(single);
            for (int k = 1; k <= m; k++) {
                Fr tagK = tag.add(Fr.of(k));
                Fr[] one = sc.solve(single.witness(tagK, salt[k - 1], s[k - 1], rho)).publicInputs();
                assertArrayEquals(new Fr[] {tagK, pub[1 + k], rho, pub[1 + m + k]}, one, "share " + k);
            }
        }
    }

    @Test
    void costsExactlyMTimesStmt() {
        for (int[] dm : new int[][] {{16, 3}, {64, 2}}) {
            int single = Compiler.compile(new FingerprintStatement(dm[0])).r1cs().numConstraints();
            assertEquals(dm[1] * single, Compiler.compile(new SharesStatement(dm[0], dm[1])).r1cs().numConstraints());
        }
    }

    @Test
    void rejectsAChangedCommitmentFingerprintTagOrChallengeInTheRightShare() {
        SplittableRandom rnd = new SplittableRandom(12);
        int d = 4;
        int m = 3;
        SharesStatement st = new SharesStatement(d, m);
        CompiledCircuit cc = Compiler.compile(st);
        Fr[][] s = shares(rnd, m, d);
        Fr[] salt = salts(rnd, m);
        Fr tag = Fr.random(rnd);
        Fr rho = Fr.random(rnd);
        Fr[] c = new Fr[m];
        Fr[] y = new Fr[m];
        for (int k = 0; k < m; k++) {
            c[k] = io.zkpfl.zk.std.poseidon.PoseidonSponge.commit(tag.add(Fr.of(k + 1)), salt[k], s[k]);
            y[k] = Fingerprint.of(rho, s[k]);
        }
        for (int k = 0; k < m; k++) {
            Fr[] c2 = c.clone();
            c2[k] = c2[k].add(Fr.ONE);
            assertFails(cc, tag, rho, c2, y, salt, s, "share" + (k + 1) + "/hash/");
            Fr[] y2 = y.clone();
            y2[k] = y2[k].add(Fr.ONE);
            assertFails(cc, tag, rho, c, y2, salt, s, "share" + (k + 1) + "/fingerprint/");
        }
        // swapping two shares (with their commitments and fingerprints) breaks the per-share tags
        Fr[][] swapped = {s[1], s[0], s[2]};
        Fr[] cs = {c[1], c[0], c[2]};
        Fr[] ys = {y[1], y[0], y[2]};
        Fr[] saltSwapped = {salt[1], salt[0], salt[2]};
        assertFails(cc, tag, rho, cs, ys, saltSwapped, swapped, "share1/hash/");
        assertFails(cc, tag.add(Fr.ONE), rho, c, y, salt, s, "share1/hash/");
        assertFails(cc, tag, rho.add(Fr.ONE), c, y, salt, s, "share1/fingerprint/");
    }

    private static void assertFails(CompiledCircuit cc, Fr tag, Fr rho, Fr[] c, Fr[] y, Fr[] salt, Fr[][] s,
                                    String label) {
        Assignment.Builder b = Assignment.builder().set("tag", tag).set("rho", rho).set("c", c).set("y", y)
                .set("salt", salt);
        for (int k = 0; k < s.length; k++) {
            b.set("S" + (k + 1), s[k]);
        }
        WitnessException e = assertThrows(WitnessException.class, () -> cc.solve(b.build()));
        assertTrue(e.getMessage().contains(label), e.getMessage());
    }

    @Test
    void aGroth16ProofVerifiesOnlyWithItsOwnPublicInputs() {
        SplittableRandom rnd = new SplittableRandom(13);
        SharesStatement st = new SharesStatement(4, 3);
        CompiledCircuit cc = Compiler.compile(st);
        KeyPair keys = Groth16.setup(cc.r1cs(), rnd);
        Witness w = cc.solve(st.witness(Fr.random(rnd), salts(rnd, 3), shares(rnd, 3, 4), Fr.random(rnd)));
        Proof proof = Groth16.prove(keys.provingKey(), cc.r1cs(), w.values(), rnd);
        Fr[] pub = w.publicInputs();
        assertTrue(Groth16.verify(keys.verifyingKey(), pub, proof));
        for (int i = 0; i < pub.length; i++) {
            Fr[] changed = pub.clone();
            changed[i] = changed[i].add(Fr.ONE);
            assertFalse(Groth16.verify(keys.verifyingKey(), changed, proof), "input " + i);
        }
    }

    @Test
    void rejectsBadShapes() {
        assertThrows(IllegalArgumentException.class, () -> new SharesStatement(12, 3));
        assertThrows(IllegalArgumentException.class, () -> new SharesStatement(4, 0));
        assertThrows(IllegalArgumentException.class, () -> new SharesStatement(4, 17));
        SharesStatement st = new SharesStatement(4, 2);
        Fr[] two = {Fr.ONE, Fr.ONE};
        assertThrows(IllegalArgumentException.class, () -> st.witness(Fr.ONE, two, new Fr[3][4], Fr.ONE));
        assertThrows(IllegalArgumentException.class, () -> st.witness(Fr.ONE, two, new Fr[][] {new Fr[4], new Fr[3]},
                Fr.ONE));
    }
}
