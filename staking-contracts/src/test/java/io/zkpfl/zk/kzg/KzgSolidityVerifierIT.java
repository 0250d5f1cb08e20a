package io.zkpfl.zk.kzg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zkpfl.zk.bn254.Fp;
import io.zkpfl.zk.bn254.Fr;
import io.zkpfl.zk.bn254.G1;
import io.zkpfl.zk.r1cs.NodeTool;
import io.zkpfl.zk.solidity.EvmHarness;
import io.zkpfl.zk.solidity.KzgSolidityVerifier;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.DynamicArray;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.generated.Uint256;

/**
 * The exported KZG batch verifier on Anvil: the EVM and {@link Kzg#batchVerify} agree on valid and
 * tampered batches (same weights: the contract's {@code batchChallenge} equals
 * {@link Kzg#batchChallenge}), malformed input reverts with a reason, and the gas of batches of 1,
 * 3 and 8 openings is printed for docs/benchmarks.md. One verifier is exported for an SRS read
 * from a snarkjs {@code .ptau}, another for an SRS with known secrets.
 */
class KzgSolidityVerifierIT {

    private static final SplittableRandom RNG = new SplittableRandom(31337);
    private static EvmHarness evm;
    private static Srs srs;
    private static String verifier;

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() throws Exception {
        evm = new EvmHarness(dir);
        srs = Srs.fromPtau(NodeTool.preparedPtau(6), 64, 8);
        verifier = evm.deploy(KzgSolidityVerifier.generate(srs, "PtauKzgVerifier"), "PtauKzgVerifier");
    }

    @AfterAll
    static void stop() {
        if (evm != null) {
            evm.close();
        }
    }

    private record Batch(List<G1> commitments, List<Opening> openings) {
        Batch copy() {
            return new Batch(new ArrayList<>(commitments), new ArrayList<>(openings));
        }
    }

    private static Batch batch(Srs s, int n) {
        List<G1> cs = new ArrayList<>();
        List<Opening> os = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Fr[] v = new Fr[1 + RNG.nextInt(s.maxLength())];
            Fr[] b = new Fr[1 + RNG.nextInt(s.maxBlindingLength())];
            Arrays.setAll(v, k -> Fr.random(RNG));
            Arrays.setAll(b, k -> Fr.random(RNG));
            cs.add(Kzg.commit(s, v, b));
            os.add(Kzg.open(s, v, b, Fr.random(RNG)));
        }
        return new Batch(cs, os);
    }

    private static String data(String fn, BigInteger[] commitments, BigInteger[] openings) {
        List<Type> args = List.of(
                new DynamicArray<>(Uint256.class, Arrays.stream(commitments).map(Uint256::new).toList()),
                new DynamicArray<>(Uint256.class, Arrays.stream(openings).map(Uint256::new).toList()));
        return FunctionEncoder.encode(new Function(fn, args, List.of()));
    }

    private static String verifyData(Batch b) {
        return data("verifyBatch", KzgSolidityVerifier.commitmentWords(b.commitments()),
                KzgSolidityVerifier.openingWords(b.openings()));
    }

    /** The EVM's answer, asserted equal to Java's. */
    private static boolean both(String address, Srs s, Batch b) throws Exception {
        boolean java = Kzg.batchVerify(s, b.commitments(), b.openings());
        boolean evmResult = evm.callBool(address, verifyData(b));
        assertEquals(java, evmResult, "Java and the EVM disagree");
        return evmResult;
    }

    @Test
    void validBatchesVerifyOnTheEvmAndInJava() throws Exception {
        for (int n : new int[] {1, 2, 5}) {
            Batch b = batch(srs, n);
            assertTrue(both(verifier, srs, b), "batch of " + n);
            BigInteger rho = evm.callWord(verifier, data("batchChallenge",
                    KzgSolidityVerifier.commitmentWords(b.commitments()), KzgSolidityVerifier.openingWords(b.openings())));
            assertEquals(Kzg.batchChallenge(b.commitments(), b.openings()).toBigInteger(), rho, "same weights");
        }
        String srsHash = evm.call(verifier, "0x" + org.web3j.crypto.Hash.sha3String("SRS_HASH()").substring(2, 10)).getValue();
        assertEquals("0x" + HexFormat.of().formatHex(srs.hash()), srsHash);
    }

    @Test
    void tamperedBatchesFailOnTheEvmAndInJava() throws Exception {
        Batch ok = batch(srs, 4);
        assertTrue(both(verifier, srs, ok));

        Batch b = ok.copy();
        Opening o = b.openings().get(2);
        b.openings().set(2, new Opening(o.z(), o.y().add(Fr.ONE), o.yHat(), o.proof()));
        assertFalse(both(verifier, srs, b), "wrong value");

        b = ok.copy();
        o = b.openings().get(0);
        b.openings().set(0, new Opening(o.z(), o.y(), o.yHat().sub(Fr.ONE), o.proof()));
        assertFalse(both(verifier, srs, b), "wrong blinding value");

        b = ok.copy();
        o = b.openings().get(3);
        b.openings().set(3, new Opening(o.z().add(Fr.ONE), o.y(), o.yHat(), o.proof()));
        assertFalse(both(verifier, srs, b), "wrong point");

        b = ok.copy();
        o = b.openings().get(1);
        b.openings().set(1, new Opening(o.z(), o.y(), o.yHat(), o.proof().add(G1.GENERATOR)));
        assertFalse(both(verifier, srs, b), "wrong proof");

        b = ok.copy();
        b.commitments().set(3, b.commitments().get(3).dbl());
        assertFalse(both(verifier, srs, b), "wrong commitment");

        b = ok.copy();
        b.openings().set(0, ok.openings().get(1));
        b.openings().set(1, ok.openings().get(0));
        assertFalse(both(verifier, srs, b), "openings swapped");

        // two wrong openings whose errors would cancel with equal weights
        b = ok.copy();
        Opening o0 = b.openings().get(0);
        Opening o1 = b.openings().get(1);
        b.openings().set(0, new Opening(o0.z(), o0.y().add(Fr.ONE), o0.yHat(), o0.proof()));
        b.openings().set(1, new Opening(o1.z(), o1.y().sub(Fr.ONE), o1.yHat(), o1.proof()));
        assertFalse(both(verifier, srs, b), "cancelling errors");
    }

    @Test
    void aVerifierIsTiedToItsSrs() throws Exception {
        Srs other = Srs.insecureFromSecrets(Fr.random(RNG), Fr.random(RNG), 64, 8);
        String otherVerifier = evm.deploy(KzgSolidityVerifier.generate(other, "InsecureKzgVerifier"), "InsecureKzgVerifier");
        Batch mine = batch(other, 3);
        assertTrue(both(otherVerifier, other, mine));
        assertFalse(evm.callBool(verifier, verifyData(mine)), "openings for another SRS");
        assertFalse(Kzg.batchVerify(srs, mine.commitments(), mine.openings()));
    }

    @Test
    void malformedInputRevertsWithReason() throws Exception {
        Batch ok = batch(srs, 2);
        BigInteger[] c = KzgSolidityVerifier.commitmentWords(ok.commitments());
        BigInteger[] o = KzgSolidityVerifier.openingWords(ok.openings());
        evm.assertReverted(verifier, data("verifyBatch", new BigInteger[0], new BigInteger[0]), "2 words each");
        evm.assertReverted(verifier, data("verifyBatch", Arrays.copyOf(c, 3), o), "2 words each");
        evm.assertReverted(verifier, data("verifyBatch", c, Arrays.copyOf(o, 9)), "5 words each");
        evm.assertReverted(verifier, data("verifyBatch", Arrays.copyOf(c, 2), o), "5 words each");

        BigInteger[] bad = c.clone();
        bad[1] = bad[1].add(Fp.MODULUS);
        evm.assertReverted(verifier, data("verifyBatch", bad, o), "coordinate not below p");
        bad = o.clone();
        bad[8] = bad[8].add(Fp.MODULUS);
        evm.assertReverted(verifier, data("verifyBatch", c, bad), "coordinate not below p");
        for (int k : new int[] {0, 1, 2, 6}) {
            bad = o.clone();
            bad[k] = bad[k].add(Fr.MODULUS);
            evm.assertReverted(verifier, data("verifyBatch", c, bad), "scalar not below r");
        }
        bad = c.clone();
        bad[3] = bad[3].add(BigInteger.ONE);
        evm.assertReverted(verifier, data("verifyBatch", bad, o), "not on the curve");
        bad = c.clone();
        bad[1] = bad[1].add(BigInteger.ONE); // the first commitment, which enters without a multiplication
        evm.assertReverted(verifier, data("verifyBatch", bad, o), "not on the curve");
        bad = o.clone();
        bad[4] = bad[4].add(BigInteger.ONE); // the first proof
        evm.assertReverted(verifier, data("verifyBatch", c, bad), "not on the curve");
        bad = o.clone();
        bad[9] = bad[9].add(BigInteger.ONE);
        evm.assertReverted(verifier, data("verifyBatch", c, bad), "not on the curve");
    }

    @Test
    void commitmentsAndProofsAtInfinityAreHandledLikeJava() throws Exception {
        // the zero vector with zero blinding commits to infinity, and opens with y = ŷ = 0 and π = infinity
        Fr[] zero = {Fr.ZERO, Fr.ZERO};
        Fr[] zb = {Fr.ZERO};
        Batch b = batch(srs, 1);
        b.commitments().add(Kzg.commit(srs, zero, zb));
        b.openings().add(Kzg.open(srs, zero, zb, Fr.random(RNG)));
        assertTrue(b.commitments().get(1).isInfinity());
        assertTrue(both(verifier, srs, b));
    }

    /** Gas of verifyBatch for 1, 3 and 8 openings (mined transactions), printed for docs/benchmarks.md. */
    @Test
    void gasPerBatchSize() throws Exception {
        StringBuilder table = new StringBuilder("\n| openings | verifyBatch gas (tx) | per opening |\n|---:|---:|---:|\n");
        for (int n : new int[] {1, 3, 8}) {
            Batch b = batch(srs, n);
            assertTrue(both(verifier, srs, b));
            BigInteger gas = evm.gasUsed(verifier, verifyData(b));
            table.append("| ").append(n).append(" | ").append(gas).append(" | ")
                    .append(gas.divide(BigInteger.valueOf(n))).append(" |\n");
        }
        System.out.println("KZG batch verifier gas (Anvil):" + table);
    }
}
