package io.zkpfl.protocol.dp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.BigInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The sampler against the exact distribution {@code P[x] = exp(−x²/(2σ²)) / Σ_y exp(−y²/(2σ²))},
 * whose normalising constant and moments are summed here over the integers, independently of the
 * rejection sampler. Seeds are fixed; thresholds are 4 standard errors or the 0.1 % chi-square
 * quantile, so a correct sampler passes and a sampler whose variance is off by a few percent fails.
 */
class DiscreteGaussianSamplerTest {

    private static final int SAMPLES = 100_000;

    /** Exact pmf of N_Z(0, σ²) on [−range, range] (mass beyond is below 1e-30 for range ≥ 12σ). */
    private static double[] exactPmf(double variance, int range) {
        double[] weights = new double[2 * range + 1];
        double normaliser = 0;
        for (int x = -range; x <= range; x++) {
            weights[x + range] = Math.exp(-(double) x * x / (2 * variance));
            normaliser += weights[x + range];
        }
        for (int i = 0; i < weights.length; i++) {
            weights[i] /= normaliser;
        }
        return weights;
    }

    /**
     * Chi-square over bins: each integer in [−inner, inner] alone, plus the two tails. The critical
     * values are the 0.999 quantiles of the chi-square distribution (standard tables).
     */
    @ParameterizedTest(name = "σ = {0}")
    @CsvSource({"1, 2, 22.458", "3, 9, 45.315", "10, 19, 73.402"})
    void chiSquareGoodnessOfFit(int sigma, int inner, double critical) {
        int variance = sigma * sigma;
        DiscreteGaussianSampler sampler = new DiscreteGaussianSampler(Rational.of(variance), SeededRandom.of(sigma));
        int range = 15 * sigma;
        double[] pmf = exactPmf(variance, range);
        int bins = 2 * inner + 3;
        long[] observed = new long[bins];
        for (int n = 0; n < SAMPLES; n++) {
            long x = sampler.sample();
            observed[bin(x, inner)]++;
        }
        double[] expected = new double[bins];
        for (int x = -range; x <= range; x++) {
            expected[bin(x, inner)] += pmf[x + range] * SAMPLES;
        }
        double statistic = 0;
        for (int b = 0; b < bins; b++) {
            assertTrue(expected[b] >= 5, "bin " + b + " too small for the chi-square test");
            double diff = observed[b] - expected[b];
            statistic += diff * diff / expected[b];
        }
        assertEquals(bins - 1, switch (sigma) { case 1 -> 6; case 3 -> 20; default -> 40; });
        assertTrue(statistic < critical, "χ² = " + statistic + " ≥ " + critical + " for σ = " + sigma);
    }

    private static int bin(long x, int inner) {
        if (x < -inner) {
            return 0;
        }
        if (x > inner) {
            return 2 * inner + 2;
        }
        return (int) x + inner + 1;
    }

    /** Empirical E[X²] and P[|X| ≥ 2σ] within 4 standard errors of the exact values; mean and sign symmetric. */
    @ParameterizedTest(name = "σ² = {0}/{1}")
    @CsvSource({"1, 1", "9, 1", "100, 1", "7, 3", "1, 4"})
    void varianceTailAndSymmetry(long numerator, long denominator) {
        double variance = (double) numerator / denominator;
        double sigma = Math.sqrt(variance);
        int range = (int) Math.ceil(15 * sigma) + 10;
        double[] pmf = exactPmf(variance, range);
        double second = 0;
        double fourth = 0;
        double tail = 0;
        long tailFrom = (long) Math.ceil(2 * sigma);
        for (int x = -range; x <= range; x++) {
            double p = pmf[x + range];
            second += p * x * x;
            fourth += p * x * x * (double) x * x;
            if (Math.abs(x) >= tailFrom) {
                tail += p;
            }
        }
        DiscreteGaussianSampler sampler = new DiscreteGaussianSampler(Rational.of(numerator, denominator),
                SeededRandom.of(numerator * 31 + denominator));
        double sum = 0;
        double sumSquares = 0;
        long tailCount = 0;
        long positive = 0;
        long negative = 0;
        for (int n = 0; n < SAMPLES; n++) {
            long x = sampler.sample();
            sum += x;
            sumSquares += (double) x * x;
            if (Math.abs(x) >= tailFrom) {
                tailCount++;
            }
            if (x > 0) {
                positive++;
            } else if (x < 0) {
                negative++;
            }
        }
        double secondError = Math.sqrt((fourth - second * second) / SAMPLES);
        assertEquals(second, sumSquares / SAMPLES, 4 * secondError, "E[X²]");
        assertEquals(0, sum / SAMPLES, 4 * Math.sqrt(second / SAMPLES), "mean");
        assertEquals(tail, (double) tailCount / SAMPLES, 4 * Math.sqrt(tail * (1 - tail) / SAMPLES), "tail");
        assertTrue(Math.abs(positive - negative) <= 4 * Math.sqrt(positive + negative), positive + " vs " + negative);
    }

    /** At the protocol's scale (σ = 0.01 · 2^16 / √10 per share) the variance is σ² to within sampling error. */
    @Test
    void protocolScaleVariance() {
        Rational sigma = Rational.of(new BigDecimal("0.01"));
        Rational variance = sigma.multiply(sigma).shiftLeft(32).divide(10);
        DiscreteGaussianSampler sampler = new DiscreteGaussianSampler(variance, SeededRandom.of(2026));
        int samples = 40_000;
        double sumSquares = 0;
        for (int n = 0; n < samples; n++) {
            double x = sampler.sample();
            sumSquares += x * x;
        }
        double expected = variance.doubleValue();
        assertEquals(expected, sumSquares / samples, 4 * expected * Math.sqrt(2.0 / samples));
    }

    /** Bernoulli(exp(−γ)) for rational γ: empirical rate within 4.5 standard errors of exp(−γ); γ = 0 always succeeds. */
    @ParameterizedTest(name = "γ = {0}/{1}")
    @CsvSource({"0, 1", "1, 3", "1, 1", "5, 2", "7, 1", "123456789012345678901234567, 100000000000000000000000000"})
    void bernoulliExpRate(String numerator, String denominator) {
        BigInteger p = new BigInteger(numerator);
        BigInteger q = new BigInteger(denominator);
        double gamma = p.doubleValue() / q.doubleValue();
        double rate = Math.exp(-gamma);
        DiscreteGaussianSampler sampler = new DiscreteGaussianSampler(Rational.of(1), SeededRandom.of(p.longValue() ^ 77));
        int trials = 120_000;
        int hits = 0;
        for (int n = 0; n < trials; n++) {
            if (sampler.bernoulliExp(p, q)) {
                hits++;
            }
        }
        if (p.signum() == 0) {
            assertEquals(trials, hits);
        } else {
            assertEquals(rate, (double) hits / trials, 4.5 * Math.sqrt(rate * (1 - rate) / trials), "γ = " + gamma);
        }
    }

    /** The discrete Laplace P[x] ∝ exp(−|x|/t): empirical E|X| within 4 standard errors of the value summed over the integers. */
    @Test
    void discreteLaplaceMeanAbsoluteValue() {
        long t = 5;
        double normaliser = 0;
        double meanAbs = 0;
        double meanSquare = 0;
        for (int x = -2000; x <= 2000; x++) {
            double w = Math.exp(-Math.abs(x) / (double) t);
            normaliser += w;
            meanAbs += w * Math.abs(x);
            meanSquare += w * x * (double) x;
        }
        meanAbs /= normaliser;
        meanSquare /= normaliser;
        DiscreteGaussianSampler sampler = new DiscreteGaussianSampler(Rational.of(1), SeededRandom.of(5));
        int samples = 100_000;
        double sum = 0;
        for (int n = 0; n < samples; n++) {
            sum += Math.abs(sampler.discreteLaplace(t));
        }
        assertEquals(meanAbs, sum / samples, 4 * Math.sqrt((meanSquare - meanAbs * meanAbs) / samples));
    }

    @Test
    void vectorNoiseIsTheSampleStreamAddedCoordinateWise() {
        Rational variance = Rational.of(655_360_000L, 7);
        long[] base = new long[1000];
        BigInteger[] wide = new BigInteger[base.length];
        for (int i = 0; i < base.length; i++) {
            base[i] = (long) i * 1_000_003L - 400_000_000L;
            wide[i] = BigInteger.valueOf(base[i]).shiftLeft(70);
        }
        long[] noised = base.clone();
        new DiscreteGaussianSampler(variance, SeededRandom.of(9)).addTo(noised);
        DiscreteGaussianSampler reference = new DiscreteGaussianSampler(variance, SeededRandom.of(9));
        long[] expected = new long[base.length];
        int changed = 0;
        for (int i = 0; i < base.length; i++) {
            expected[i] = base[i] + reference.sample();
            if (expected[i] != base[i]) {
                changed++;
            }
        }
        assertArrayEquals(expected, noised);
        assertTrue(changed > 990, "noise of σ ≈ 9676 leaves almost no coordinate unchanged");

        BigInteger[] wideNoised = new DiscreteGaussianSampler(variance, SeededRandom.of(9)).addTo(wide);
        for (int i = 0; i < base.length; i++) {
            assertEquals(BigInteger.valueOf(expected[i] - base[i]), wideNoised[i].subtract(wide[i]));
        }
    }

    @Test
    void overflowIsReportedNotWrapped() {
        long[] top = {Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE};
        DiscreteGaussianSampler sampler = new DiscreteGaussianSampler(Rational.of(1_000_000), SeededRandom.of(1));
        assertThrows(ArithmeticException.class, () -> {
            for (int round = 0; round < 100; round++) {
                sampler.addTo(top);
            }
        });
    }

    @Test
    void rejectsZeroVariance() {
        assertThrows(IllegalArgumentException.class, () -> new DiscreteGaussianSampler(Rational.of(0)));
    }

    @Test
    void shareVarianceIsTheAggregateOverNMin() {
        DistributedNoise noise = DistributedNoise.ofModelUnits(new BigDecimal("0.05"), 16, 8);
        // σ = 0.05 · 2^16 = 3276.8, σ² = 10737418.24 = 268435456/25; per share / 8.
        assertEquals(Rational.of(268_435_456L, 25), noise.variance());
        assertEquals(Rational.of(33_554_432L, 25), noise.shareVariance());
    }
}
