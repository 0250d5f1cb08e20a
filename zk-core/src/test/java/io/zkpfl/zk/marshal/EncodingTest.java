package io.zkpfl.zk.marshal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zkpfl.zk.bn254.Fp;
import io.zkpfl.zk.bn254.Fr;
import io.zkpfl.zk.bn254.G1;
import io.zkpfl.zk.groth16.Groth16;
import io.zkpfl.zk.groth16.KeyPair;
import io.zkpfl.zk.groth16.Proof;
import io.zkpfl.zk.groth16.ProvingKey;
import io.zkpfl.zk.groth16.TinyCircuits;
import io.zkpfl.zk.groth16.VerifyingKey;
import io.zkpfl.zk.r1cs.R1cs;
import io.zkpfl.zk.solidity.SolidityVerifier;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Binary and snarkjs-JSON round trips, and rejection of malformed input with clear errors. */
class EncodingTest {

    private static final SplittableRandom RNG = new SplittableRandom(77);
    private static R1cs r1cs;
    private static KeyPair keys;
    private static Proof proof;
    private static Fr[] pub;

    @BeforeAll
    static void setUp() {
        r1cs = TinyCircuits.chain(4);
        keys = Groth16.setup(r1cs, RNG);
        Fr[] w = TinyCircuits.chainWitness(2, 9, 4, 1, 4);
        pub = TinyCircuits.publicOf(w, 3);
        proof = Groth16.prove(keys.provingKey(), r1cs, w, RNG);
    }

    @Test
    void binaryRoundTrips() {
        byte[] p = BinaryFormat.encode(proof);
        assertEquals(264, p.length);
        Proof back = BinaryFormat.decodeProof(p);
        assertEquals(proof, back);
        VerifyingKey vk = BinaryFormat.decodeVerifyingKey(BinaryFormat.encode(keys.verifyingKey()));
        assertEquals(keys.verifyingKey(), vk);
        assertTrue(Groth16.verify(vk, pub, back));
        byte[] pkBytes = BinaryFormat.encode(keys.provingKey());
        ProvingKey pk = BinaryFormat.decodeProvingKey(pkBytes);
        assertArrayEquals(pkBytes, BinaryFormat.encode(pk));
        Fr[] w = TinyCircuits.chainWitness(3, 3, 3, 3, 4);
        assertTrue(Groth16.verify(vk, TinyCircuits.publicOf(w, 3), Groth16.prove(pk, r1cs, w, RNG)));
    }

    @Test
    void malformedBinaryIsRejected() {
        byte[] p = BinaryFormat.encode(proof);
        assertThrows(IllegalArgumentException.class, () -> BinaryFormat.decodeProof(Arrays.copyOf(p, p.length - 1)));
        assertThrows(IllegalArgumentException.class, () -> BinaryFormat.decodeProof(Arrays.copyOf(p, p.length + 1)));
        assertThrows(IllegalArgumentException.class, () -> BinaryFormat.decodeProof(new byte[3]));
        assertThrows(IllegalArgumentException.class, () -> BinaryFormat.decodeProof(null));
        byte[] magic = p.clone();
        magic[0] = 'X';
        assertThrows(IllegalArgumentException.class, () -> BinaryFormat.decodeProof(magic));
        byte[] version = p.clone();
        version[5] = 9;
        assertThrows(IllegalArgumentException.class, () -> BinaryFormat.decodeProof(version));
        byte[] vkBytes = BinaryFormat.encode(keys.verifyingKey());
        assertThrows(IllegalArgumentException.class, () -> BinaryFormat.decodeProof(vkBytes));
        // A.y flipped: off the curve
        byte[] offCurve = p.clone();
        offCurve[8 + 63] ^= 1;
        assertThrows(IllegalArgumentException.class, () -> BinaryFormat.decodeProof(offCurve));
        // A.x = p: coordinate not below the modulus
        byte[] big = p.clone();
        byte[] pBytes = Fp.MODULUS.toByteArray();
        System.arraycopy(pBytes, pBytes.length - 32, big, 8, 32);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BinaryFormat.decodeProof(big));
        assertTrue(e.getMessage().contains("modulus"), e.getMessage());
        // B flipped
        byte[] badB = p.clone();
        badB[8 + 64 + 127] ^= 1;
        assertThrows(IllegalArgumentException.class, () -> BinaryFormat.decodeProof(badB));
        // a verifying key claiming 2^20 public inputs but carrying four is refused before allocating
        byte[] hugeCount = vkBytes.clone();
        hugeCount[8] = 0;
        hugeCount[9] = 0x10;
        assertThrows(IllegalArgumentException.class, () -> BinaryFormat.decodeVerifyingKey(hugeCount));
        byte[] negCount = vkBytes.clone();
        negCount[8] = (byte) 0xff;
        assertThrows(IllegalArgumentException.class, () -> BinaryFormat.decodeVerifyingKey(negCount));
        byte[] pk = BinaryFormat.encode(keys.provingKey());
        assertThrows(IllegalArgumentException.class, () -> BinaryFormat.decodeProvingKey(Arrays.copyOf(pk, pk.length - 64)));
    }

    @Test
    void solidityGeneratorRejectsBadNamesAndKeysWithoutPublicInputs() {
        String src = SolidityVerifier.generate(keys.verifyingKey(), "Stmt_Verifier1");
        assertTrue(src.contains("contract Stmt_Verifier1"));
        assertTrue(src.contains("uint256[3] calldata input"));
        assertTrue(src.contains(keys.verifyingKey().ic(3).affineX().toString()));
        assertThrows(IllegalArgumentException.class, () -> SolidityVerifier.generate(keys.verifyingKey(), "1Bad"));
        assertThrows(IllegalArgumentException.class,
                () -> SolidityVerifier.generate(keys.verifyingKey(), "A; contract B"));
        VerifyingKey noPublic = new VerifyingKey(keys.verifyingKey().alpha1(), keys.verifyingKey().beta2(),
                keys.verifyingKey().gamma2(), keys.verifyingKey().delta2(), new G1[] {keys.verifyingKey().ic(0)});
        assertThrows(IllegalArgumentException.class, () -> SolidityVerifier.generate(noPublic, "V"));
    }

    @Test
    void snarkjsJsonRoundTripsAndRejectsMalformedInput() {
        VerifyingKey vk = SnarkjsJson.parseVerificationKey(SnarkjsJson.verificationKey(keys.verifyingKey()));
        assertEquals(keys.verifyingKey(), vk);
        Proof p = SnarkjsJson.parseProof(SnarkjsJson.proof(proof));
        assertEquals(proof, p);
        assertArrayEquals(pub, SnarkjsJson.parsePublicSignals(SnarkjsJson.publicSignals(pub)));
        assertTrue(Groth16.verify(vk, pub, p));

        String pj = SnarkjsJson.proof(proof);
        assertThrows(IllegalArgumentException.class, () -> SnarkjsJson.parseProof("{"));
        assertThrows(IllegalArgumentException.class, () -> SnarkjsJson.parseProof(""));
        assertThrows(IllegalArgumentException.class, () -> SnarkjsJson.parseProof("[]"));
        assertThrows(IllegalArgumentException.class, () -> SnarkjsJson.parseProof(pj.replace("groth16", "plonk")));
        assertThrows(IllegalArgumentException.class, () -> SnarkjsJson.parseProof(pj.replace("bn128", "bls12381")));
        String ax = proof.a().affineX().toString();
        assertThrows(IllegalArgumentException.class, () -> SnarkjsJson.parseProof(pj.replace(ax, Fp.MODULUS.toString())));
        assertThrows(IllegalArgumentException.class, () -> SnarkjsJson.parseProof(pj.replace(ax, "-1")));
        assertThrows(IllegalArgumentException.class, () -> SnarkjsJson.parseProof(pj.replace(ax, "12345")));
        assertThrows(IllegalArgumentException.class, () -> SnarkjsJson.parsePublicSignals("[\"" + Fr.MODULUS + "\"]"));
        assertThrows(IllegalArgumentException.class, () -> SnarkjsJson.parsePublicSignals("[\"0x10\"]"));
        assertThrows(IllegalArgumentException.class, () -> SnarkjsJson.parsePublicSignals("{}"));
        assertThrows(IllegalArgumentException.class, () -> SnarkjsJson.parsePublicSignals("x".repeat(5_000_000)));
        String vj = SnarkjsJson.verificationKey(keys.verifyingKey());
        assertThrows(IllegalArgumentException.class,
                () -> SnarkjsJson.parseVerificationKey(vj.replace("\"nPublic\" : 3", "\"nPublic\" : 4")));
        assertEquals(G1.INFINITY, SnarkjsJson.parseProof(SnarkjsJson.proof(new Proof(G1.INFINITY, proof.b(), proof.c()))).a());
    }
}
