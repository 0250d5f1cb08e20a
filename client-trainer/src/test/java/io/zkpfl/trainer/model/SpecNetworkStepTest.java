package io.zkpfl.trainer.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zkpfl.protocol.model.ModelSpec;
import io.zkpfl.protocol.model.Optimiser;
import io.zkpfl.protocol.model.TrainingPlan;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * One training step of {@link SpecNetwork} against hand-derived arithmetic: the gradient of a
 * softmax regression, each optimiser's first update, and the loss each spec's training reports,
 * with probabilities from the independent {@link ReferenceForward}.
 */
class SpecNetworkStepTest {

    private static final int IN = 12;
    private static final int OUT = 5;
    private static final int N = 7;
    private static final double LR = 0.1;

    private static final ModelSpec SOFTMAX_REGRESSION = ModelSpec.parse("""
            {"input": {"shape": [12]}, "layers": [{"type": "output", "units": 5, "activation": "softmax"}], "loss": "cross_entropy"}""");

    @ParameterizedTest
    @EnumSource(Optimiser.class)
    void firstUpdateFollowsTheOptimisersFormulaOnTheBatchMeanGradient(Optimiser optimiser) {
        TrainingPlan plan = new TrainingPlan(1, N, LR, optimiser);
        SpecNetwork net = SpecNetwork.build(SOFTMAX_REGRESSION, plan, 1);
        float[] w0 = SpecNetworkTest.random(SOFTMAX_REGRESSION.parameterCount(), 3);
        net.setParameters(w0);
        float[] x = SpecNetworkTest.random((long) N * IN, 4);
        int[] labels = new int[N];
        for (int k = 0; k < N; k++) {
            labels[k] = (k * 3) % OUT;
        }
        // canonical layout: W [in][out] row-major, then b [out]; d loss / d logits = p - y
        double[] grad = new double[w0.length];
        double loss = 0;
        for (int k = 0; k < N; k++) {
            float[] sample = new float[IN];
            System.arraycopy(x, k * IN, sample, 0, IN);
            double[] p = ReferenceForward.forward(SOFTMAX_REGRESSION, w0, sample);
            loss -= Math.log(p[labels[k]]);
            for (int o = 0; o < OUT; o++) {
                double d = (p[o] - (o == labels[k] ? 1 : 0)) / N;
                for (int i = 0; i < IN; i++) {
                    grad[i * OUT + o] += sample[i] * d;
                }
                grad[IN * OUT + o] += d;
            }
        }
        double reported = net.fit(x, labels);
        assertEquals(loss / N, reported, 1e-5, "mean cross-entropy before the update");

        float[] w1 = net.parameters();
        for (int j = 0; j < w0.length; j++) {
            double g = grad[j];
            double expected = switch (optimiser) {
                case SGD -> w0[j] - LR * g;
                // v1 = -lr g; w1 = w0 + mu v1 - lr g
                case MOMENTUM -> w0[j] - (1 + SpecNetwork.MOMENTUM) * LR * g;
                // m1 = (1-b1) g, v1 = (1-b2) g^2, step lr sqrt(1-b2)/(1-b1) m1 / (sqrt(v1) + eps)
                case ADAM -> w0[j] - LR * Math.sqrt(1 - SpecNetwork.ADAM_BETA2) * g
                        / (Math.sqrt(1 - SpecNetwork.ADAM_BETA2) * Math.abs(g) + SpecNetwork.ADAM_EPSILON);
            };
            assertEquals(expected, w1[j], 2e-6 + 1e-4 * Math.abs(expected - w0[j]), optimiser + " parameter " + j);
        }
        assertTrue(java.util.Arrays.stream(grad).anyMatch(g -> Math.abs(g) > 1e-3), "the batch moves the weights");
    }

    @ParameterizedTest
    @ValueSource(strings = {"softmax/cross_entropy", "sigmoid/cross_entropy", "identity/mse", "softmax/mse"})
    void reportedLossIsTheSpecsLossOfTheOutputsBeforeTheUpdate(String outputAndLoss) {
        String[] parts = outputAndLoss.split("/");
        ModelSpec spec = ModelSpec.parse("""
                {"input": {"shape": [12]},
                 "layers": [{"type": "dense", "units": 6, "activation": "tanh"},
                            {"type": "output", "units": 5, "activation": "%s"}],
                 "loss": "%s"}""".formatted(parts[0], parts[1]));
        SpecNetwork net = SpecNetwork.build(spec, new TrainingPlan(1, N, LR, Optimiser.SGD), 2);
        float[] x = SpecNetworkTest.random((long) N * IN, 6);
        int[] labels = new Random(7).ints(N, 0, OUT).toArray();
        float[] out = net.output(x, N);
        double expected = 0;
        for (int k = 0; k < N; k++) {
            for (int o = 0; o < OUT; o++) {
                double p = out[k * OUT + o];
                double y = o == labels[k] ? 1 : 0;
                expected += switch (outputAndLoss) {
                    case "softmax/cross_entropy" -> -y * Math.log(p);
                    case "sigmoid/cross_entropy" -> -(y * Math.log(p) + (1 - y) * Math.log(1 - p));
                    default -> (p - y) * (p - y) / OUT;
                };
            }
        }
        expected /= N;
        assertEquals(expected, net.fit(x, labels), 1e-5 + 1e-5 * expected);
        float[] after = net.output(x, N);
        assertTrue(!java.util.Arrays.equals(out, after), "the step changed the outputs");

        // steps add their summed losses on the device: two steps give what two fits report
        SpecNetwork a = SpecNetwork.build(spec, new TrainingPlan(1, N, LR, Optimiser.SGD), 2);
        SpecNetwork b = SpecNetwork.build(spec, new TrainingPlan(1, N, LR, Optimiser.SGD), 2);
        float[] x2 = SpecNetworkTest.random((long) N * IN, 8);
        double twoFits = (a.fit(x, labels) + a.fit(x2, labels)) * N;
        b.step(x, labels);
        b.step(x2, labels);
        assertEquals(twoFits, b.takeLossSum(), 1e-5 * twoFits);
        assertEquals(0, b.takeLossSum(), "the sum starts afresh");
    }
}
