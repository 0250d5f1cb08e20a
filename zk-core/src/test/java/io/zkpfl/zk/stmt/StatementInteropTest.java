package io.zkpfl.zk.stmt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zkpfl.zk.bn254.Fr;
import io.zkpfl.zk.frontend.CompiledCircuit;
import io.zkpfl.zk.frontend.Compiler;
import io.zkpfl.zk.frontend.Witness;
import io.zkpfl.zk.groth16.Groth16;
import io.zkpfl.zk.groth16.KeyPair;
import io.zkpfl.zk.groth16.Proof;
import io.zkpfl.zk.groth16.VerifyingKey;
import io.zkpfl.zk.marshal.SnarkjsJson;
import io.zkpfl.zk.r1cs.NodeTool;
import io.zkpfl.zk.r1cs.R1cs;
import io.zkpfl.zk.r1cs.R1csFile;
import io.zkpfl.zk.r1cs.WtnsFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stmt(D) through the iden3 files and snarkjs 0.7.6 (npm) as the independent reference, and
 * end to end through zk-core's Groth16.
 */
class StatementInteropTest {

    private static final SplittableRandom RND = new SplittableRandom(42);

    private record Instance(CompiledCircuit cc, Witness witness) {
    }

    private static Instance instance(int d) {
        FingerprintStatement st = new FingerprintStatement(d);
        CompiledCircuit cc = Compiler.compile(st);
        Fr[] s = new Fr[d];
        for (int i = 0; i < d; i++) {
            s[i] = Fr.random(RND);
        }
        return new Instance(cc, cc.solve(st.witness(Fr.random(RND), Fr.random(RND), s, Fr.random(RND))));
    }

    @Test
    void r1csAndWtnsRoundTripThroughOurReader(@TempDir Path dir) throws IOException {
        Instance in = instance(4);
        R1cs r = in.cc().r1cs();
        R1csFile.write(r, dir.resolve("s.r1cs"));
        R1cs back = R1csFile.read(dir.resolve("s.r1cs"));
        assertEquals(r.numWires(), back.numWires());
        assertEquals(r.numPublic(), back.numPublic());
        assertEquals(r.numPrivateInputs(), back.numPrivateInputs());
        assertEquals(r.numConstraints(), back.numConstraints());
        for (int i = 0; i < r.numConstraints(); i++) {
            assertEquals(r.a(i), back.a(i));
            assertEquals(r.b(i), back.b(i));
            assertEquals(r.c(i), back.c(i));
        }
        WtnsFile.write(in.witness().values(), dir.resolve("s.wtns"));
        assertArrayEquals(in.witness().values(), WtnsFile.read(dir.resolve("s.wtns")));
    }

    @Test
    void malformedFilesAreRejected(@TempDir Path dir) throws IOException {
        Instance in = instance(4);
        Path good = dir.resolve("s.r1cs");
        R1csFile.write(in.cc().r1cs(), good);
        byte[] bytes = Files.readAllBytes(good);

        Path bad = dir.resolve("bad.r1cs");
        byte[] magic = bytes.clone();
        magic[0] = 'x';
        Files.write(bad, magic);
        assertThrows(IOException.class, () -> R1csFile.read(bad));

        Files.write(bad, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        assertThrows(IOException.class, () -> R1csFile.read(bad));

        // first coefficient of the first constraint (after 12 + 12 + 64 + 12 bytes of headers, count and wire) set to 0xff..ff ≥ r
        byte[] coeff = bytes.clone();
        java.util.Arrays.fill(coeff, 12 + 12 + 64 + 12 + 4 + 4, 12 + 12 + 64 + 12 + 4 + 4 + 32, (byte) 0xff);
        Files.write(bad, coeff);
        assertTrue(assertThrows(IOException.class, () -> R1csFile.read(bad)).getMessage().contains("not below r"));

        byte[] wire = bytes.clone();
        java.util.Arrays.fill(wire, 12 + 12 + 64 + 12 + 4, 12 + 12 + 64 + 12 + 4 + 4, (byte) 0x7f);
        Files.write(bad, wire);
        assertTrue(assertThrows(IOException.class, () -> R1csFile.read(bad)).getMessage().contains("out of range"));

        Path w = dir.resolve("s.wtns");
        WtnsFile.write(in.witness().values(), w);
        byte[] wb = Files.readAllBytes(w);
        Files.write(bad, java.util.Arrays.copyOf(wb, wb.length - 5));
        assertThrows(IOException.class, () -> WtnsFile.read(bad));
    }

    @Test
    void snarkjsReadsOurR1csAndChecksOurWitness(@TempDir Path dir) throws IOException {
        Instance in = instance(8);
        R1cs r = in.cc().r1cs();
        R1csFile.write(r, dir.resolve("s.r1cs"));
        NodeTool.Result info = NodeTool.snarkjs(dir, "r1cs", "info", "s.r1cs");
        assertEquals(0, info.exitCode(), info.stderr() + info.stdout());
        String out = info.stdout();
        assertEquals(r.numWires(), field(out, "# of Wires"));
        assertEquals(r.numConstraints(), field(out, "# of Constraints"));
        assertEquals(9, field(out, "# of Private Inputs"));
        assertEquals(4, field(out, "# of Public Inputs"));
        assertEquals(0, field(out, "# of Outputs"));

        WtnsFile.write(in.witness().values(), dir.resolve("s.wtns"));
        NodeTool.Result check = NodeTool.snarkjs(dir, "wtns", "check", "s.r1cs", "s.wtns");
        assertEquals(0, check.exitCode(), check.stderr() + check.stdout());
        assertTrue(check.stdout().contains("WITNESS IS CORRECT"), check.stdout());

        Fr[] forged = in.witness().values();
        forged[2] = forged[2].add(Fr.ONE); // h
        WtnsFile.write(forged, dir.resolve("bad.wtns"));
        NodeTool.Result badCheck = NodeTool.snarkjs(dir, "wtns", "check", "s.r1cs", "bad.wtns");
        assertFalse(badCheck.stdout().contains("WITNESS IS CORRECT"), badCheck.stdout());
    }

    private static int field(String out, String name) {
        Matcher m = Pattern.compile(Pattern.quote(name) + ":\\s*(\\d+)").matcher(out);
        assertTrue(m.find(), "snarkjs output lacks " + name + ": " + out);
        return Integer.parseInt(m.group(1));
    }

    @Test
    void snarkjsProvesOurR1csWithOurWitnessAndOurVerifierAcceptsIt(@TempDir Path dir) throws IOException {
        Instance in = instance(4);
        R1cs r = in.cc().r1cs();
        R1csFile.write(r, dir.resolve("s.r1cs"));
        WtnsFile.write(in.witness().values(), dir.resolve("s.wtns"));
        Path ptau = NodeTool.preparedPtau(10);
        NodeTool.snarkjsChecked(dir, "groth16", "setup", "s.r1cs", ptau.toString(), "s.zkey");
        NodeTool.snarkjsChecked(dir, "zkey", "export", "verificationkey", "s.zkey", "vk.json");
        NodeTool.snarkjsChecked(dir, "groth16", "prove", "s.zkey", "s.wtns", "proof.json", "public.json");
        NodeTool.snarkjsChecked(dir, "groth16", "verify", "vk.json", "public.json", "proof.json");

        VerifyingKey vk = SnarkjsJson.parseVerificationKey(Files.readString(dir.resolve("vk.json")));
        Proof proof = SnarkjsJson.parseProof(Files.readString(dir.resolve("proof.json")));
        Fr[] pub = SnarkjsJson.parsePublicSignals(Files.readString(dir.resolve("public.json")));
        assertArrayEquals(in.witness().publicInputs(), pub);
        assertTrue(Groth16.verify(vk, pub, proof));
        for (int k = 0; k < pub.length; k++) {
            Fr[] changed = pub.clone();
            changed[k] = changed[k].add(Fr.ONE);
            assertFalse(Groth16.verify(vk, changed, proof), "changed public input " + k);
        }
    }

    @Test
    void endToEndWithZkCoreGroth16AndSnarkjsVerify(@TempDir Path dir) throws IOException {
        Instance in = instance(8);
        R1cs r = in.cc().r1cs();
        KeyPair keys = Groth16.setup(r, new SplittableRandom(1));
        Proof proof = Groth16.prove(keys.provingKey(), r, in.witness().values(), new SplittableRandom(2));
        Fr[] pub = in.witness().publicInputs();
        assertTrue(Groth16.verify(keys.verifyingKey(), pub, proof));
        String[] names = {"tag", "h", "rho", "y"};
        for (int k = 0; k < pub.length; k++) {
            Fr[] changed = pub.clone();
            changed[k] = changed[k].add(Fr.ONE);
            assertFalse(Groth16.verify(keys.verifyingKey(), changed, proof), "changed " + names[k]);
        }
        Files.writeString(dir.resolve("vk.json"), SnarkjsJson.verificationKey(keys.verifyingKey()));
        Files.writeString(dir.resolve("proof.json"), SnarkjsJson.proof(proof));
        Files.writeString(dir.resolve("public.json"), SnarkjsJson.publicSignals(pub));
        NodeTool.snarkjsChecked(dir, "groth16", "verify", "vk.json", "public.json", "proof.json");
        Fr[] changed = pub.clone();
        changed[3] = changed[3].add(Fr.ONE);
        Files.writeString(dir.resolve("public.json"), SnarkjsJson.publicSignals(changed));
        NodeTool.Result bad = NodeTool.snarkjs(dir, "groth16", "verify", "vk.json", "public.json", "proof.json");
        assertFalse(bad.exitCode() == 0 && bad.stdout().contains("OK!"), bad.stdout());
    }

}
