package io.zkpfl.trainer.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.zkpfl.protocol.model.ModelSpec;
import io.zkpfl.protocol.model.Optimiser;
import io.zkpfl.protocol.model.TrainingPlan;
import io.zkpfl.protocol.model.WeightInitializer;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SpecNetworkTest {

    private static final TrainingPlan PLAN = new TrainingPlan(1, 16, 0.01, Optimiser.SGD);

    /** Every layer type and activation, odd sizes, SAME and VALID padding, strides 1 and 2. */
    static final String ZOO = """
            {"input": {"shape": [2, 9, 7]},
             "layers": [{"type": "conv2d", "filters": 3, "kernel": [3, 2], "stride": [1, 1], "padding": "same", "activation": "tanh"},
                        {"type": "conv2d", "filters": 4, "kernel": [3, 3], "stride": [2, 2], "padding": "same", "activation": "leaky_relu"},
                        {"type": "maxpool2d", "pool": [2, 2], "stride": [1, 1]},
                        {"type": "conv2d", "filters": 2, "kernel": [2, 2], "stride": [1, 2], "padding": "valid", "activation": "identity"},
                        {"type": "flatten"},
                        {"type": "dropout", "rate": 0.5},
                        {"type": "dense", "units": 5, "activation": "sigmoid"},
                        {"type": "dense", "units": 6, "activation": "relu"},
                        {"type": "output", "units": 4, "activation": "softmax"}],
             "loss": "cross_entropy"}""";

    @ParameterizedTest
    @ValueSource(strings = {"logreg", "mlp", "cnn"})
    void builtInModelsRoundTripCanonicalParameters(String name) {
        ModelSpec spec = BuiltInModel.byName(name).spec();
        SpecNetwork net = SpecNetwork.build(spec, PLAN, 1);
        assertArrayEquals(WeightInitializer.initialise(spec, 1), net.parameters(), "a fresh network holds the seeded initial weights");
        float[] values = random(spec.parameterCount(), 7);
        net.setParameters(values);
        assertArrayEquals(values, net.parameters());
    }

    @ParameterizedTest
    @ValueSource(strings = {"logreg", "mlp", "cnn", "zoo"})
    void outputMatchesAnIndependentForwardPassOverTheCanonicalLayout(String name) {
        ModelSpec spec = name.equals("zoo") ? ModelSpec.parse(ZOO) : BuiltInModel.byName(name).spec();
        SpecNetwork net = SpecNetwork.build(spec, PLAN, 3);
        float[] params = random(spec.parameterCount(), 11);
        net.setParameters(params);
        assertArrayEquals(params, net.parameters());

        int size = spec.inputSize();
        int batch = 3;
        float[] x = random(batch * size, 5);
        float[] actual = net.output(x, batch);
        int outputs = spec.outputSize();
        assertEquals(batch * outputs, actual.length);
        for (int s = 0; s < batch; s++) {
            float[] sample = new float[size];
            System.arraycopy(x, s * size, sample, 0, size);
            double[] expected = ReferenceForward.forward(spec, params, sample);
            for (int o = 0; o < outputs; o++) {
                assertEquals(expected[o], actual[s * outputs + o], 1e-4 + 1e-3 * Math.abs(expected[o]),
                        name + " sample " + s + " output " + o);
            }
        }
    }

    @Test
    void convolutionWeightsAreNotSymmetricUnderTransposition() {
        // Guards the test above: swapping kernel axes in the parameters must change the output, so a
        // transposed mapping could not pass it by accident.
        ModelSpec spec = ModelSpec.parse(ZOO);
        float[] params = random(spec.parameterCount(), 11);
        float[] swapped = params.clone();
        int w = (int) spec.parameterLayout().get(0).offset();
        float tmp = swapped[w + 1];
        swapped[w + 1] = swapped[w + 2];
        swapped[w + 2] = tmp;
        float[] x = random(spec.inputSize(), 5);
        double[] a = ReferenceForward.forward(spec, params, x);
        double[] b = ReferenceForward.forward(spec, swapped, x);
        double diff = 0;
        for (int i = 0; i < a.length; i++) {
            diff += Math.abs(a[i] - b[i]);
        }
        org.junit.jupiter.api.Assertions.assertTrue(diff > 1e-6);
    }

    @Test
    void rejectsParameterVectorsOfTheWrongLength() {
        ModelSpec spec = BuiltInModel.LOGREG.spec();
        SpecNetwork net = SpecNetwork.build(spec, PLAN, 1);
        assertThrows(IllegalArgumentException.class, () -> net.setParameters(new float[(int) spec.parameterCount() - 1]));
        assertThrows(IllegalArgumentException.class, () -> net.output(new float[spec.inputSize() * 2 - 1], 2));
        assertThrows(IllegalArgumentException.class, () -> net.fit(new float[spec.inputSize()], new int[2]));
    }

    static float[] random(long n, long seed) {
        Random r = new Random(seed);
        float[] v = new float[(int) n];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (r.nextDouble() - 0.5);
        }
        return v;
    }
}
