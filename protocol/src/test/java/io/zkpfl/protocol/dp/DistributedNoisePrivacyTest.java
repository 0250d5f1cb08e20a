package io.zkpfl.protocol.dp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The privacy of discrete Gaussian noise and of sums of shares, against Rényi divergences computed
 * here directly from the probability mass functions, and the job's round budget against the zCDP
 * conversion of Bun and Steinke (2016).
 */
class DistributedNoisePrivacyTest {

    /** log P[x] of N_Z(0, variance) for x in [−range, range], normalised by direct summation. */
    private static double[] logPmf(double variance, int range) {
        double[] log = new double[2 * range + 1];
        double normaliser = 0;
        for (int x = -range; x <= range; x++) {
            log[x + range] = -(double) x * x / (2 * variance);
            normaliser += Math.exp(log[x + range]);
        }
        double logNormaliser = Math.log(normaliser);
        for (int i = 0; i < log.length; i++) {
            log[i] -= logNormaliser;
        }
        return log;
    }

    /** D_α(P ‖ P shifted by Δ) = 1/(α−1) · log Σ_x P(x)^α P(x − Δ)^{1−α}, pmf given in logs centred at index range. */
    private static double renyiToShift(double[] logPmf, int range, int shift, double order) {
        double max = Double.NEGATIVE_INFINITY;
        double[] terms = new double[logPmf.length];
        for (int i = 0; i < logPmf.length; i++) {
            int j = i - shift;
            terms[i] = j < 0 || j >= logPmf.length ? Double.NEGATIVE_INFINITY
                    : order * logPmf[i] + (1 - order) * logPmf[j];
            max = Math.max(max, terms[i]);
        }
        double sum = 0;
        for (double term : terms) {
            sum += Math.exp(term - max);
        }
        return (max + Math.log(sum)) / (order - 1);
    }

    /** The sum of n independent N_Z(0, variance), by convolution, in logs. */
    private static double[] logPmfOfSum(double variance, int range, int n) {
        double[] share = logPmf(variance, range);
        double[] sum = share.clone();
        for (int k = 1; k < n; k++) {
            double[] next = new double[sum.length + share.length - 1];
            for (int i = 0; i < sum.length; i++) {
                for (int j = 0; j < share.length; j++) {
                    next[i + j] += Math.exp(sum[i] + share[j]);
                }
            }
            for (int i = 0; i < next.length; i++) {
                next[i] = Math.log(next[i]);
            }
            sum = next;
        }
        return sum;
    }

    /** ρ = Δ²/(2σ²) is exact for integer shifts at integer orders, and an upper bound at fractional ones. */
    @ParameterizedTest(name = "σ² = {0}/{1}, Δ = {2}")
    @CsvSource({"1, 1, 1", "1, 1, 3", "9, 4, 2", "5, 1, 1"})
    void discreteGaussianDivergenceIsRhoTimesOrder(long numerator, long denominator, int shift) {
        Rational variance = Rational.of(numerator, denominator);
        int range = 80;
        double[] log = logPmf(variance.doubleValue(), range);
        ZeroConcentrated mechanism = ZeroConcentrated.discreteGaussian(shift, variance);
        for (int order : new int[] {2, 3, 5}) {
            double exact = renyiToShift(log, range, shift, order);
            assertEquals(exact, mechanism.rdp(order), 1e-9 * exact, "α = " + order);
        }
        for (double order : new double[] {1.5, 2.5, 4.7}) {
            double exact = renyiToShift(log, range, shift, order);
            assertTrue(exact > 0 && exact <= mechanism.rdp(order) * (1 + 1e-12), "α = " + order + ": " + exact);
        }
    }

    /** Small shares (σ_i = 0.6, τ ≈ 0.29): the sum's exact divergence stays below the bound. */
    @Test
    void sumOfSmallSharesStaysBelowTheBound() {
        Rational share = Rational.of(9, 25);
        double[] log = logPmfOfSum(share.doubleValue(), 12, 2);
        DiscreteGaussianSum mechanism = new DiscreteGaussianSum(share, 2, 1, 1);
        assertEquals(10 * Math.exp(-2 * Math.PI * Math.PI * 0.36 / 2), mechanism.tau(), 1e-15);
        for (double order : new double[] {1.5, 2, 3, 5, 8}) {
            double exact = renyiToShift(log, 24, 1, order);
            assertTrue(exact > 0 && exact <= mechanism.rdp(order), "α = " + order + ": " + exact + " > "
                    + mechanism.rdp(order));
        }
    }

    /**
     * Larger shares (σ_i = 2, n = 3): the sum is indistinguishable from N_Z(0, 12), so its exact
     * divergence is α·Δ²/(2·12) and the bound is tight.
     */
    @Test
    void sumOfLargerSharesIsTightAgainstOneDiscreteGaussian() {
        Rational share = Rational.of(4);
        double[] log = logPmfOfSum(4, 40, 3);
        DiscreteGaussianSum mechanism = new DiscreteGaussianSum(share, 3, 2, 1);
        for (int order : new int[] {2, 3, 6}) {
            double exact = renyiToShift(log, 120, 2, order);
            assertEquals(order * 4.0 / 24, exact, 1e-9, "α = " + order);
            assertEquals(exact, mechanism.rdp(order), 1e-9, "α = " + order);
        }
    }

    /** n_min honest shares of σ²/n_min cost what central noise of σ² costs; colluders' shares do not count. */
    @Test
    void splitNoiseMatchesCentralNoiseAndCollusionCosts() {
        DistributedNoise noise = DistributedNoise.ofModelUnits(new BigDecimal("100"), 16, 10);
        double sensitivity = DistributedNoise.encodedL2Sensitivity(1.0, 100, 16, 25_000);
        assertEquals(6_553_600 + Math.sqrt(25_000) / 2, sensitivity, 1e-6);
        DiscreteGaussianSum honest = noise.perRound(sensitivity, 25_000, 0);
        ZeroConcentrated central = ZeroConcentrated.discreteGaussian(sensitivity, noise.variance());
        assertEquals(0, honest.tau());
        for (double order : RdpAccountant.defaultOrders()) {
            assertEquals(central.rdp(order), honest.rdp(order), 1e-12 * central.rdp(order));
            assertEquals(central.rdp(order) * 10 / 7, noise.perRound(sensitivity, 25_000, 3).rdp(order),
                    1e-12 * central.rdp(order));
        }
        assertThrows(IllegalArgumentException.class, () -> noise.perRound(sensitivity, 25_000, 10));
    }

    /**
     * ρ-zCDP per round for T rounds is (Tρ + 2√(Tρ log(1/δ)), δ)-DP (Bun and Steinke 2016, Prop. 1.3);
     * RDP accounting with the improved conversion is at least as good, so it allows at least as many
     * rounds, and it never lets ε pass the budget.
     */
    @ParameterizedTest(name = "ρ = {0}, ε = {1}")
    @CsvSource({"0.005, 1.0", "0.05, 4.0", "0.5, 8.0"})
    void roundBudgetStopsBeforeEpsilonIsExceeded(double rho, double budgetEpsilon) {
        PrivacyBudget budget = new PrivacyBudget(budgetEpsilon, 1e-5);
        RoundAccountant ledger = new RoundAccountant(budget, new ZeroConcentrated(rho));
        assertEquals(0, ledger.spent().epsilon());
        long planned = ledger.remainingRounds();
        PrivacySpent last = null;
        while (ledger.fitsAnotherRound()) {
            PrivacySpent spent = ledger.recordRound();
            assertTrue(last == null || spent.epsilon() > last.epsilon());
            last = spent;
        }
        assertTrue(last != null && last.epsilon() <= budgetEpsilon);
        assertEquals(planned, ledger.rounds());
        assertEquals(0, ledger.remainingRounds());
        assertThrows(IllegalStateException.class, ledger::recordRound);
        assertEquals(planned, ledger.rounds());

        RdpAccountant oneMore = new RdpAccountant(1e-5);
        oneMore.compose(new ZeroConcentrated(rho), planned + 1);
        assertTrue(oneMore.spent().epsilon() > budgetEpsilon);

        long bunSteinke = 0;
        while (zcdpEpsilon((bunSteinke + 1) * rho, 1e-5) <= budgetEpsilon) {
            bunSteinke++;
        }
        assertTrue(planned >= bunSteinke, planned + " rounds < " + bunSteinke);
    }

    private static double zcdpEpsilon(double rho, double delta) {
        return rho + 2 * Math.sqrt(rho * Math.log(1 / delta));
    }

    @Test
    void aBudgetTooSmallForOneRoundAllowsNone() {
        RoundAccountant ledger = new RoundAccountant(new PrivacyBudget(0.1, 1e-6), new ZeroConcentrated(1));
        assertFalse(ledger.fitsAnotherRound());
        assertEquals(0, ledger.remainingRounds());
    }

    /** The tail bound holds against the exact tail mass of one share and of a sum of three, summed from the pmfs. */
    @Test
    void noiseBoundCoversTheExactTail() {
        DistributedNoise noise = new DistributedNoise(Rational.of(12), 3);
        for (int trainers : new int[] {1, 3}) {
            double[] log = trainers == 1 ? logPmf(4, 60) : logPmfOfSum(4, 60, 3);
            int centre = (log.length - 1) / 2;
            for (double failure : new double[] {1e-2, 1e-6, 1e-12}) {
                long bound = noise.noiseBound(trainers, 1, failure);
                double tail = 0;
                for (int i = 0; i < log.length; i++) {
                    if (Math.abs(i - centre) > bound) {
                        tail += Math.exp(log[i]);
                    }
                }
                assertTrue(tail <= failure, trainers + " trainers, failure " + failure + ": tail " + tail);
                assertTrue(tail >= failure * 1e-6, "the bound should not be absurdly loose: " + tail);
            }
        }
        assertTrue(noise.noiseBound(3, 1 << 15, 1e-9) > noise.noiseBound(3, 1, 1e-9));
    }
}
