package io.zkpfl.zk.solidity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.zkpfl.zk.bn254.Fr;
import io.zkpfl.zk.groth16.Groth16;
import io.zkpfl.zk.groth16.KeyPair;
import io.zkpfl.zk.groth16.Proof;
import io.zkpfl.zk.groth16.TinyCircuits;
import io.zkpfl.zk.groth16.VerifyingKey;
import io.zkpfl.zk.marshal.Iden3Files;
import io.zkpfl.zk.marshal.SnarkjsJson;
import io.zkpfl.zk.r1cs.NodeTool;
import io.zkpfl.zk.r1cs.R1cs;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.DynamicArray;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.protocol.core.methods.response.EthCall;

/**
 * The generated Solidity verifier on a real Anvil chain: valid proofs pass, tampered ones fail,
 * malformed input reverts with a reason, batches behave, and gas is compared with snarkjs' verifier.
 */
class SolidityVerifierIT {

    private static final SplittableRandom RNG = new SplittableRandom(4242);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static EvmHarness evm;

    @TempDir
    static Path dir;

    private static R1cs r1cs;
    private static KeyPair keys;
    private static String verifier;

    @BeforeAll
    static void start() throws Exception {
        evm = new EvmHarness(dir);
        r1cs = TinyCircuits.chain(3);
        keys = Groth16.setup(r1cs, RNG);
        verifier = evm.deploy(SolidityVerifier.generate(keys.verifyingKey(), "ChainVerifier"), "ChainVerifier");
    }

    @AfterAll
    static void stop() {
        if (evm != null) {
            evm.close();
        }
    }

    private record Instance(Proof proof, Fr[] pub) {
    }

    private static Instance instance(long seed) {
        Fr[] w = TinyCircuits.chainWitness(seed, seed + 1, seed + 2, seed + 3, 3);
        return new Instance(Groth16.prove(keys.provingKey(), r1cs, w, RNG), TinyCircuits.publicOf(w, 3));
    }

    @Test
    void verifyProofAcceptsValidAndRejectsTampered() throws Exception {
        Instance ok = instance(10);
        assertTrue(Groth16.verify(keys.verifyingKey(), ok.pub(), ok.proof()));
        assertEquals(Boolean.TRUE, evm.callBool(verifier, verifyProofData(Calldata.of(ok.proof(), ok.pub()))));

        Fr[] changed = ok.pub().clone();
        changed[0] = changed[0].add(Fr.ONE);
        assertEquals(Boolean.FALSE, evm.callBool(verifier, verifyProofData(Calldata.of(ok.proof(), changed))));
        Proof tampered = new Proof(ok.proof().a(), ok.proof().b(), ok.proof().c().dbl());
        assertEquals(Boolean.FALSE, evm.callBool(verifier, verifyProofData(Calldata.of(tampered, ok.pub()))));

        KeyPair other = Groth16.setup(r1cs, RNG);
        Fr[] w = TinyCircuits.chainWitness(10, 11, 12, 13, 3);
        Proof foreign = Groth16.prove(other.provingKey(), r1cs, w, RNG);
        assertEquals(Boolean.FALSE, evm.callBool(verifier, verifyProofData(Calldata.of(foreign, ok.pub()))));
    }

    @Test
    void malformedInputRevertsWithReason() throws Exception {
        Instance ok = instance(20);
        Calldata cd = Calldata.of(ok.proof(), ok.pub());
        BigInteger[] tooBig = cd.input().clone();
        tooBig[1] = tooBig[1].add(Fr.MODULUS);
        EthCall r1 = evm.call(verifier, verifyProofData(new Calldata(cd.a(), cd.b(), cd.c(), tooBig)));
        EvmHarness.assertReverted(r1, "public input not below r");

        BigInteger[] a = cd.a().clone();
        a[0] = a[0].add(io.zkpfl.zk.bn254.Fp.MODULUS);
        EvmHarness.assertReverted(evm.call(verifier, verifyProofData(new Calldata(a, cd.b(), cd.c(), cd.input()))), "coordinate not below p");

        BigInteger[] offCurve = cd.c().clone();
        offCurve[1] = offCurve[1].add(BigInteger.ONE);
        EvmHarness.assertReverted(evm.call(verifier, verifyProofData(new Calldata(cd.a(), cd.b(), offCurve, cd.input()))),
                "pairing precompile rejected a point");

        BigInteger[] proofs = Calldata.batchProofs(List.of(ok.proof()));
        BigInteger[] inputs = Calldata.batchInputs(List.<Fr[]>of(ok.pub()));
        EvmHarness.assertReverted(evm.call(verifier, verifyBatchData(Arrays.copyOf(proofs, 7), inputs)), "8 words per proof");
        EvmHarness.assertReverted(evm.call(verifier, verifyBatchData(proofs, Arrays.copyOf(inputs, 2))), "NPUB words per proof");
        EvmHarness.assertReverted(evm.call(verifier, verifyBatchData(new BigInteger[0], new BigInteger[0])), "8 words per proof");
        inputs[2] = Fr.MODULUS;
        EvmHarness.assertReverted(evm.call(verifier, verifyBatchData(proofs, inputs)), "public input not below r");
    }

    @Test
    void batchAcceptsValidBatchesAndRejectsOneBadProof() throws Exception {
        List<Proof> proofs = new ArrayList<>();
        List<Fr[]> inputs = new ArrayList<>();
        for (int j = 0; j < 4; j++) {
            Instance in = instance(100 + j);
            proofs.add(in.proof());
            inputs.add(in.pub());
        }
        assertEquals(Boolean.TRUE, evm.callBool(verifier,
                verifyBatchData(Calldata.batchProofs(proofs.subList(0, 1)), Calldata.batchInputs(inputs.subList(0, 1)))));
        assertEquals(Boolean.TRUE, evm.callBool(verifier,
                verifyBatchData(Calldata.batchProofs(proofs), Calldata.batchInputs(inputs))));

        List<Fr[]> badInputs = new ArrayList<>(inputs);
        Fr[] changed = inputs.get(2).clone();
        changed[2] = changed[2].add(Fr.ONE);
        badInputs.set(2, changed);
        assertEquals(Boolean.FALSE, evm.callBool(verifier,
                verifyBatchData(Calldata.batchProofs(proofs), Calldata.batchInputs(badInputs))));

        List<Proof> badProofs = new ArrayList<>(proofs);
        Proof p = proofs.get(3);
        badProofs.set(3, new Proof(p.a().dbl(), p.b(), p.c()));
        assertEquals(Boolean.FALSE, evm.callBool(verifier,
                verifyBatchData(Calldata.batchProofs(badProofs), Calldata.batchInputs(inputs))));

        // swapping the public inputs of two valid proofs must not pass either
        List<Fr[]> swapped = new ArrayList<>(inputs);
        swapped.set(0, inputs.get(1));
        swapped.set(1, inputs.get(0));
        assertEquals(Boolean.FALSE, evm.callBool(verifier,
                verifyBatchData(Calldata.batchProofs(proofs), Calldata.batchInputs(swapped))));
    }

    /**
     * Gas of our verifier vs snarkjs' generated verifier on the same snarkjs key and proof (one
     * public input), and of verifyBatch for several n. Prints a table for docs/benchmarks.
     */
    @Test
    void gasComparedWithSnarkjsVerifier() throws Exception {
        Path sj = dir.resolve("snarkjs");
        Files.createDirectories(sj);
        R1cs cubic = TinyCircuits.cubic();
        Iden3Files.writeR1cs(cubic, sj.resolve("c.r1cs"));
        Iden3Files.writeWtns(TinyCircuits.cubicWitness(6), sj.resolve("c.wtns"));
        snarkjs(sj, "groth16", "setup", "c.r1cs", NodeTool.preparedPtau(4).toString(), "c.zkey");
        snarkjs(sj, "zkey", "export", "verificationkey", "c.zkey", "vk.json");
        snarkjs(sj, "zkey", "export", "solidityverifier", "c.zkey", "SnarkjsVerifier.sol");
        snarkjs(sj, "groth16", "prove", "c.zkey", "c.wtns", "proof.json", "public.json");
        VerifyingKey vk = SnarkjsJson.parseVerificationKey(Files.readString(sj.resolve("vk.json")));
        Proof proof = SnarkjsJson.parseProof(Files.readString(sj.resolve("proof.json")));
        Fr[] pub = SnarkjsJson.parsePublicSignals(Files.readString(sj.resolve("public.json")));

        String snarkjsSource = Files.readString(sj.resolve("SnarkjsVerifier.sol"));
        String snarkjsAddr = evm.deploy(snarkjsSource, "Groth16Verifier");
        String ours = evm.deploy(SolidityVerifier.generate(vk, "CubicVerifier"), "CubicVerifier");
        String data = verifyProofData(Calldata.of(proof, pub));
        assertEquals(Boolean.TRUE, evm.callBool(snarkjsAddr, data));
        assertEquals(Boolean.TRUE, evm.callBool(ours, data), "our verifier accepts snarkjs' proof");
        BigInteger gasSnarkjs = evm.gasUsed(snarkjsAddr, data);
        BigInteger gasOurs = evm.gasUsed(ours, data);

        StringBuilder table = new StringBuilder();
        table.append("| verifier (gasUsed of a transaction, incl. 21k base + calldata) | public inputs | proofs | gas | gas/proof |\n");
        table.append("|---|---|---|---|---|\n");
        table.append("| snarkjs 0.7.6 verifyProof | 1 | 1 | ").append(gasSnarkjs).append(" | ").append(gasSnarkjs).append(" |\n");
        table.append("| zkPFL verifyProof | 1 | 1 | ").append(gasOurs).append(" | ").append(gasOurs).append(" |\n");
        Instance one = instance(7);
        BigInteger gasOurs3 = evm.gasUsed(verifier, verifyProofData(Calldata.of(one.proof(), one.pub())));
        table.append("| zkPFL verifyProof | 3 | 1 | ").append(gasOurs3).append(" | ").append(gasOurs3).append(" |\n");
        for (int n : new int[] {1, 2, 4, 8}) {
            List<Proof> ps = new ArrayList<>();
            List<Fr[]> ins = new ArrayList<>();
            for (int j = 0; j < n; j++) {
                Instance in = instance(200 + j);
                ps.add(in.proof());
                ins.add(in.pub());
            }
            String batch = verifyBatchData(Calldata.batchProofs(ps), Calldata.batchInputs(ins));
            assertEquals(Boolean.TRUE, evm.callBool(verifier, batch));
            BigInteger g = evm.gasUsed(verifier, batch);
            table.append("| zkPFL verifyBatch | 3 | ").append(n).append(" | ").append(g).append(" | ")
                    .append(g.divide(BigInteger.valueOf(n))).append(" |\n");
        }
        System.out.println("Groth16 verifier gas on Anvil:\n" + table);
        assertTrue(gasOurs.compareTo(BigInteger.valueOf(400_000)) < 0, "gas " + gasOurs);
    }

    // ---- chain plumbing ----------------------------------------------------------------------

    /**
     * verifyProof's calldata. All four parameters are static arrays, which the ABI encodes in place
     * as their words in order, so the arguments are the method id followed by 8 + N uint256 words.
     */
    private static String verifyProofData(Calldata cd) {
        String signature = "verifyProof(uint256[2],uint256[2][2],uint256[2],uint256[" + cd.input().length + "])";
        List<Type> words = new ArrayList<>();
        for (BigInteger[] part : List.of(cd.a(), cd.b()[0], cd.b()[1], cd.c(), cd.input())) {
            Arrays.stream(part).map(Uint256::new).forEach(words::add);
        }
        return org.web3j.crypto.Hash.sha3String(signature).substring(0, 10) + FunctionEncoder.encodeConstructor(words);
    }

    private static String verifyBatchData(BigInteger[] proofs, BigInteger[] inputs) {
        List<Type> args = List.of(
                new DynamicArray<>(Uint256.class, Arrays.stream(proofs).map(Uint256::new).toList()),
                new DynamicArray<>(Uint256.class, Arrays.stream(inputs).map(Uint256::new).toList()));
        return FunctionEncoder.encode(new org.web3j.abi.datatypes.Function("verifyBatch", args, List.of()));
    }







    private static void snarkjs(Path workDir, String... args) throws Exception {
        NodeTool.Result res = NodeTool.snarkjs(workDir, args);
        assertEquals(0, res.exitCode(), String.join(" ", args) + "\n" + res.output());
    }
}
