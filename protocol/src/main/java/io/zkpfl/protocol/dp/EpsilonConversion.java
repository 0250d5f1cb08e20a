package io.zkpfl.protocol.dp;

/** How an {@code (α, ε_R)}-RDP guarantee becomes {@code (ε, δ)}-DP. */
public enum EpsilonConversion {

    /**
     * Mironov, "Rényi Differential Privacy" (2017), Proposition 3:
     * {@code ε = ε_R + log(1/δ)/(α − 1)}. What TensorFlow Privacy and Opacus used before 2021.
     */
    MIRONOV_2017 {
        @Override
        public double epsilon(double rdp, double order, double delta) {
            return rdp + Math.log(1 / delta) / (order - 1);
        }
    },

    /**
     * Balle, Barthe, Gaboardi, Hsu and Sato, "Hypothesis Testing Interpretations and Rényi
     * Differential Privacy" (AISTATS 2020), Theorem 21 (also Canonne, Kamath and Steinke 2020):
     * {@code ε = ε_R + log((α − 1)/α) − (log δ + log α)/(α − 1)}, never below 0. What TensorFlow
     * Privacy's {@code dp_accounting} and Opacus use now; always at most {@link #MIRONOV_2017}.
     */
    BALLE_2020 {
        @Override
        public double epsilon(double rdp, double order, double delta) {
            double epsilon = rdp + Math.log1p(-1 / order) - (Math.log(delta) + Math.log(order)) / (order - 1);
            return Math.max(0, epsilon);
        }
    };

    /** The {@code ε} at which {@code (order, rdp)}-RDP implies {@code (ε, delta)}-DP; {@code 0 < delta < 1}. */
    public abstract double epsilon(double rdp, double order, double delta);
}
