package io.zkpfl.zk.groth16;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zkpfl.zk.bn254.Fr;
import io.zkpfl.zk.bn254.G1;
import io.zkpfl.zk.bn254.G2;
import io.zkpfl.zk.r1cs.R1cs;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Groth16 set-up, prove and verify on hand-built systems, with the usual forgeries. */
class Groth16Test {

    private static final SplittableRandom RNG = new SplittableRandom(0xC0FFEE);
    private static R1cs cubic;
    private static KeyPair keys;

    @BeforeAll
    static void setUp() {
        cubic = TinyCircuits.cubic();
        keys = Groth16.setup(cubic, RNG);
    }

    @Test
    void honestProofVerifies() {
        Fr[] w = TinyCircuits.cubicWitness(3);
        Proof p = Groth16.prove(keys.provingKey(), cubic, w, RNG);
        assertTrue(Groth16.verify(keys.verifyingKey(), new Fr[] {Fr.of(35)}, p));
        // fresh blinding gives a different proof that still verifies
        Proof q = Groth16.prove(keys.provingKey(), cubic, w, RNG);
        assertFalse(p.a().equals(q.a()));
        assertTrue(Groth16.verify(keys.verifyingKey(), new Fr[] {Fr.of(35)}, q));
    }

    @Test
    void changedPublicInputIsRejected() {
        Proof p = Groth16.prove(keys.provingKey(), cubic, TinyCircuits.cubicWitness(3), RNG);
        assertFalse(Groth16.verify(keys.verifyingKey(), new Fr[] {Fr.of(36)}, p));
    }

    @Test
    void tamperedProofIsRejected() {
        Proof p = Groth16.prove(keys.provingKey(), cubic, TinyCircuits.cubicWitness(5), RNG);
        Fr[] pub = {Fr.of(135)};
        assertTrue(Groth16.verify(keys.verifyingKey(), pub, p));
        assertFalse(Groth16.verify(keys.verifyingKey(), pub, new Proof(p.a().add(G1.GENERATOR), p.b(), p.c())));
        assertFalse(Groth16.verify(keys.verifyingKey(), pub, new Proof(p.a(), p.b().dbl(), p.c())));
        assertFalse(Groth16.verify(keys.verifyingKey(), pub, new Proof(p.a(), p.b(), p.c().neg())));
        assertFalse(Groth16.verify(keys.verifyingKey(), pub, new Proof(p.c(), p.b(), p.a())));
        assertFalse(Groth16.verify(keys.verifyingKey(), pub, new Proof(G1.INFINITY, G2.INFINITY, G1.INFINITY)));
    }

    @Test
    void proofForAnotherSetupOrCircuitIsRejected() {
        KeyPair other = Groth16.setup(cubic, RNG);
        Proof p = Groth16.prove(other.provingKey(), cubic, TinyCircuits.cubicWitness(3), RNG);
        assertTrue(Groth16.verify(other.verifyingKey(), new Fr[] {Fr.of(35)}, p));
        assertFalse(Groth16.verify(keys.verifyingKey(), new Fr[] {Fr.of(35)}, p));

        R1cs chain = TinyCircuits.chain(3);
        KeyPair chainKeys = Groth16.setup(chain, RNG);
        Fr[] w = TinyCircuits.chainWitness(2, 3, 4, 5, 3);
        Proof cp = Groth16.prove(chainKeys.provingKey(), chain, w, RNG);
        Fr[] pub = TinyCircuits.publicOf(w, 3);
        assertTrue(Groth16.verify(chainKeys.verifyingKey(), pub, cp));
        // the cubic key expects one public input
        assertThrows(IllegalArgumentException.class, () -> Groth16.verify(keys.verifyingKey(), pub, cp));
        assertFalse(Groth16.verify(keys.verifyingKey(), new Fr[] {Fr.of(35)}, cp));
        // a key made for another system cannot prove this one
        assertThrows(IllegalArgumentException.class,
                () -> Groth16.prove(keys.provingKey(), chain, w, RNG));
    }

    @Test
    void badWitnessAndMalformedInputAreClearErrors() {
        Fr[] w = TinyCircuits.cubicWitness(3);
        w[1] = Fr.of(36);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Groth16.prove(keys.provingKey(), cubic, w, RNG));
        assertTrue(e.getMessage().contains("constraint 2"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> Groth16.prove(keys.provingKey(), cubic, new Fr[3], RNG));
        Fr[] nullEntry = TinyCircuits.cubicWitness(3);
        nullEntry[2] = null;
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> Groth16.prove(keys.provingKey(), cubic, nullEntry, RNG)).getMessage().contains("null"));
        Fr[] notOne = TinyCircuits.cubicWitness(3);
        notOne[0] = Fr.of(2);
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> Groth16.prove(keys.provingKey(), cubic, notOne, RNG)).getMessage().contains("witness[0]"));
        Proof p = Groth16.prove(keys.provingKey(), cubic, TinyCircuits.cubicWitness(3), RNG);
        assertThrows(IllegalArgumentException.class, () -> Groth16.verify(keys.verifyingKey(), new Fr[0], p));
        assertThrows(IllegalArgumentException.class,
                () -> Groth16.verify(keys.verifyingKey(), new Fr[] {Fr.ONE, Fr.ONE}, p));
        assertThrows(IllegalArgumentException.class, () -> Groth16.verify(keys.verifyingKey(), null, p));
        // B on the twist but outside the order-r subgroup
        Proof badB = new Proof(p.a(), io.zkpfl.zk.bn254.CurveTest.nonSubgroupPoint(), p.c());
        IllegalArgumentException sub = assertThrows(IllegalArgumentException.class,
                () -> Groth16.verify(keys.verifyingKey(), new Fr[] {Fr.of(35)}, badB));
        assertTrue(sub.getMessage().contains("subgroup"), sub.getMessage());
    }

    @Test
    void largerSystemUsesParallelPathsAndVerifies() {
        int extra = 300;
        R1cs chain = TinyCircuits.chain(extra);
        KeyPair k = Groth16.setup(chain, RNG);
        Fr[] w = TinyCircuits.chainWitness(11, 13, 17, 19, extra);
        Proof p = Groth16.prove(k.provingKey(), chain, w, RNG);
        assertTrue(Groth16.verify(k.verifyingKey(), TinyCircuits.publicOf(w, 3), p));
    }
}
