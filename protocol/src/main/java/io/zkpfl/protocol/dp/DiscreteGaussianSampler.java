package io.zkpfl.protocol.dp;

import java.math.BigInteger;
import java.security.SecureRandom;

/**
 * Exact samples of the discrete Gaussian {@code N_Z(0, σ²)}, {@code P[x] ∝ exp(−x²/(2σ²))} over the
 * integers, for a rational {@code σ² > 0} in integer units (the fixed-point domain, i.e. already
 * scaled by {@code 2^{2f}}; see docs/privacy.md).
 *
 * <p>Canonne, Kamath and Steinke, "The Discrete Gaussian for Differential Privacy" (NeurIPS 2020):
 * Algorithm 3 (rejection from the discrete Laplace with scale {@code t = ⌊σ⌋ + 1}), Algorithm 2
 * (discrete Laplace) and Algorithm 1 (Bernoulli({@code exp(−γ)})), all in exact integer arithmetic
 * on uniform draws from a {@link SecureRandom}. No floating point is involved, so the output
 * distribution is exactly the discrete Gaussian. Not thread-safe: use one sampler per thread.
 */
public final class DiscreteGaussianSampler {

    private final Rational variance;
    private final RandomBits bits;
    private final BernoulliExp bernoulliExp;
    private final long scale;
    /** {@code σ² = a / b}; the acceptance exponent is {@code (|y|·t·b − a)² / (2·a·b·t²)}. */
    private final BigInteger a;
    private final BigInteger tb;
    private final BigInteger acceptDenominator;

    /** A sampler for {@code N_Z(0, variance)} drawing from a fresh {@link SecureRandom}. */
    public DiscreteGaussianSampler(Rational variance) {
        this(variance, new SecureRandom());
    }

    /**
     * A sampler for {@code N_Z(0, variance)} drawing from {@code random}.
     *
     * @throws IllegalArgumentException when {@code variance} is zero or its square root exceeds 2^62
     */
    public DiscreteGaussianSampler(Rational variance, SecureRandom random) {
        if (variance.numerator().signum() == 0) {
            throw new IllegalArgumentException("variance must be positive");
        }
        BigInteger t = variance.floorSqrt().add(BigInteger.ONE);
        if (t.bitLength() > 62) {
            throw new IllegalArgumentException("σ must stay below 2^62 integer units");
        }
        this.variance = variance;
        this.bits = new RandomBits(random);
        this.bernoulliExp = new BernoulliExp(bits);
        this.scale = t.longValueExact();
        this.a = variance.numerator();
        this.tb = t.multiply(variance.denominator());
        this.acceptDenominator = a.multiply(variance.denominator()).multiply(t).multiply(t).shiftLeft(1);
    }

    /** The variance parameter {@code σ²} (integer units squared). */
    public Rational variance() {
        return variance;
    }

    /** One sample of {@code N_Z(0, σ²)}. */
    public long sample() {
        while (true) {
            long y = discreteLaplace(scale);
            BigInteger excess = BigInteger.valueOf(Math.abs(y)).multiply(tb).subtract(a);
            if (bernoulliExp.sample(excess.multiply(excess), acceptDenominator)) {
                return y;
            }
        }
    }

    /**
     * Adds an independent sample to every coordinate, in place.
     *
     * @throws ArithmeticException when a sum overflows a {@code long} (the vector is then partly noised)
     */
    public void addTo(long[] coordinates) {
        for (int i = 0; i < coordinates.length; i++) {
            coordinates[i] = Math.addExact(coordinates[i], sample());
        }
    }

    /** A copy of {@code coordinates} with an independent sample added to every coordinate (signed integers, not reduced). */
    public BigInteger[] addTo(BigInteger[] coordinates) {
        BigInteger[] noised = new BigInteger[coordinates.length];
        for (int i = 0; i < coordinates.length; i++) {
            noised[i] = coordinates[i].add(BigInteger.valueOf(sample()));
        }
        return noised;
    }

    /** One draw of Bernoulli({@code exp(−numerator/denominator)}) from this sampler's randomness. */
    boolean bernoulliExp(BigInteger numerator, BigInteger denominator) {
        return bernoulliExp.sample(numerator, denominator);
    }

    /** The discrete Laplace {@code P[x] ∝ exp(−|x|/t)} over the integers, {@code t ≥ 1} (Algorithm 2 with {@code s = 1}). */
    long discreteLaplace(long t) {
        while (true) {
            long u = bits.below(t);
            if (!bernoulliExp.sample(u, t)) {
                continue;
            }
            long v = 0;
            while (bernoulliExp.sample(1, 1)) {
                v++;
            }
            long x = Math.addExact(u, Math.multiplyExact(t, v));
            boolean negative = bits.nextBit();
            if (negative && x == 0) {
                continue;
            }
            return negative ? -x : x;
        }
    }

    @Override
    public String toString() {
        return "DiscreteGaussianSampler[σ²=" + variance + "]";
    }
}
