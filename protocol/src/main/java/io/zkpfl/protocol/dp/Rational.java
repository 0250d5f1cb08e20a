package io.zkpfl.protocol.dp;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;

/**
 * An exact non-negative rational {@code numerator / denominator} in lowest terms, used for
 * variances so that the discrete Gaussian sampler never rounds.
 */
public record Rational(BigInteger numerator, BigInteger denominator) implements Comparable<Rational> {

    /** Normalises to lowest terms; rejects a negative numerator or a non-positive denominator. */
    public Rational {
        if (numerator.signum() < 0 || denominator.signum() <= 0) {
            throw new IllegalArgumentException("a rational here is non-negative with a positive denominator");
        }
        BigInteger gcd = numerator.gcd(denominator);
        if (gcd.signum() > 0 && !gcd.equals(BigInteger.ONE)) {
            numerator = numerator.divide(gcd);
            denominator = denominator.divide(gcd);
        }
        if (numerator.signum() == 0) {
            denominator = BigInteger.ONE;
        }
    }

    /** {@code numerator / denominator}. */
    public static Rational of(long numerator, long denominator) {
        return new Rational(BigInteger.valueOf(numerator), BigInteger.valueOf(denominator));
    }

    /** The integer {@code value}. */
    public static Rational of(long value) {
        return of(value, 1);
    }

    /** The exact value of a decimal, e.g. {@code "0.01"} is {@code 1/100}. */
    public static Rational of(BigDecimal decimal) {
        if (decimal.scale() <= 0) {
            return new Rational(decimal.toBigIntegerExact(), BigInteger.ONE);
        }
        return new Rational(decimal.unscaledValue(), BigInteger.TEN.pow(decimal.scale()));
    }

    /** Exact product. */
    public Rational multiply(Rational other) {
        return new Rational(numerator.multiply(other.numerator), denominator.multiply(other.denominator));
    }

    /** Exact quotient by a positive integer. */
    public Rational divide(long divisor) {
        if (divisor <= 0) {
            throw new IllegalArgumentException("divisor must be positive");
        }
        return new Rational(numerator, denominator.multiply(BigInteger.valueOf(divisor)));
    }

    /** {@code this · 2^bits}, exactly. */
    public Rational shiftLeft(int bits) {
        return new Rational(numerator.shiftLeft(bits), denominator);
    }

    /** {@code ⌊√this⌋}, exactly. */
    public BigInteger floorSqrt() {
        return numerator.multiply(denominator).sqrt().divide(denominator);
    }

    /** The nearest double (for reporting and accounting, never for sampling). */
    public double doubleValue() {
        return new BigDecimal(numerator).divide(new BigDecimal(denominator), MathContext.DECIMAL64)
                .doubleValue();
    }

    @Override
    public int compareTo(Rational other) {
        return numerator.multiply(other.denominator).compareTo(other.numerator.multiply(denominator));
    }

    @Override
    public String toString() {
        return denominator.equals(BigInteger.ONE) ? numerator.toString() : numerator + "/" + denominator;
    }
}
