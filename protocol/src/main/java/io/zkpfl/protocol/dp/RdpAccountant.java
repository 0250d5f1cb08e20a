package io.zkpfl.protocol.dp;

import java.util.Arrays;
import java.util.stream.DoubleStream;
import java.util.stream.IntStream;

/**
 * Composes mechanisms by adding their RDP curves at a fixed set of orders and converts the total
 * to {@code (ε, δ)}-DP at the order that gives the smallest {@code ε}. Not thread-safe.
 */
public final class RdpAccountant {

    private static final double[] DEFAULT_ORDERS = DoubleStream.concat(
            DoubleStream.concat(
                    IntStream.rangeClosed(11, 109).mapToDouble(tenths -> tenths / 10.0),
                    IntStream.rangeClosed(11, 63).asDoubleStream()),
            DoubleStream.of(128, 256, 512)).toArray();

    private final double delta;
    private final double[] orders;
    private final EpsilonConversion conversion;
    private final double[] total;
    private long steps;

    /** At {@code delta}, over {@link #defaultOrders()}, with {@link EpsilonConversion#BALLE_2020}. */
    public RdpAccountant(double delta) {
        this(delta, DEFAULT_ORDERS, EpsilonConversion.BALLE_2020);
    }

    /**
     * @param delta      {@code 0 < δ < 1}
     * @param orders     the orders tracked, each {@code > 1}
     * @param conversion RDP to {@code (ε, δ)}
     */
    public RdpAccountant(double delta, double[] orders, EpsilonConversion conversion) {
        if (!(delta > 0 && delta < 1)) {
            throw new IllegalArgumentException("δ must lie in (0, 1)");
        }
        if (orders.length == 0 || Arrays.stream(orders).anyMatch(order -> !(order > 1) || Double.isInfinite(order))) {
            throw new IllegalArgumentException("orders must be finite and exceed 1");
        }
        this.delta = delta;
        this.orders = orders.clone();
        this.conversion = conversion;
        this.total = new double[orders.length];
    }

    /**
     * 1.1 to 10.9 in steps of 0.1 and 12 to 63 (the grid of TensorFlow Privacy's tutorials and of
     * Opacus), plus 11, and 128, 256 and 512 for small budgets.
     */
    public static double[] defaultOrders() {
        return DEFAULT_ORDERS.clone();
    }

    /** Records {@code count ≥ 0} invocations of {@code mechanism}. */
    public void compose(RdpMechanism mechanism, long count) {
        double[] perStep = curve(mechanism);
        for (int k = 0; k < orders.length; k++) {
            total[k] += count == 0 ? 0 : count * perStep[k];
        }
        steps += count;
    }

    /** The guarantee of everything composed so far. */
    public PrivacySpent spent() {
        return best(total);
    }

    /** The guarantee after {@code count} more invocations of {@code mechanism}, without recording them. */
    public PrivacySpent spentAfter(RdpMechanism mechanism, long count) {
        double[] perStep = curve(mechanism);
        double[] after = new double[orders.length];
        for (int k = 0; k < orders.length; k++) {
            after[k] = total[k] + (count == 0 ? 0 : count * perStep[k]);
        }
        return best(after);
    }

    /** Invocations composed so far. */
    public long steps() {
        return steps;
    }

    /** The {@code δ} at which {@code ε} is reported. */
    public double delta() {
        return delta;
    }

    double[] curve(RdpMechanism mechanism) {
        double[] curve = new double[orders.length];
        for (int k = 0; k < orders.length; k++) {
            curve[k] = mechanism.rdp(orders[k]);
        }
        return curve;
    }

    private PrivacySpent best(double[] rdp) {
        double epsilon = Double.POSITIVE_INFINITY;
        double order = Double.NaN;
        for (int k = 0; k < orders.length; k++) {
            double candidate = conversion.epsilon(rdp[k], orders[k], delta);
            if (candidate < epsilon) {
                epsilon = candidate;
                order = orders[k];
            }
        }
        return new PrivacySpent(epsilon, delta, order);
    }
}
