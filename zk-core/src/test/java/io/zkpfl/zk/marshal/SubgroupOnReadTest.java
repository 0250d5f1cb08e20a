package io.zkpfl.zk.marshal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zkpfl.zk.bn254.CurveTest;
import io.zkpfl.zk.bn254.Fr;
import io.zkpfl.zk.bn254.G2;
import io.zkpfl.zk.groth16.Groth16;
import io.zkpfl.zk.groth16.KeyPair;
import io.zkpfl.zk.groth16.Proof;
import io.zkpfl.zk.groth16.TinyCircuits;
import io.zkpfl.zk.groth16.VerifyingKey;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Every reader of G2 points (binary proofs and keys, snarkjs JSON) rejects twist points outside G2. */
class SubgroupOnReadTest {

    private static final SplittableRandom RNG = new SplittableRandom(77);

    @Test
    void readersRejectG2PointsOutsideTheSubgroupAndAcceptGoodOnes() {
        KeyPair k = Groth16.setup(TinyCircuits.cubic(), RNG);
        VerifyingKey vk = k.verifyingKey();
        Proof p = Groth16.prove(k.provingKey(), TinyCircuits.cubic(), TinyCircuits.cubicWitness(2), RNG);
        G2 bad = CurveTest.nonSubgroupPoint();

        Proof badProof = new Proof(p.a(), bad, p.c());
        assertSubgroupError(() -> BinaryFormat.decodeProof(BinaryFormat.encode(badProof)));
        assertSubgroupError(() -> SnarkjsJson.parseProof(SnarkjsJson.proof(badProof)));
        assertEquals(p, BinaryFormat.decodeProof(BinaryFormat.encode(p)));
        assertEquals(p, SnarkjsJson.parseProof(SnarkjsJson.proof(p)));

        VerifyingKey[] badKeys = {
            new VerifyingKey(vk.alpha1(), bad, vk.gamma2(), vk.delta2(), vk.ic()),
            new VerifyingKey(vk.alpha1(), vk.beta2(), bad, vk.delta2(), vk.ic()),
            new VerifyingKey(vk.alpha1(), vk.beta2(), vk.gamma2(), bad, vk.ic())};
        for (VerifyingKey b : badKeys) {
            assertSubgroupError(() -> BinaryFormat.decodeVerifyingKey(BinaryFormat.encode(b)));
            assertSubgroupError(() -> SnarkjsJson.parseVerificationKey(SnarkjsJson.verificationKey(b)));
        }
        assertEquals(vk, BinaryFormat.decodeVerifyingKey(BinaryFormat.encode(vk)));
        assertEquals(vk, SnarkjsJson.parseVerificationKey(SnarkjsJson.verificationKey(vk)));
        // a subgroup point shifted by a twist point is caught as well
        G2 shifted = G2.GENERATOR.mul(Fr.random(RNG)).add(bad);
        assertSubgroupError(() -> BinaryFormat.decodeProof(BinaryFormat.encode(new Proof(p.a(), shifted, p.c()))));
    }

    private static void assertSubgroupError(Runnable r) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
        assertTrue(e.getMessage().contains("subgroup"), e.getMessage());
    }
}
