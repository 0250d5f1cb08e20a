package io.zkpfl.protocol.fixedpoint;

import io.zkpfl.zk.bn254.Fr;
import java.math.BigInteger;

/**
 * The round's fixed-point representation (docs/protocol.md, "Parameters"): a real value {@code v} is
 * the integer {@code q = round(v · 2^f)} with {@code f = 16} fractional bits, embedded in F_r as
 * {@code q mod r}; an element {@code x > (r − 1)/2} decodes to {@code x − r}.
 */
public final class FixedPoint {

    /** Fractional bits {@code f}. */
    public static final int FRACTIONAL_BITS = 16;

    /** {@code (r − 1)/2}: the largest magnitude that decodes to itself. */
    public static final BigInteger HALF_MODULUS = Fr.MODULUS.subtract(BigInteger.ONE).shiftRight(1);

    private FixedPoint() {
    }

    /** The field element {@code q mod r}. */
    public static Fr embed(long q) {
        return Fr.of(q);
    }

    /** The field element {@code q mod r}, for any integer {@code q}. */
    public static Fr embed(BigInteger q) {
        return Fr.of(q);
    }

    /** The signed integer of {@code x}: {@code x} if {@code x ≤ (r − 1)/2}, otherwise {@code x − r}. */
    public static BigInteger decode(Fr x) {
        BigInteger v = x.toBigInteger();
        return v.compareTo(HALF_MODULUS) > 0 ? v.subtract(Fr.MODULUS) : v;
    }

    /** {@link #decode(Fr)} of every element. */
    public static BigInteger[] decode(Fr[] xs) {
        BigInteger[] out = new BigInteger[xs.length];
        for (int j = 0; j < xs.length; j++) {
            out[j] = decode(xs[j]);
        }
        return out;
    }
}
