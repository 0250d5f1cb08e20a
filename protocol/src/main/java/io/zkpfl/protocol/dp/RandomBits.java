package io.zkpfl.protocol.dp;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.security.SecureRandom;

/**
 * Uniform integers drawn from a CSPRNG, read in blocks so that the per-draw cost of
 * {@link SecureRandom} is amortised. Uniformity is exact (rejection, no modulo bias). Not
 * thread-safe.
 */
final class RandomBits {

    private static final int BLOCK_BYTES = 1024;

    private final SecureRandom random;
    private final ByteBuffer block = ByteBuffer.allocate(BLOCK_BYTES);

    RandomBits(SecureRandom random) {
        this.random = random;
        block.position(BLOCK_BYTES);
    }

    /** 64 uniform bits. */
    long nextLong() {
        if (!block.hasRemaining()) {
            random.nextBytes(block.array());
            block.clear();
        }
        return block.getLong();
    }

    /** Uniform in {@code [0, bound)}; {@code bound > 0}. */
    long below(long bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be positive");
        }
        if (bound == 1) {
            return 0;
        }
        long mask = -1L >>> Long.numberOfLeadingZeros(bound - 1);
        while (true) {
            long candidate = nextLong() & mask;
            if (candidate < bound) {
                return candidate;
            }
        }
    }

    /** Uniform in {@code [0, bound)}; {@code bound > 0}. */
    BigInteger below(BigInteger bound) {
        if (bound.signum() <= 0) {
            throw new IllegalArgumentException("bound must be positive");
        }
        if (bound.bitLength() < Long.SIZE) {
            return BigInteger.valueOf(below(bound.longValueExact()));
        }
        int bits = bound.subtract(BigInteger.ONE).bitLength();
        int words = (bits + Long.SIZE - 1) / Long.SIZE;
        byte[] bytes = new byte[words * Long.BYTES];
        ByteBuffer view = ByteBuffer.wrap(bytes);
        while (true) {
            view.clear();
            for (int i = 0; i < words; i++) {
                view.putLong(nextLong());
            }
            BigInteger candidate = new BigInteger(1, bytes);
            candidate = candidate.shiftRight(words * Long.SIZE - bits);
            if (candidate.compareTo(bound) < 0) {
                return candidate;
            }
        }
    }

    /** One fair coin. */
    boolean nextBit() {
        return nextLong() < 0;
    }

    /** Bernoulli({@code numerator / denominator}); requires {@code 0 ≤ numerator ≤ denominator}. */
    boolean bernoulli(long numerator, long denominator) {
        return below(denominator) < numerator;
    }

    /** Bernoulli({@code numerator / denominator}); requires {@code 0 ≤ numerator ≤ denominator}. */
    boolean bernoulli(BigInteger numerator, BigInteger denominator) {
        return below(denominator).compareTo(numerator) < 0;
    }
}
