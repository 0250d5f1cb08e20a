package io.zkpfl.protocol.dp;

import java.math.BigInteger;

/**
 * Exact Bernoulli({@code exp(−γ)}) for a rational {@code γ ≥ 0}: Canonne, Kamath and Steinke,
 * "The Discrete Gaussian for Differential Privacy" (NeurIPS 2020), Algorithm 1. Only integer
 * comparisons against uniform draws; no floating point. Not thread-safe.
 */
final class BernoulliExp {

    private final RandomBits bits;

    BernoulliExp(RandomBits bits) {
        this.bits = bits;
    }

    /** One draw of Bernoulli({@code exp(−numerator/denominator)}); {@code numerator ≥ 0}, {@code denominator > 0}. */
    boolean sample(long numerator, long denominator) {
        if (numerator < 0 || denominator <= 0) {
            throw new IllegalArgumentException("γ must be a non-negative rational");
        }
        long whole = numerator / denominator;
        for (long k = 0; k < whole; k++) {
            if (!atMostOne(1, 1)) {
                return false;
            }
        }
        return atMostOne(numerator % denominator, denominator);
    }

    /** One draw of Bernoulli({@code exp(−numerator/denominator)}); {@code numerator ≥ 0}, {@code denominator > 0}. */
    boolean sample(BigInteger numerator, BigInteger denominator) {
        if (numerator.signum() < 0 || denominator.signum() <= 0) {
            throw new IllegalArgumentException("γ must be a non-negative rational");
        }
        if (numerator.bitLength() < Long.SIZE - 1 && denominator.bitLength() < Long.SIZE - 1) {
            return sample(numerator.longValue(), denominator.longValue());
        }
        BigInteger[] wholeAndRest = numerator.divideAndRemainder(denominator);
        for (BigInteger k = BigInteger.ZERO; k.compareTo(wholeAndRest[0]) < 0; k = k.add(BigInteger.ONE)) {
            if (!atMostOne(1, 1)) {
                return false;
            }
        }
        return atMostOne(wholeAndRest[1], denominator);
    }

    /** Bernoulli(exp(−γ)) for {@code γ = numerator/denominator ∈ [0, 1]}: the parity of the first failure index. */
    private boolean atMostOne(long numerator, long denominator) {
        long k = 1;
        while (true) {
            long scaled;
            try {
                scaled = Math.multiplyExact(denominator, k);
            } catch (ArithmeticException overflow) {
                return atMostOne(BigInteger.valueOf(numerator), BigInteger.valueOf(denominator), k);
            }
            if (!bits.bernoulli(numerator, scaled)) {
                return (k & 1) == 1;
            }
            k++;
        }
    }

    private boolean atMostOne(BigInteger numerator, BigInteger denominator) {
        return atMostOne(numerator, denominator, 1);
    }

    private boolean atMostOne(BigInteger numerator, BigInteger denominator, long firstK) {
        long k = firstK;
        while (true) {
            if (!bits.bernoulli(numerator, denominator.multiply(BigInteger.valueOf(k)))) {
                return (k & 1) == 1;
            }
            k++;
        }
    }
}
