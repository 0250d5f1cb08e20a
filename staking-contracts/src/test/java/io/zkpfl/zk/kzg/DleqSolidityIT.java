package io.zkpfl.zk.kzg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zkpfl.zk.bn254.Fp;
import io.zkpfl.zk.bn254.Fr;
import io.zkpfl.zk.bn254.G1;
import io.zkpfl.zk.solidity.DleqSolidity;
import io.zkpfl.zk.solidity.EvmHarness;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.generated.StaticArray2;
import org.web3j.abi.datatypes.generated.Uint256;

/**
 * The exported DLEQ verifier on Anvil: proofs made in Java verify on the EVM, every wrong statement
 * or tampered proof fails there as in {@link Dleq#verifyEncoded}, malformed input reverts with a
 * reason, and the gas of one verification is printed.
 */
class DleqSolidityIT {

    private static final SplittableRandom RNG = new SplittableRandom(2718);
    private static EvmHarness evm;
    private static String verifier;

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() throws Exception {
        evm = new EvmHarness(dir);
        verifier = evm.deploy(DleqSolidity.generate("DleqVerifier"), "DleqVerifier");
    }

    @AfterAll
    static void stop() {
        if (evm != null) {
            evm.close();
        }
    }

    /** publicKey, base2, shared as word pairs, then c, s. */
    private record Call(BigInteger[] pk, BigInteger[] base2, BigInteger[] shared, BigInteger c, BigInteger s) {
        Call with(int slot, int word, BigInteger v) {
            BigInteger[][] pts = {pk.clone(), base2.clone(), shared.clone()};
            BigInteger nc = c;
            BigInteger ns = s;
            if (slot < 3) {
                pts[slot][word] = v;
            } else if (slot == 3) {
                nc = v;
            } else {
                ns = v;
            }
            return new Call(pts[0], pts[1], pts[2], nc, ns);
        }
    }

    private static Call honest() {
        Fr sk = Fr.random(RNG);
        G1 e = G1.GENERATOR.mul(Fr.random(RNG));
        DleqProof p = Dleq.prove(sk, e, RNG);
        return new Call(DleqSolidity.pointWords(G1.GENERATOR.mul(sk)), DleqSolidity.pointWords(e),
                DleqSolidity.pointWords(e.mul(sk)), p.c().toBigInteger(), p.s().toBigInteger());
    }

    private static String data(Call c) {
        List<Type> args = new ArrayList<>();
        args.add(new StaticArray2<>(Uint256.class, new Uint256(c.pk()[0]), new Uint256(c.pk()[1])));
        args.add(new StaticArray2<>(Uint256.class, new Uint256(c.base2()[0]), new Uint256(c.base2()[1])));
        args.add(new StaticArray2<>(Uint256.class, new Uint256(c.shared()[0]), new Uint256(c.shared()[1])));
        args.add(new Uint256(c.c()));
        args.add(new Uint256(c.s()));
        return FunctionEncoder.encode(new Function("verify", args, List.of()));
    }

    private static byte[] bytes(BigInteger[] xy) {
        byte[] out = new byte[64];
        for (int k = 0; k < 2; k++) {
            byte[] b = xy[k].toByteArray();
            int n = Math.min(32, b.length);
            System.arraycopy(b, b.length - n, out, 32 * k + 32 - n, n);
        }
        return out;
    }

    /** The EVM's answer for a well-formed call, asserted equal to Java's. */
    private static boolean both(Call c) throws Exception {
        boolean java = Dleq.verifyEncoded(bytes(c.pk()), bytes(c.base2()), bytes(c.shared()), c.c(), c.s());
        boolean evmResult = evm.callBool(verifier, data(c));
        assertEquals(java, evmResult, "Java and the EVM disagree");
        return evmResult;
    }

    @Test
    void validProofsVerifyOnTheEvmAndInJava() throws Exception {
        for (int i = 0; i < 4; i++) {
            assertTrue(both(honest()));
        }
    }

    @Test
    void wrongStatementsAndTamperedProofsFailInBoth() throws Exception {
        Call ok = honest();
        Call other = honest();
        assertFalse(both(new Call(ok.pk(), ok.base2(), other.shared(), ok.c(), ok.s())), "wrong shared point");
        assertFalse(both(new Call(other.pk(), ok.base2(), ok.shared(), ok.c(), ok.s())), "wrong key");
        assertFalse(both(new Call(ok.pk(), other.base2(), ok.shared(), ok.c(), ok.s())), "wrong base");
        assertFalse(both(new Call(ok.shared(), ok.base2(), ok.pk(), ok.c(), ok.s())), "key and shared swapped");
        assertFalse(both(ok.with(3, 0, ok.c().add(BigInteger.ONE).mod(Fr.MODULUS))), "c tampered");
        assertFalse(both(ok.with(4, 0, ok.s().add(BigInteger.ONE).mod(Fr.MODULUS))), "s tampered");
        assertFalse(both(new Call(ok.pk(), ok.base2(), ok.shared(), other.c(), other.s())), "another statement's proof");
        // the negated shared point (a valid point): the precompile accepts it, the proof does not
        BigInteger[] negShared = {ok.shared()[0], Fp.MODULUS.subtract(ok.shared()[1])};
        assertFalse(both(new Call(ok.pk(), ok.base2(), negShared, ok.c(), ok.s())), "negated shared point");
    }

    @Test
    void malformedInputRevertsWithReasonAndJavaRefusesIt() throws Exception {
        Call ok = honest();
        List<Call> offCurve = List.of(ok.with(0, 1, ok.pk()[1].add(BigInteger.ONE)),
                ok.with(1, 0, ok.base2()[0].add(BigInteger.ONE)), ok.with(2, 1, ok.shared()[1].add(BigInteger.ONE)));
        for (Call c : offCurve) {
            evm.assertReverted(verifier, data(c), "not on the curve");
            assertFalse(Dleq.verifyEncoded(bytes(c.pk()), bytes(c.base2()), bytes(c.shared()), c.c(), c.s()));
        }
        Call bigCoord = ok.with(2, 0, ok.shared()[0].add(Fp.MODULUS));
        evm.assertReverted(verifier, data(bigCoord), "coordinate not below p");
        assertFalse(Dleq.verifyEncoded(bytes(bigCoord.pk()), bytes(bigCoord.base2()), bytes(bigCoord.shared()),
                bigCoord.c(), bigCoord.s()));
        evm.assertReverted(verifier, data(ok.with(3, 0, ok.c().add(Fr.MODULUS))), "scalar not below r");
        evm.assertReverted(verifier, data(ok.with(4, 0, ok.s().add(Fr.MODULUS))), "scalar not below r");
        Call inf = new Call(ok.pk(), new BigInteger[] {BigInteger.ZERO, BigInteger.ZERO}, ok.shared(), ok.c(), ok.s());
        evm.assertReverted(verifier, data(inf), "point at infinity");
        assertFalse(Dleq.verifyEncoded(bytes(inf.pk()), bytes(inf.base2()), bytes(inf.shared()), inf.c(), inf.s()));
    }

    @Test
    void gasOfOneVerification() throws Exception {
        Call ok = honest();
        assertTrue(both(ok));
        System.out.println("DLEQ verify gas (Anvil, mined tx): " + evm.gasUsed(verifier, data(ok)));
    }
}
