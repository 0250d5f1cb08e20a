package io.zkpfl.zk.marshal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zkpfl.zk.bn254.Fr;
import io.zkpfl.zk.groth16.Groth16;
import io.zkpfl.zk.groth16.KeyPair;
import io.zkpfl.zk.groth16.Proof;
import io.zkpfl.zk.groth16.TinyCircuits;
import io.zkpfl.zk.groth16.VerifyingKey;
import io.zkpfl.zk.r1cs.NodeTool;
import io.zkpfl.zk.r1cs.R1cs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Interop with snarkjs 0.7.6 (npm) as the independent reference, in both directions. */
class SnarkjsInteropTest {

    private static final SplittableRandom RNG = new SplittableRandom(1234);

    @Test
    void ourProofVerifiesWithSnarkjsAndTamperingIsCaught(@TempDir Path dir) throws Exception {
        R1cs r = TinyCircuits.chain(2);
        KeyPair keys = Groth16.setup(r, RNG);
        Fr[] w = TinyCircuits.chainWitness(3, 5, 7, 2, 2);
        Fr[] pub = TinyCircuits.publicOf(w, 3);
        Proof p = Groth16.prove(keys.provingKey(), r, w, RNG);
        Files.writeString(dir.resolve("vk.json"), SnarkjsJson.verificationKey(keys.verifyingKey()));
        Files.writeString(dir.resolve("proof.json"), SnarkjsJson.proof(p));
        Files.writeString(dir.resolve("public.json"), SnarkjsJson.publicSignals(pub));
        NodeTool.Result ok = NodeTool.snarkjs(dir, "groth16", "verify", "vk.json", "public.json", "proof.json");
        assertEquals(0, ok.exitCode(), ok.output());
        assertTrue(ok.output().contains("OK"), ok.output());

        Fr[] changed = pub.clone();
        changed[2] = changed[2].add(Fr.ONE);
        Files.writeString(dir.resolve("public.json"), SnarkjsJson.publicSignals(changed));
        NodeTool.Result bad = NodeTool.snarkjs(dir, "groth16", "verify", "vk.json", "public.json", "proof.json");
        assertNotEquals(0, bad.exitCode(), bad.output());
        assertTrue(bad.output().contains("Invalid proof"), bad.output());
    }

    @Test
    void snarkjsProofVerifiesWithOurVerifierAfterImport(@TempDir Path dir) throws Exception {
        R1cs r = TinyCircuits.cubic();
        Iden3Files.writeR1cs(r, dir.resolve("c.r1cs"));
        Fr[] w = TinyCircuits.cubicWitness(4);
        Iden3Files.writeWtns(w, dir.resolve("c.wtns"));
        run(dir, "groth16", "setup", "c.r1cs", NodeTool.preparedPtau(4).toString(), "c.zkey");
        run(dir, "zkey", "export", "verificationkey", "c.zkey", "vk.json");
        run(dir, "groth16", "prove", "c.zkey", "c.wtns", "proof.json", "public.json");

        VerifyingKey vk = SnarkjsJson.parseVerificationKey(Files.readString(dir.resolve("vk.json")));
        Proof p = SnarkjsJson.parseProof(Files.readString(dir.resolve("proof.json")));
        Fr[] pub = SnarkjsJson.parsePublicSignals(Files.readString(dir.resolve("public.json")));
        assertArrayEquals(new Fr[] {Fr.of(4 * 4 * 4 + 4 + 5)}, pub);
        assertTrue(Groth16.verify(vk, pub, p));
        assertFalse(Groth16.verify(vk, new Fr[] {pub[0].add(Fr.ONE)}, p));
        assertFalse(Groth16.verify(vk, pub, new Proof(p.a(), p.b(), p.c().dbl())));
        // and back: our export of snarkjs' key still verifies with snarkjs
        Files.writeString(dir.resolve("vk2.json"), SnarkjsJson.verificationKey(vk));
        Files.writeString(dir.resolve("proof2.json"), SnarkjsJson.proof(p));
        NodeTool.Result again = NodeTool.snarkjs(dir, "groth16", "verify", "vk2.json", "public.json", "proof2.json");
        assertEquals(0, again.exitCode(), again.output());
    }

    private static void run(Path dir, String... args) throws Exception {
        NodeTool.Result res = NodeTool.snarkjs(dir, args);
        assertEquals(0, res.exitCode(), String.join(" ", args) + "\n" + res.output());
    }
}
