package io.zkpfl.zk.solidity;

import io.zkpfl.zk.bn254.Fr;
import io.zkpfl.zk.groth16.Proof;
import java.math.BigInteger;
import java.util.List;

/**
 * A proof and its public inputs as arguments of the generated verifier's
 * {@code verifyProof(a, b, c, input)} (b as [[x.im, x.re], [y.im, y.re]]), plus the flat word
 * arrays of {@code verifyBatch(proofs, inputs)}.
 */
public record Calldata(BigInteger[] a, BigInteger[][] b, BigInteger[] c, BigInteger[] input) {

    /** The arguments of {@code verifyProof} for one proof. */
    public static Calldata of(Proof p, Fr[] publicInputs) {
        BigInteger[] w = words(p);
        BigInteger[] in = new BigInteger[publicInputs.length];
        for (int i = 0; i < in.length; i++) {
            in[i] = publicInputs[i].toBigInteger();
        }
        return new Calldata(new BigInteger[] {w[0], w[1]},
                new BigInteger[][] {{w[2], w[3]}, {w[4], w[5]}},
                new BigInteger[] {w[6], w[7]}, in);
    }

    /** The 8 words of one proof: a.x, a.y, b.x.im, b.x.re, b.y.im, b.y.re, c.x, c.y. */
    public static BigInteger[] words(Proof p) {
        return new BigInteger[] {
            p.a().affineX().toBigInteger(), p.a().affineY().toBigInteger(),
            p.b().affineX().c1().toBigInteger(), p.b().affineX().c0().toBigInteger(),
            p.b().affineY().c1().toBigInteger(), p.b().affineY().c0().toBigInteger(),
            p.c().affineX().toBigInteger(), p.c().affineY().toBigInteger()
        };
    }

    /** The {@code proofs} argument of {@code verifyBatch}: 8 words per proof. */
    public static BigInteger[] batchProofs(List<Proof> proofs) {
        BigInteger[] out = new BigInteger[8 * proofs.size()];
        for (int j = 0; j < proofs.size(); j++) {
            System.arraycopy(words(proofs.get(j)), 0, out, 8 * j, 8);
        }
        return out;
    }

    /** The {@code inputs} argument of {@code verifyBatch}: the public inputs of each proof in order. */
    public static BigInteger[] batchInputs(List<Fr[]> inputs) {
        return inputs.stream().flatMap(java.util.Arrays::stream).map(Fr::toBigInteger).toArray(BigInteger[]::new);
    }
}
