package io.zkpfl.zk.kzg;

import io.zkpfl.zk.bn254.Fr;
import java.math.BigInteger;
import java.util.Objects;

/**
 * A Chaum–Pedersen proof {@code (c, s)} that two G1 points have the same discrete logarithm to
 * their bases (see {@link Dleq}). On chain it is two uint256 words, {@code c} then {@code s}.
 */
public record DleqProof(Fr c, Fr s) {

    public DleqProof {
        Objects.requireNonNull(c, "c");
        Objects.requireNonNull(s, "s");
    }

    /**
     * The proof from its two calldata words.
     *
     * @throws IllegalArgumentException if a word is negative or not below r
     */
    public static DleqProof fromWords(BigInteger c, BigInteger s) {
        return new DleqProof(Fr.fromCanonical(c), Fr.fromCanonical(s));
    }

    /** {@code [c, s]} as calldata words. */
    public BigInteger[] toWords() {
        return new BigInteger[] {c.toBigInteger(), s.toBigInteger()};
    }
}
