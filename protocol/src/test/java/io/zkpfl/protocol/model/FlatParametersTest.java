package io.zkpfl.protocol.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class FlatParametersTest {

    private final ModelSpec mlp = ModelSpec.parse(ModelSpecTest.MLP);

    @Test
    void encodesLittleEndianFloat32() {
        byte[] bytes = FlatParameters.encode(new float[] {1.0f});
        // IEEE-754 1.0f = 0x3F800000, little-endian on the wire
        assertArrayEquals(new byte[] {0, 0, (byte) 0x80, 0x3F}, bytes);
    }

    @Test
    void decodeInvertsEncode() {
        float[] weights = WeightInitializer.initialise(mlp, 7);
        assertArrayEquals(weights, FlatParameters.decode(FlatParameters.encode(weights), mlp));
    }

    @Test
    void wrongLengthNamesExpectedSize() {
        ModelSpecException e = assertThrows(ModelSpecException.class, () -> FlatParameters.decode(new byte[12], mlp));
        assertEquals("weights", e.field());
        assertTrue(e.reason().contains("expected 101800 bytes"), e.getMessage());
    }

    @Test
    void nonFiniteValuesAreRejected() {
        float[] weights = new float[(int) mlp.parameterCount()];
        weights[5] = Float.NaN;
        ModelSpecException e = assertThrows(ModelSpecException.class, () -> FlatParameters.decode(FlatParameters.encode(weights), mlp));
        assertTrue(e.reason().contains("value 5"), e.getMessage());
    }

    @Test
    void initialisationIsSeededHeForReluAndZeroBiases() {
        float[] a = WeightInitializer.initialise(mlp, 42);
        assertArrayEquals(a, WeightInitializer.initialise(mlp, 42));
        assertNotEquals(Arrays.hashCode(a), Arrays.hashCode(WeightInitializer.initialise(mlp, 43)));
        ParameterBlock hidden = mlp.parameterLayout().get(0);
        double sumSq = 0;
        for (long i = hidden.offset(); i < hidden.offset() + hidden.length(); i++) {
            sumSq += a[(int) i] * a[(int) i];
        }
        double std = Math.sqrt(sumSq / hidden.length());
        double he = Math.sqrt(2.0 / 784);
        assertEquals(he, std, he * 0.05, "empirical std of He-normal weights");
        ParameterBlock bias = mlp.parameterLayout().get(1);
        for (long i = bias.offset(); i < bias.offset() + bias.length(); i++) {
            assertEquals(0f, a[(int) i]);
        }
    }
}
