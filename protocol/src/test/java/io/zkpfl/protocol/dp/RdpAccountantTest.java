package io.zkpfl.protocol.dp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.DoubleStream;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The accountant against published (ε, δ) figures of other implementations, and against laws of RDP. */
class RdpAccountantTest {

    /** The orders TensorFlow Privacy's MNIST tutorial tracked: 1.1 … 10.9, then 12 … 63. */
    private static final double[] TUTORIAL_ORDERS = DoubleStream.concat(
            IntStream.rangeClosed(11, 109).mapToDouble(tenths -> tenths / 10.0),
            IntStream.rangeClosed(12, 63).asDoubleStream()).toArray();

    /** The orders of TensorFlow Privacy's compute_dp_sgd_privacy_lib. */
    private static final double[] COMPUTE_DP_SGD_ORDERS = DoubleStream.concat(
            DoubleStream.concat(DoubleStream.of(1.25, 1.5, 1.75, 2, 2.25, 2.5, 3, 3.5, 4, 4.5),
                    IntStream.rangeClosed(5, 63).asDoubleStream()),
            DoubleStream.of(128, 256, 512)).toArray();

    private static PrivacySpent dpSgd(double noise, double rate, long steps, double delta, double[] orders,
            EpsilonConversion conversion) {
        RdpAccountant accountant = new RdpAccountant(delta, orders, conversion);
        accountant.compose(new SampledGaussian(noise, rate), steps);
        return accountant.spent();
    }

    /**
     * tensorflow/privacy, tutorials/README.md, "Select Parameters" table: MNIST (60 000 examples),
     * 256 examples per step, δ = 1e-5, ε printed to two decimals by the RDP accountant of the time
     * (Mironov 2017 conversion); steps = epochs · 60000 / 256, rounded down.
     */
    @ParameterizedTest(name = "z = {0}, {1} epochs: ε = {2}")
    @CsvSource({"1.12, 60, 2.92", "0.6, 30, 9.74", "1.2, 10, 1.20"})
    void tensorFlowPrivacyTutorialTable(double noise, int epochs, double published) {
        long steps = epochs * 60_000L / 256;
        PrivacySpent spent = dpSgd(noise, 256 / 60_000.0, steps, 1e-5, TUTORIAL_ORDERS, EpsilonConversion.MIRONOV_2017);
        assertEquals(published, spent.epsilon(), 0.01 * published);
    }

    /**
     * Abadi et al., "Deep Learning with Differential Privacy" (CCS 2016), Section 3.1: q = 0.01,
     * σ = 4, δ = 1e-5, T = 10 000 gives ε ≈ 1.26 with the moments accountant, i.e. integer moments
     * λ ≤ 32 (RDP orders λ + 1 ≤ 33) and the Mironov 2017 conversion.
     */
    @Test
    void abadiEtAlMomentsAccountantExample() {
        double[] orders = IntStream.rangeClosed(2, 33).asDoubleStream().toArray();
        PrivacySpent spent = dpSgd(4, 0.01, 10_000, 1e-5, orders, EpsilonConversion.MIRONOV_2017);
        assertEquals(1.26, spent.epsilon(), 0.01 * 1.26);
    }

    /**
     * tensorflow/privacy, tensorflow_privacy/privacy/analysis/compute_dp_sgd_privacy_test.py,
     * test_compute_dp_sgd_privacy Test0 and Test1 (dp_accounting's RDP accountant, whose conversion
     * is Balle et al. 2020): steps = ⌈epochs · n / batch⌉, q = batch / n. Published to 16 digits with
     * the optimal order.
     */
    @ParameterizedTest(name = "n = {0}, batch = {1}, z = {2}, epochs = {3}, δ = {4}")
    @CsvSource({"60000, 150, 1.3, 15, 1e-5, 0.7242234026109595, 19",
                "100000, 100, 1.0, 30, 1e-7, 1.4154988495444842, 13"})
    void tensorFlowPrivacyComputeDpSgdPrivacy(long n, long batch, double noise, int epochs, double delta,
            double published, double order) {
        long steps = (long) Math.ceil((double) epochs * n / batch);
        PrivacySpent spent = dpSgd(noise, (double) batch / n, steps, delta, COMPUTE_DP_SGD_ORDERS,
                EpsilonConversion.BALLE_2020);
        assertEquals(published, spent.epsilon(), 1e-6 * published);
        assertEquals(order, spent.order());
    }

    /** Without subsampling the sampled Gaussian's binomial sum must collapse to the Gaussian mechanism's α/(2σ²). */
    @ParameterizedTest(name = "σ = {0}")
    @CsvSource({"0.5", "1", "2.5", "7"})
    void fullParticipationIsTheGaussianMechanism(double sigma) {
        SampledGaussian full = SampledGaussian.fullParticipation(sigma);
        for (int order = 2; order <= 256; order++) {
            double closedForm = order / (2 * sigma * sigma);
            assertEquals(closedForm, full.rdp(order), 1e-12 * closedForm, "α = " + order);
        }
        SampledGaussian almostFull = new SampledGaussian(sigma, 1 - 1e-9);
        for (double order : new double[] {1.5, 2.5, 7.3}) {
            double closedForm = order / (2 * sigma * sigma);
            assertEquals(closedForm, almostFull.rdp(order), 1e-6 * closedForm, "α = " + order);
        }
    }

    /** Mironov et al. give two expansions of A_α; at integer orders they must agree. */
    @ParameterizedTest(name = "σ = {0}, q = {1}")
    @CsvSource({"0.8, 0.01", "1.0, 0.1", "4.0, 0.5", "1.5, 0.004"})
    void fractionalSeriesAgreesWithBinomialSumAtIntegerOrders(double sigma, double q) {
        SampledGaussian mechanism = new SampledGaussian(sigma, q);
        for (int order : new int[] {2, 3, 5, 10, 20, 40}) {
            double binomial = mechanism.integerOrderLogA(order);
            double series = mechanism.fractionalOrderLogA(order);
            assertEquals(binomial, series, 1e-9 * Math.max(1, Math.abs(binomial)), "α = " + order);
        }
    }

    /** Rényi divergence is non-decreasing in the order, across the fractional and integer paths alike. */
    @Test
    void rdpIsNonDecreasingInTheOrder() {
        double[] orders = RdpAccountant.defaultOrders();
        for (SampledGaussian mechanism : new SampledGaussian[] {
                new SampledGaussian(1.1, 256 / 60_000.0), new SampledGaussian(0.7, 0.05), new SampledGaussian(3, 0.3)}) {
            double previous = 0;
            for (double order : orders) {
                double rdp = mechanism.rdp(order);
                assertTrue(rdp >= previous * (1 - 1e-12), mechanism + " at α = " + order);
                previous = rdp;
            }
        }
    }

    @Test
    void epsilonGrowsWithStepsAndShrinksWithNoise() {
        double previous = 0;
        for (long steps : new long[] {1, 10, 100, 1000, 10_000}) {
            double epsilon = dpSgd(1.1, 0.01, steps, 1e-5, RdpAccountant.defaultOrders(), EpsilonConversion.BALLE_2020)
                    .epsilon();
            assertTrue(epsilon > previous, "steps " + steps);
            previous = epsilon;
        }
        previous = Double.POSITIVE_INFINITY;
        for (double noise : new double[] {0.6, 0.8, 1.0, 1.5, 3, 10}) {
            double epsilon = dpSgd(noise, 0.01, 1000, 1e-5, RdpAccountant.defaultOrders(), EpsilonConversion.BALLE_2020)
                    .epsilon();
            assertTrue(epsilon < previous, "noise " + noise);
            previous = epsilon;
        }
    }

    @Test
    void improvedConversionNeverExceedsTheClassicOne() {
        for (double order : RdpAccountant.defaultOrders()) {
            for (double rdp : new double[] {0, 0.01, 1, 30}) {
                assertTrue(EpsilonConversion.BALLE_2020.epsilon(rdp, order, 1e-5)
                        <= EpsilonConversion.MIRONOV_2017.epsilon(rdp, order, 1e-5));
            }
        }
    }

    /** Reference values of log erfc computed separately in 30-digit arithmetic. */
    @ParameterizedTest(name = "log erfc({0})")
    @CsvSource({"-3, 0.69313613525044681032", "-1, 0.61123231767807049464", "0, 0", "0.5, -0.73501112983708440303",
                "1, -1.8496055099332482486", "1.9, -4.9323458627802689327", "2, -5.3649412646166375745",
                "2.1, -5.8160109688675550134", "3, -10.720363041981112568", "5, -27.200889545537434422",
                "10, -102.87988902484488857", "30, -903.97411711064387808"})
    void logErfc(double x, double expected) {
        assertEquals(expected, LogErfc.of(x), 1e-12 * Math.max(1, Math.abs(expected)));
    }

    @Test
    void rejectsOrdersAndDeltasOutOfRange() {
        assertThrows(IllegalArgumentException.class, () -> new RdpAccountant(0));
        assertThrows(IllegalArgumentException.class,
                () -> new RdpAccountant(1e-5, new double[] {1.0}, EpsilonConversion.BALLE_2020));
        assertThrows(IllegalArgumentException.class, () -> new SampledGaussian(1, 1.5));
    }
}
