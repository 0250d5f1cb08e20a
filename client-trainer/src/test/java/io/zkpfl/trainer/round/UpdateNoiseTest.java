package io.zkpfl.trainer.round;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zkpfl.protocol.dp.JobPrivacy;
import io.zkpfl.protocol.fixedpoint.ClipPolicy;
import io.zkpfl.protocol.fixedpoint.FixedPoint;
import io.zkpfl.zk.bn254.Fr;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * What a DP job's trainer deals: the clipped, weighted, encoded update plus its own noise share. The expected encoding
 * is computed here from the definition (scale to the L2 clip, round to float32, times {@code n·2^16}, round half
 * even), the residual is the noise, and its distribution is checked against the discrete Gaussian's probability mass
 * function summed here: mean, variance, the mass beyond 3σ and a chi-square over bins, at fixed seeds. Thresholds are
 * 4 standard errors or the 0.999 chi-square quantile.
 */
class UpdateNoiseTest {

    private static final int D = 20_000;
    private static final int N_MAX = 10;
    private static final int SAMPLES = 7;
    /** z = 1, C = 0.001, n_min = 4: σ = 0.01 model units = 655.36 integer units, σ_i = σ/2 = 327.68. */
    private static final JobPrivacy TERMS = new JobPrivacy(new BigDecimal("8"), new BigDecimal("1e-5"), BigDecimal.ONE,
            new BigDecimal("0.001"), 4);
    private static final double SHARE_SIGMA = 0.01 * 65536 / 2;

    private static SecureRandom seeded(long seed) {
        try {
            SecureRandom r = SecureRandom.getInstance("SHA1PRNG");
            r.setSeed(ByteBuffer.allocate(Long.BYTES).putLong(seed).array());
            return r;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The chain's clip for B = 1 (clipQ16 = 2^16): C = √d, far above the privacy terms' 0.001. */
    private static ClipPolicy chainClip() {
        return RoundShape.clip(BigInteger.ONE.shiftLeft(16), N_MAX, D);
    }

    private static float[] update(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] delta = new float[D];
        for (int j = 0; j < D; j++) {
            delta[j] = (float) ((r.nextDouble() - 0.5) * 0.02);
        }
        return delta;
    }

    /** The definition of the encoding of Δ clipped to L2 norm c, without noise. */
    private static long[] plainEncoding(float[] delta, double c, int n) {
        double sum = 0;
        for (float v : delta) {
            sum += (double) v * v;
        }
        double scale = Math.min(1, c / Math.sqrt(sum));
        long[] q = new long[delta.length];
        for (int j = 0; j < delta.length; j++) {
            q[j] = (long) Math.rint((float) (delta[j] * scale) * (double) n * 65536);
        }
        return q;
    }

    private static long[] residual(Fr[] dealt, long[] plain) {
        long[] noise = new long[plain.length];
        for (int j = 0; j < plain.length; j++) {
            noise[j] = FixedPoint.decode(dealt[j]).longValueExact() - plain[j];
        }
        return noise;
    }

    @Test
    void theDealtUpdateIsTheClippedEncodingPlusADiscreteGaussianShare() {
        UpdateNoise noise = UpdateNoise.of(TERMS, chainClip(), 4, seeded(11));
        float[] delta = update(5);
        Fr[] dealt = RoundRunner.encode(chainClip(), noise, delta, SAMPLES);
        assertEquals(D, dealt.length, "noise goes on the d model coordinates only; masks are the dealer's");
        long[] x = residual(dealt, plainEncoding(delta, 0.001, SAMPLES));

        double mean = 0;
        for (long v : x) {
            mean += v;
        }
        mean /= D;
        double var = 0;
        long beyond3 = 0;
        for (long v : x) {
            var += (v - mean) * (v - mean);
            if (Math.abs(v) > 3 * SHARE_SIGMA) {
                beyond3++;
            }
        }
        var /= D - 1;
        double s2 = SHARE_SIGMA * SHARE_SIGMA;
        assertTrue(Math.abs(mean) < 4 * SHARE_SIGMA / Math.sqrt(D), "mean " + mean);
        assertTrue(Math.abs(var - s2) < 4 * s2 * Math.sqrt(2.0 / D), "variance " + var + ", expected " + s2);

        double[] pmf = pmf(SHARE_SIGMA, 20);
        int half = pmf.length / 2;
        double tail3 = 0;
        for (int v = -half; v <= half; v++) {
            if (Math.abs(v) > 3 * SHARE_SIGMA) {
                tail3 += pmf[v + half];
            }
        }
        double se = Math.sqrt(tail3 * (1 - tail3) / D);
        assertTrue(Math.abs(beyond3 / (double) D - tail3) < 4 * se,
                "mass beyond 3σ: " + beyond3 / (double) D + ", expected " + tail3);

        assertChiSquare(x, pmf, SHARE_SIGMA);
    }

    @Test
    void nMinSharesSumToTheJobsSigma() {
        float[] delta = update(6);
        long[] plain = plainEncoding(delta, 0.001, SAMPLES);
        long[] sum = new long[D];
        for (int trainer = 0; trainer < 4; trainer++) {
            UpdateNoise noise = UpdateNoise.of(TERMS, chainClip(), 4, seeded(100 + trainer));
            long[] x = residual(RoundRunner.encode(chainClip(), noise, delta, SAMPLES), plain);
            for (int j = 0; j < D; j++) {
                sum[j] += x[j];
            }
        }
        double var = 0;
        for (long v : sum) {
            var += (double) v * v;
        }
        var /= D;
        double sigma = 0.01 * 65536; // σ = z · N_max · C in model units, times 2^16
        assertTrue(Math.abs(var - sigma * sigma) < 4 * sigma * sigma * Math.sqrt(2.0 / D),
                "the summed noise of n_min trainers has variance " + var + ", expected " + sigma * sigma);
    }

    @Test
    void theUpdateIsClippedToThePrivacyTermsNotTheChainsLooserBound() {
        UpdateNoise noise = UpdateNoise.of(TERMS, chainClip(), 4, seeded(1));
        assertTrue(noise.clip().l2Clip() <= 0.001 && noise.clip().l2Clip() > 0.001 * (1 - 1e-6), "clip "
                + noise.clip().l2Clip());
        // a huge update is scaled down to norm C before the noise: the residual stays noise-sized
        float[] delta = update(7);
        for (int j = 0; j < D; j++) {
            delta[j] *= 1000;
        }
        long[] x = residual(RoundRunner.encode(chainClip(), noise, delta, SAMPLES), plainEncoding(delta, 0.001, SAMPLES));
        long largest = 0;
        for (long v : x) {
            largest = Math.max(largest, Math.abs(v));
        }
        assertTrue(largest < 7 * SHARE_SIGMA, "largest residual " + largest);
    }

    @Test
    void aJobWithoutTermsGetsNoNoiseAndMalformedTermsAreRefused() {
        byte[] plain = "{\"version\":1,\"parameterCount\":3}".getBytes(StandardCharsets.UTF_8);
        assertTrue(UpdateNoise.terms(plain).isEmpty());
        byte[] withTerms = ("{\"version\":1,\"privacy\":" + TERMS.toJson() + "}").getBytes(StandardCharsets.UTF_8);
        assertEquals(TERMS, UpdateNoise.terms(withTerms).orElseThrow());
        byte[] bad = "{\"privacy\":{\"epsilon\":\"8\",\"delta\":\"1e-5\",\"noiseMultiplier\":\"-1\",\"l2Clip\":\"1\",\"minTrainers\":2}}"
                .getBytes(StandardCharsets.UTF_8);
        TrainerException e = assertThrows(TrainerException.class, () -> UpdateNoise.terms(bad));
        assertEquals(TrainerException.REFUSED, e.exitCode());
        assertTrue(e.getMessage().contains("noiseMultiplier"), e.getMessage());

        float[] delta = update(8);
        Fr[] dealt = RoundRunner.encode(chainClip(), null, delta, SAMPLES);
        long[] x = residual(dealt, plainEncoding(delta, chainClip().l2Clip(), SAMPLES));
        for (long v : x) {
            assertTrue(Math.abs(v) <= 1, "without privacy terms the dealt update is the plain encoding");
        }
    }

    @Test
    void aChainThatAggregatesFewerTrainersThanTheNoiseIsSplitAmongIsRefused() {
        TrainerException e = assertThrows(TrainerException.class, () -> UpdateNoise.of(TERMS, chainClip(), 3, seeded(1)));
        assertEquals(TrainerException.REFUSED, e.exitCode());
        assertTrue(e.getMessage().contains("n_min = 4"), e.getMessage());
    }

    @Test
    void theLogLineGivesTheScaleNotTheNoise() {
        UpdateNoise noise = UpdateNoise.of(TERMS, chainClip(), 4, seeded(1));
        String line = noise.describe();
        assertTrue(line.contains("σ = 0.01"), line);
        assertTrue(line.contains("n_min = 4"), line);
        assertTrue(line.contains("327.7"), line);
    }

    /** {@code P[x] ∝ exp(−x²/2σ²)} on [−kσ, kσ], index x + half. */
    private static double[] pmf(double sigma, int k) {
        int half = (int) Math.ceil(k * sigma);
        double[] p = new double[2 * half + 1];
        double total = 0;
        for (int v = -half; v <= half; v++) {
            p[v + half] = Math.exp(-(double) v * v / (2 * sigma * sigma));
            total += p[v + half];
        }
        for (int i = 0; i < p.length; i++) {
            p[i] /= total;
        }
        return p;
    }

    /** 30 equal-width bins over [−3σ, 3σ] plus the two tails. */
    private static void assertChiSquare(long[] x, double[] pmf, double sigma) {
        int half = pmf.length / 2;
        int bins = 30;
        double lo = -3 * sigma;
        double width = 6 * sigma / bins;
        double[] expected = new double[bins + 2];
        long[] observed = new long[bins + 2];
        for (int v = -half; v <= half; v++) {
            expected[bin(v, lo, width, bins)] += pmf[v + half] * x.length;
        }
        for (long v : x) {
            observed[bin(v, lo, width, bins)]++;
        }
        double chi2 = 0;
        for (int b = 0; b < expected.length; b++) {
            assertTrue(expected[b] >= 5, "bin " + b + " is too small for the chi-square test");
            chi2 += (observed[b] - expected[b]) * (observed[b] - expected[b]) / expected[b];
        }
        int df = expected.length - 1;
        // 0.999 quantile of chi-square(df), Wilson–Hilferty
        double h = 2.0 / (9 * df);
        double critical = df * Math.pow(1 - h + 3.0902 * Math.sqrt(h), 3);
        assertTrue(chi2 < critical, "chi-square " + chi2 + " over " + df + " degrees of freedom, critical " + critical);
    }

    private static int bin(long v, double lo, double width, int bins) {
        if (v < lo) {
            return 0;
        }
        int b = (int) Math.floor((v - lo) / width);
        return b >= bins ? bins + 1 : b + 1;
    }
}
