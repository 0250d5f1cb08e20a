package io.zkpfl.protocol.dp;

/**
 * {@code log erfc(x)} in double precision over the whole real line, without underflow for large
 * {@code x}: the everywhere-convergent positive series of {@code erf} below 2, the Laplace
 * continued fraction of {@code erfc} from 2 on, and {@code erfc(−x) = 2 − erfc(x)} for negatives.
 */
final class LogErfc {

    private static final double LOG_SQRT_PI = 0.5 * Math.log(Math.PI);
    private static final int FRACTION_DEPTH = 160;

    private LogErfc() {
    }

    static double of(double x) {
        if (Double.isNaN(x)) {
            return Double.NaN;
        }
        if (x < 0) {
            return Math.log(2 - Math.exp(of(-x)));
        }
        if (x < 2) {
            return Math.log1p(-erf(x));
        }
        if (x == Double.POSITIVE_INFINITY) {
            return Double.NEGATIVE_INFINITY;
        }
        double fraction = x;
        for (int k = FRACTION_DEPTH; k >= 1; k--) {
            fraction = x + (k / 2.0) / fraction;
        }
        return -x * x - LOG_SQRT_PI - Math.log(fraction);
    }

    /** {@code erf(x) = 2/√π · e^{−x²} · Σ_n 2^n x^{2n+1} / (1·3·…·(2n+1))}, all terms positive. */
    private static double erf(double x) {
        double term = x;
        double sum = x;
        double twoXSquared = 2 * x * x;
        for (int n = 1; n < 200 && term > 1e-17 * sum; n++) {
            term *= twoXSquared / (2 * n + 1);
            sum += term;
        }
        return 2 / Math.sqrt(Math.PI) * Math.exp(-x * x) * sum;
    }
}
