package io.zkpfl.protocol.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ModelSpecTest {

    static final String MLP = """
            {"input": {"shape": [784]},
             "layers": [{"type": "dense", "units": 32, "activation": "relu"},
                        {"type": "output", "units": 10, "activation": "softmax"}],
             "loss": "cross_entropy"}""";

    static final String CNN = """
            {"input": {"shape": [1, 28, 28]},
             "layers": [{"type": "conv2d", "filters": 8, "kernel": [3, 3], "padding": "same"},
                        {"type": "maxpool2d", "pool": 2},
                        {"type": "conv2d", "filters": 4, "kernel": 5, "stride": [2, 2]},
                        {"type": "flatten"},
                        {"type": "dense", "units": 16},
                        {"type": "dropout", "rate": 0.25},
                        {"type": "output", "units": 10}]}""";

    @Test
    void mlpParameterCountIsWeightsPlusBiasesOfEachLayer() {
        ModelSpec spec = ModelSpec.parse(MLP);
        assertEquals(784 * 32 + 32 + 32 * 10 + 10, spec.parameterCount());
        assertEquals(784, spec.inputSize());
        assertEquals(10, spec.outputSize());
    }

    @Test
    void cnnShapesFollowPaddingStrideAndPooling() {
        ModelSpec spec = ModelSpec.parse(CNN);
        List<Shape> shapes = spec.outputShapes();
        assertEquals(Shape.image(8, 28, 28), shapes.get(0));
        assertEquals(Shape.image(8, 14, 14), shapes.get(1));
        // valid 5x5 kernel, stride 2 over 14: (14 - 5) / 2 + 1 = 5
        assertEquals(Shape.image(4, 5, 5), shapes.get(2));
        assertEquals(Shape.vector(100), shapes.get(3));
        long expected = (8 * 1 * 9 + 8) + (4 * 8 * 25 + 4) + (100 * 16 + 16) + (16 * 10 + 10);
        assertEquals(expected, spec.parameterCount());
    }

    @Test
    void layoutIsLayerByLayerWeightsThenBiasesAndContiguous() {
        ModelSpec spec = ModelSpec.parse(CNN);
        List<ParameterBlock> blocks = spec.parameterLayout();
        assertEquals(8, blocks.size());
        long offset = 0;
        for (ParameterBlock block : blocks) {
            assertEquals(offset, block.offset());
            offset += block.length();
        }
        assertEquals(spec.parameterCount(), offset);
        assertEquals("W", blocks.get(0).name());
        assertArrayEquals(new int[] {8, 1, 3, 3}, blocks.get(0).shape());
        assertEquals("b", blocks.get(1).name());
        assertArrayEquals(new int[] {4, 8, 5, 5}, blocks.get(2).shape());
        assertEquals(4, blocks.get(4).layerIndex());
        assertArrayEquals(new int[] {100, 16}, blocks.get(4).shape());
    }

    @Test
    void canonicalJsonRoundTripsAndWritesDefaults() {
        ModelSpec spec = ModelSpec.parse(CNN);
        String canonical = spec.toJson();
        assertEquals(spec, ModelSpec.parse(canonical));
        assertEquals(canonical, ModelSpec.parse(canonical).toJson());
        assertTrue(canonical.contains("\"padding\":\"valid\""), canonical);
        assertTrue(canonical.contains("\"loss\":\"cross_entropy\""), canonical);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"input\":{\"shape\":[4]},\"layers\":[{\"type\":\"lstm\",\"units\":3},{\"type\":\"output\",\"units\":2}]} | layers[0].type | unknown layer type 'lstm'",
        "{\"input\":{\"shape\":[4]},\"layers\":[{\"type\":\"output\",\"units\":2},{\"type\":\"dense\",\"units\":2}]} | layers[0] | must be the last layer",
        "{\"input\":{\"shape\":[4]},\"layers\":[{\"type\":\"dense\",\"units\":2}]} | layers[0] | last layer must be of type output",
        "{\"input\":{\"shape\":[4]},\"layers\":[{\"type\":\"dense\",\"units\":0},{\"type\":\"output\",\"units\":2}]} | layers[0].units | [1, 1048576]",
        "{\"input\":{\"shape\":[1,8,8]},\"layers\":[{\"type\":\"output\",\"units\":2}]} | layers[0] | add a flatten layer",
        "{\"input\":{\"shape\":[4]},\"layers\":[{\"type\":\"conv2d\",\"filters\":2,\"kernel\":3},{\"type\":\"output\",\"units\":2}]} | layers[0] | needs a [channels, height, width] input",
        "{\"input\":{\"shape\":[1,4,4]},\"layers\":[{\"type\":\"conv2d\",\"filters\":2,\"kernel\":5},{\"type\":\"flatten\"},{\"type\":\"output\",\"units\":2}]} | layers[0].kernel | does not fit",
        "{\"input\":{\"shape\":[4]},\"layers\":[{\"type\":\"dropout\",\"rate\":1.0},{\"type\":\"output\",\"units\":2}]} | layers[0].rate | [0, 1)",
        "{\"input\":{\"shape\":[4]},\"layers\":[{\"type\":\"output\",\"units\":2,\"activation\":\"gelu\"}]} | layers[0].activation | expected one of",
        "{\"input\":{\"shape\":[4,4]},\"layers\":[{\"type\":\"output\",\"units\":2}]} | input.shape | [features] or [channels, height, width]",
        "{\"layers\":[]} | input | required object",
        "{\"input\":{\"shape\":[4]},\"layers\":[],\"loss\":\"hinge\"} | loss | expected one of",
        "[1,2] | $ | must be a JSON object",
        "{\"input\": | $ | malformed JSON",
    })
    void invalidSpecificationsNameTheOffendingField(String json, String field, String fragment) {
        ModelSpecException e = assertThrows(ModelSpecException.class, () -> ModelSpec.parse(json));
        assertEquals(field, e.field(), e.getMessage());
        assertTrue(e.reason().contains(fragment), e.getMessage());
    }

    @Test
    void tooManyParametersAreRejected() {
        String json = "{\"input\":{\"shape\":[1048576]},\"layers\":[{\"type\":\"dense\",\"units\":1048576},{\"type\":\"output\",\"units\":2}]}";
        ModelSpecException e = assertThrows(ModelSpecException.class, () -> ModelSpec.parse(json));
        assertEquals("layers", e.field());
        assertTrue(e.reason().contains("at most 67108864"), e.getMessage());
    }
}
