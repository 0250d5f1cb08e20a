package io.zkpfl.trainer.data;

import java.util.Random;

/**
 * Samples from a symmetric Dirichlet distribution by normalising Gamma(α, 1) draws. Gamma uses
 * Marsaglia and Tsang's method (2000), with the {@code U^(1/α)} boost for α &lt; 1.
 */
public final class DirichletSampler {

    private DirichletSampler() {
    }

    /** One draw of {@code k} proportions summing to 1 from Dirichlet(α, …, α). */
    public static double[] sample(double alpha, int k, Random random) {
        double[] g = new double[k];
        double sum = 0;
        for (int i = 0; i < k; i++) {
            g[i] = gamma(alpha, random);
            sum += g[i];
        }
        if (sum == 0) {
            g[random.nextInt(k)] = 1;
            return g;
        }
        for (int i = 0; i < k; i++) {
            g[i] /= sum;
        }
        return g;
    }

    /** One draw from Gamma(shape, 1). */
    public static double gamma(double shape, Random random) {
        if (shape < 1) {
            double u = random.nextDouble();
            return gamma(shape + 1, random) * Math.pow(u, 1 / shape);
        }
        double d = shape - 1.0 / 3;
        double c = 1 / Math.sqrt(9 * d);
        while (true) {
            double x;
            double v;
            do {
                x = random.nextGaussian();
                v = 1 + c * x;
            } while (v <= 0);
            v = v * v * v;
            double u = random.nextDouble();
            if (u < 1 - 0.0331 * x * x * x * x || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) {
                return d * v;
            }
        }
    }
}
