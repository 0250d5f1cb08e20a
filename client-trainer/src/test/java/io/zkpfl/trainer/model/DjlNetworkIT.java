package io.zkpfl.trainer.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.zkpfl.protocol.model.ModelSpec;
import io.zkpfl.trainer.bench.DjlNetwork;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The engine benchmark's DJL model (libtorch, loaded in this JVM, away from ND4J's) computes the
 * spec's network from the canonical parameters: its output agrees with the independent plain-Java
 * forward pass. This is the check the port to DJL (docs/adr/0045) must keep passing.
 */
class DjlNetworkIT {

    @ParameterizedTest
    @ValueSource(strings = {"logreg", "mlp", "cnn"})
    void outputMatchesAnIndependentForwardPassOverTheCanonicalLayout(String name) {
        System.setProperty("ai.djl.offline", "true");
        ModelSpec spec = BuiltInModel.byName(name).spec();
        float[] params = random(spec.parameterCount(), 11);
        int batch = 3;
        int size = spec.inputSize();
        float[] x = random((long) batch * size, 5);
        try (DjlNetwork net = new DjlNetwork(spec, params, 0.01f)) {
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
    }

    private static float[] random(long n, long seed) {
        Random r = new Random(seed);
        float[] v = new float[(int) n];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (r.nextDouble() - 0.5);
        }
        return v;
    }
}
